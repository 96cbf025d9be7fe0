// probs() against the float64 reference over every classic configuration, logit shape and
// small size, and at the float32 extremes (on wasm-simd; the other builds: test/parity/).
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { CHECKED } from '../support/control-suite.js';
import { makeLogits, rng, type Shape } from '../support/data.js';
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

describe('probs() matches the float64 pipeline', () => {
  test('every configuration and logit shape, n = 1 … 5000', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
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

  test('probs sum to 1 over the kept set', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 11 });
    const x = Array.from({ length: 999 }, (_, i) => Math.sin(i * 1.7) * 3);
    for (const params of [{}, { topK: 10 }, { topP: 0.5 }, { minP: 0.2 }, { temperature: 3 }]) {
      expect(s.probs(x, params).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });
});

describe('huge logits', () => {
  test('[2e38, 0, 0, 0, 2e38]: the two maxima share the mass', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 4 });
    const x = [2e38, 0, 0, 0, 2e38];
    expect(Array.from(s.probs(x))).toEqual([0.5, 0, 0, 0, 0.5]);
    expect(new Set(Array.from({ length: 40 }, () => s.sample(x)))).toEqual(new Set([0, 4]));
    expect(s.sample(x, { temperature: 0 })).toBe(0);
    expect(Array.from(s.probs(x, { topK: 1 }))).toEqual([0.5, 0, 0, 0, 0.5]);
  });

  test('magnitudes up to ±3.4e38 in every lane position match float64', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 4 });
    const r = rng(4);
    const values = [3.4028234663852886e38, -3.4028234663852886e38, 2e38, -2e38, 1e38, 1, 0, -Infinity];
    for (let c = 0; c < 300; c++) {
      const n = 1 + (c % 41);
      const x = Float32Array.from({ length: n }, () => values[Math.floor(r() * values.length)]!);
      if (x.every((v) => v === -Infinity)) x[c % n] = 0;
      for (const temperature of [1, 1e37, 1e38]) {
        const want = reference(x, { temperature }).p;
        const got = s.probs(x, { temperature });
        for (let i = 0; i < n; i++) {
          const tolerance = Math.max(PROB_TOLERANCE * want[i]!, 1e-7);
          expect(Math.abs(got[i]! - want[i]!), `${Array.from(x)} T=${temperature} [${i}]`).toBeLessThanOrEqual(
            tolerance,
          );
        }
      }
    }
  });
});
