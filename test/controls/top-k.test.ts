// `topK`: keep every token whose logit is ≥ the k-th largest (ties at the boundary kept); k ≥
// the vocabulary size is off. The kernels list candidates from the blocks whose maximum
// reaches the k-th largest block maximum, then select exactly among them.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { compareProbs, keptSet } from '../support/compare.js';
import { CHECKED, controlSuite, rejectsBadValues } from '../support/control-suite.js';
import { reference } from '../support/reference.js';
import { PROB_TOLERANCE } from '../support/tolerance.js';
import { topKCases } from '../support/top-k-shapes.js';
import { CASES } from './top-k.cases.js';

controlSuite('top-k', CASES);

describe('top-k', () => {
  test('keeps ties at the boundary; topK ≥ n is off', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 11 });
    expect(keptSet(s.probs([1, 3, 2, 2, 0], { topK: 2 }))).toEqual([1, 2, 3]);
    expect(keptSet(s.probs([1, 3, 2, 2, 0], { topK: 5 }))).toEqual([0, 1, 2, 3, 4]);
    expect(keptSet(s.probs([1, 3, 2, 2, 0], { topK: 50 }))).toEqual([0, 1, 2, 3, 4]);
  });

  test('top-k 3 of a distribution renormalises over the three kept (float64 by hand)', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const p = [0.4, 0.3, 0.15, 0.1, 0.05];
    const got = s.probs(p.map(Math.log), { topK: 3 });
    const z = 0.4 + 0.3 + 0.15;
    for (const [i, want] of [0.4 / z, 0.3 / z, 0.15 / z, 0, 0].entries()) expect(got[i]).toBeCloseTo(want, 6);
  });

  // The candidate search's hard shapes (support/top-k-shapes.ts), 300 of them: the kept set is
  // exactly float64's (top-k compares float32 logits, so no boundary is ambiguous).
  test('ties at k, tied block maxima, few blocks, mostly masked, k near n, one hot block: the float64 kept set', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    for (const [c, { shape, x, k }] of topKCases(300, 10_000, 1).entries()) {
      const want = reference(x, { topK: k });
      const got = s.probs(x, { topK: k });
      expect(keptSet(got), `case ${c}: ${shape}, n = ${x.length}, k = ${k}`).toEqual(keptSet(want.p));
      expect(compareProbs(got, want)).toBeLessThan(PROB_TOLERANCE);
    }
  });

  rejectsBadValues(
    'topK',
    [
      [-1, RangeError, /topK must be an integer ≥ 0.*got -1/],
      [2.5, RangeError, /topK.*got 2.5/],
      [Infinity, RangeError, /topK.*got Infinity/],
      [40n, TypeError, /topK must be a number, got 40n/],
      ['40', TypeError, /topK must be a number, got "40"/],
    ],
    'top_k',
  );
});
