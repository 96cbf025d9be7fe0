// A sampler is right when its draws follow the float64 distribution: Pearson chi-square of
// 50,000 seeded draws per backend and configuration against the float64 reference.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../src/index.js';
import { BACKENDS } from './support/backends.js';
import { makeLogits } from './support/data.js';
import { type Params, reference } from './support/reference.js';
import { chiSquare, criticalZ } from './support/stats.js';

const DRAWS = 50_000;

const CASES: { name: string; x: Float32Array; params: Params }[] = [
  { name: 'temperature 1, flat, n = 1000', x: makeLogits(1000, 'flat', 1), params: {} },
  {
    name: 'temperature 0.7, peaked ×0.2, n = 1000',
    x: makeLogits(1000, 'peaked', 2).map((v) => v / 5),
    params: { temperature: 0.7 },
  },
  { name: 'temperature 2, masked, n = 777', x: makeLogits(777, 'masked', 3), params: { temperature: 2 } },
  {
    name: 'top-k 40 + top-p 0.9, n = 5000',
    x: makeLogits(5000, 'flat', 4),
    params: { temperature: 0.7, topK: 40, topP: 0.9 },
  },
  { name: 'top-p 0.95, flat, n = 1000', x: makeLogits(1000, 'flat', 5), params: { topP: 0.95 } },
  { name: 'min-p 0.05, n = 1000', x: makeLogits(1000, 'flat', 6).map((v) => v * 6), params: { minP: 0.05 } },
  {
    name: 'top-k 200 + top-p 0.8 + min-p 0.02, temperature 1.3, n = 4096',
    x: makeLogits(4096, 'flat', 8).map((v) => v * 8),
    params: { temperature: 1.3, topK: 200, topP: 0.8, minP: 0.02 },
  },
  { name: 'ties, top-k 3 keeps every tied token, n = 64', x: makeLogits(64, 'ties', 7), params: { topK: 3 } },
  { name: 'uniform logits, n = 1001', x: new Float32Array(1001), params: {} },
];

// A correct sampler fails some fit in this file with probability FALSE_ALARM at most: the
// budget is split evenly over the fits (Bonferroni), which puts the cut near z = 3.96.
const FALSE_ALARM = 1e-3;
const Z_CRIT = criticalZ(FALSE_ALARM / (BACKENDS.length * CASES.length));

describe('draws follow the float64 distribution', () => {
  for (const backend of BACKENDS) {
    for (const c of CASES) {
      test(`${backend}: ${c.name}`, async () => {
        const s = await createSampler({ backend, seed: 12345 });
        const want = reference(c.x, c.params, 0);
        const counts = new Float64Array(c.x.length);
        for (let i = 0; i < DRAWS; i++) counts[s.sample(c.x, c.params)]!++;
        for (let i = 0; i < counts.length; i++) {
          if (want.p[i] === 0) expect(counts[i], `token ${i} is outside the kept set`).toBe(0);
        }
        const fit = chiSquare(counts, want.p, DRAWS);
        expect(fit.z, `chi2 ${fit.chi2.toFixed(1)} on ${fit.df} df`).toBeLessThan(Z_CRIT);
      });
    }
  }

  test('the statistic does reject a wrong distribution (temperature 0.9 drawn, 1.0 claimed)', async () => {
    const s = await createSampler({ backend: 'js', seed: 1 });
    const x = makeLogits(300, 'flat', 1).map((v) => v * 4);
    const counts = new Float64Array(x.length);
    for (let i = 0; i < DRAWS; i++) counts[s.sample(x, { temperature: 0.9 })]!++;
    expect(chiSquare(counts, reference(x, {}).p, DRAWS).z).toBeGreaterThan(Z_CRIT);
  });
});
