// Entropy and top-1 probability as functions of temperature, from probs() at each T of a grid.
import type { SamplingParams } from 'logit-sampler';
import { entropy, top1 } from './stats.js';

/** T = 0.05, 0.10, …, 5.00: the range of the notebook's plots, started above 0 (greedy). */
export const T_GRID: readonly number[] = Array.from({ length: 100 }, (_, i) => Math.round((i + 1) * 5) / 100);

export interface Curve {
  entropy: number[];
  top1: number[];
}

/** The distribution's entropy (nats) and top-1 probability at every T of T_GRID, with the
 *  truncation options of `rest` (if any) applied after the temperature. */
export function curveOverT(
  probs: (logits: Float32Array, params: SamplingParams, out: Float32Array) => Float32Array,
  logits: Float32Array,
  rest: Omit<SamplingParams, 'temperature'>,
): Curve {
  const out = new Float32Array(logits.length);
  const c: Curve = { entropy: [], top1: [] };
  for (const temperature of T_GRID) {
    const p = probs(logits, { ...rest, temperature }, out);
    c.entropy.push(entropy(p));
    c.top1.push(top1(p));
  }
  return c;
}
