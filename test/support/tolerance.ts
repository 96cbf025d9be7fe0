// How far a kernel's float32 probability may sit from the float64 reference, derived from
// how the kernels compute it rather than fitted to what they happen to return.

/** The kernels flush 2^z to 0 below this exponent (z ≤ 0 is log2 of p / p_max). */
const EXP_RANGE = 53;
/** Relative error of the exp2 polynomial alone; kernels.test.ts asserts it. */
const POLY = 3e-7;
/** One float32 rounding, relative. */
const ULP = 2 ** -24;

/** Relative error of one weight 2^z: z = (x − m)·c, with c = log2(e)/T, takes three float32
 *  roundings (the difference, c, the product), each moving 2^z by up to ln2·|z|·2^-24. */
const WEIGHT = 3 * EXP_RANGE * Math.LN2 * ULP + POLY;

/** Relative error allowed on a kept probability (≈ 1.4e-5): weight over normaliser, whose
 *  errors may have opposite signs, then the division and the float32 store. */
export const PROB_TOLERANCE = 2 * WEIGHT + 2 * ULP;

/** How far a probability may sit from the reference's, relative, once the processed logits
 *  may be off by `logitError` (float32 bias, penalties, ln of a probability: the reference's
 *  own bound) and the temperature by a relative `temperatureError` (dynamic temperature reads
 *  a float32 entropy): a logit error δ moves ln p by ≤ 2δ/T (its own and the normaliser's), a
 *  temperature error moves (x − max)/T by its relative size times at most 53·ln 2 nats, the
 *  deepest a kernel resolves. */
export function probTolerance(ref: { logitError: number; temperature: number }, temperatureError = 0): number {
  if (ref.temperature === 0) return PROB_TOLERANCE;
  return PROB_TOLERANCE + (2 * ref.logitError) / ref.temperature + 2 * EXP_RANGE * Math.LN2 * temperatureError;
}

/** Absolute error allowed on a log-probability lp over n tokens: z = (x − m)·c carries three
 *  float32 roundings, |z|·ln 2 ≤ |lp| + ln n, and ln of the mass the relative error of a
 *  probability; plus the edits' share as in probTolerance(). */
export function logprobTolerance(lp: number, n: number, ref: { logitError: number; temperature: number }): number {
  return probTolerance(ref) + 4 * ULP * (Math.abs(lp) + Math.log(n));
}

/** Absolute error allowed on an entropy H (nats) over n tokens: H = ln M − ln 2·Σe·z/M, two
 *  non-negative terms each within a probability's relative error, and the tokens a kernel
 *  flushes to 0 (weight < 2^-53, each adding < 2^-53·(53·ln 2 + ln n) to the exact H). */
export function entropyTolerance(H: number, n: number, relative = PROB_TOLERANCE): number {
  return relative * (1 + H) + n * 2 ** -EXP_RANGE * (EXP_RANGE * Math.LN2 + Math.log(n) + 1);
}
