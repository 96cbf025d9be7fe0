// Comparing what a sampler returns with the float64 reference: probabilities, the kept set,
// log-probabilities, entropy and the temperature dynamic temperature chose.
import type { Sampler } from '../../src/index.js';
import { type Params, type Reference, reference } from './reference.js';
import { entropyTolerance } from './tolerance.js';

/** Kernels flush a weight below 2^-53 of the largest one to exactly 0. */
export const FLUSH = 2 ** -53;

/** Max |got − reference| / reference over the tokens both must keep; throws when a token
 *  the reference keeps well above the flush is 0, or one it drops is not. Tokens whose weight
 *  sits near the flush may go either way. */
export function compareProbs(got: Float32Array, ref: Reference, what = ''): number {
  let worst = 0;
  for (let i = 0; i < ref.p.length; i++) {
    const g = got[i]!;
    const want = ref.p[i]!;
    const mustKeep = want > 0 && ref.w[i]! > 4 * FLUSH;
    const mustDrop = want === 0 || ref.w[i]! < FLUSH / 4;
    if ((mustKeep && g === 0) || (mustDrop && g !== 0)) {
      throw new Error(`${what} token ${i}: got ${g}, float64 reference ${want} (weight ${ref.w[i]})`);
    }
    if (mustKeep) worst = Math.max(worst, Math.abs(g - want) / want);
  }
  return worst;
}

/** The token ids with a nonzero entry. */
export function keptSet(p: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) out.push(i);
  return out;
}

/** The bound on the relative error of the temperature dynamic temperature chooses, from the
 *  entropy tolerance: T moves as the normalised entropy does within its tolerance. The entropy
 *  is the one the temperature stage receives (reference.ts: all unmasked tokens, or what the
 *  stages before it kept). */
export function dynamicTemperatureError(x: ArrayLike<number>, params: Params): number {
  const d = params.dynamicTemperature!;
  const exponent = d.exponent ?? 1;
  const ref = reference(x, params);
  const { entropy: H, count } = ref.received;
  if (count <= 1) return 0;
  const dH = entropyTolerance(H, x.length) + 4 * ref.logitError * (1 + H);
  const lnV = Math.log(count);
  const T = (h: number) => d.min + (d.max - d.min) * Math.min(1, Math.max(0, h / lnV)) ** exponent;
  const t = T(H);
  if (t === 0) return 0;
  return Math.max(Math.abs(T(H + dH) - t), Math.abs(T(Math.max(0, H - dH)) - t)) / t;
}

/** The temperature a sampler chose for these logits (sampleDetailed reports it). */
export function chosenTemperature(s: Sampler, x: Float32Array | Float64Array | number[], params: Params): number {
  return s.sampleDetailed(x, params as never).temperature;
}
