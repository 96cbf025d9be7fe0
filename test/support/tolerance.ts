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
