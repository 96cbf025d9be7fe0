// probs() of every backend against the float64 reference, vocabulary by vocabulary.
import { describe, expect, test } from 'vitest';
import { BACKENDS, samplers } from '../support/backends.js';
import { makeLogits, type Shape } from '../support/data.js';
import { type Params, reference } from '../support/reference.js';
import { PROB_TOLERANCE } from '../support/tolerance.js';

const CONFIGS: Params[] = [
  {},
  { temperature: 0.7 },
  { temperature: 1.6 },
  { temperature: 0 },
  { topK: 1 },
  { topK: 40, temperature: 0.7 },
  { topK: 40, topP: 0.9, temperature: 0.7 },
  { topP: 0.95 },
  { topP: 0.5, temperature: 2 },
  { minP: 0.05 },
  { minP: 0.2, topP: 0.9 },
  { topK: 100, topP: 0.8, minP: 0.02, temperature: 1.3 },
];
const SHAPES: Shape[] = ['peaked', 'flat', 'ties', 'masked', 'wide'];

/** Kernels flush a probability below 2^-53 times the largest one to exactly 0. */
const FLUSH = 2 ** -53;

/** Max |kernel - reference| / reference over kept tokens; throws on a kept-set mismatch. */
function compare(got: Float32Array, want: Float64Array): number {
  let worst = 0;
  let wmax = 0;
  for (const w of want) wmax = Math.max(wmax, w);
  for (let i = 0; i < want.length; i++) {
    const g = got[i]!,
      w = want[i]!;
    const mustKeep = w > 4 * FLUSH * wmax,
      mustDrop = w < (FLUSH / 4) * wmax;
    if ((mustKeep && g === 0) || (mustDrop && g !== 0)) {
      throw new Error(`token ${i}: kernel ${g}, float64 reference ${w}`);
    }
    if (mustKeep) worst = Math.max(worst, Math.abs(g - w) / w);
  }
  return worst;
}

describe('probs() matches the float64 pipeline', async () => {
  const all = await samplers();
  for (const [b, s] of all.entries()) {
    test(`${BACKENDS[b]}: every configuration and logit shape, n = 1 … 5000`, () => {
      let checked = 0;
      let worst = 0;
      for (const n of [1, 2, 3, 5, 17, 64, 255, 1000, 4096, 5000]) {
        for (const [si, shape] of SHAPES.entries()) {
          const x = makeLogits(n, shape, n * 31 + si);
          for (const params of CONFIGS) {
            const ref = reference(x, params);
            if (ref.ambiguous) continue;
            worst = Math.max(worst, compare(s.probs(x, params), ref.p));
            checked++;
          }
        }
      }
      // Cases whose boundary float32 may legitimately place differently are skipped; they must
      // stay the exception, or the test would check little.
      expect(checked).toBeGreaterThan(0.9 * 10 * SHAPES.length * CONFIGS.length);
      expect(worst).toBeLessThan(PROB_TOLERANCE);
    });
  }
});

describe('worked examples, recomputed in float64', async () => {
  const [s] = await samplers();
  const softmax = (u: number[], t: number) => {
    const e = u.map((v) => Math.exp(v / t));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  };
  test.each([
    [[1, 2], 1],
    [[1, 2], 0.5],
    [[3, 1, 0, -1], 1],
    [[3, 1, 0, -1], 0.5],
    [[3, 1, 0, -1], 2],
    [[2, 1, 0, -1], 0.5],
  ])('softmax(%j / %d)', (u, t) => {
    const got = s!.probs(u, { temperature: t });
    for (const [i, want] of softmax(u, t).entries()) expect(got[i]).toBeCloseTo(want, 6);
  });
  test('top-k 3 of a distribution renormalises over the three kept', () => {
    const p = [0.4, 0.3, 0.15, 0.1, 0.05];
    const got = s!.probs(p.map(Math.log), { topK: 3 });
    const z = 0.4 + 0.3 + 0.15;
    for (const [i, want] of [0.4 / z, 0.3 / z, 0.15 / z, 0, 0].entries()) expect(got[i]).toBeCloseTo(want, 6);
  });
  test('temperature limits: τ → 0 tends to one-hot, τ → ∞ to uniform', () => {
    const u = [3, 1, 0, -1];
    const cold = s!.probs(u, { temperature: 0.01 });
    expect(cold[0]).toBeCloseTo(1, 12);
    const hot = s!.probs(u, { temperature: 1e6 });
    for (const v of hot) expect(v).toBeCloseTo(0.25, 5);
  });
});
