// Inputs of the many-sequences tests (test/sequences/) and of their parity test
// (test/parity/sequences.test.ts): a [rows × V] block with a params object per row, and a
// target and a draft model for speculative decoding.
import type { SamplingParams } from '../../src/index.js';
import { makeLogits } from './data.js';

export const V = 5000;
export const ROWS = 6;
export const block = new Float32Array(V * ROWS);
for (let r = 0; r < ROWS; r++) block.set(makeLogits(V, r % 2 ? 'lm' : 'peaked', 100 + r), r * V);
export const row = (r: number) => block.subarray(r * V, (r + 1) * V);
export const PARAMS: SamplingParams[] = [
  { temperature: 0.8, topK: 40, topP: 0.9 },
  {},
  { minP: 0.05, temperature: 1.2 },
  { typicalP: 0.9 },
  { temperature: 0 },
  { topNSigma: 1, order: 'llama.cpp', temperature: 0.7 },
];

/** The draft model's vocabulary. */
export const DRAFT_V = 64;
/** k + 1 target rows and k draft rows. The draft is deliberately bad — the target's logits
 *  plus noise as large as their own spread — yet related, so that later positions are reached
 *  often enough to be tested too. */
export function model(k: number, seed: number) {
  const target = new Float32Array((k + 1) * DRAFT_V);
  const draft = new Float32Array(k * DRAFT_V);
  for (let i = 0; i <= k; i++)
    target.set(
      makeLogits(DRAFT_V, 'lm', seed + i).map((v) => v / 2),
      i * DRAFT_V,
    );
  for (let i = 0; i < k; i++) {
    const noise = makeLogits(DRAFT_V, 'flat', seed + 50 + i);
    for (let t = 0; t < DRAFT_V; t++) draft[i * DRAFT_V + t] = target[i * DRAFT_V + t]! + 4 * noise[t]!;
  }
  return { target, draft };
}
