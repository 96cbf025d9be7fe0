// `minP`: keep the tokens with p ≥ minP · p_max of the distribution the stage receives. In
// [0, 1]; 0 is off. Without a mass-domain stage before it, the kernels list its candidates in
// the maximum pass (the logits above max + T·ln minP) and exponentiate only those.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { keptSet } from '../support/compare.js';
import { CHECKED, controlSuite, rejectsBadValues } from '../support/control-suite.js';
import { CASES } from './min-p.cases.js';

controlSuite('min-p', CASES);

describe('min-p', () => {
  test('keeps p ≥ minP · p_max of what top-p left', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 11 });
    const x = [0, Math.log(4), Math.log(3), Math.log(2)]; // p = .1 .4 .3 .2
    expect(keptSet(s.probs(x, { minP: 0.5 }))).toEqual([1, 2, 3]);
    expect(keptSet(s.probs(x, { minP: 0.6 }))).toEqual([1, 2]);
    expect(keptSet(s.probs(x, { minP: 1 }))).toEqual([1]);
    expect(keptSet(s.probs(x, { topP: 0.65, minP: 0.5 }))).toEqual([1, 2]);
  });

  rejectsBadValues(
    'minP',
    [
      [-0.1, RangeError, /minP must be in \[0, 1\].*got -0.1/],
      [2, RangeError, /minP.*got 2/],
      [Number.NaN, RangeError, /minP.*got NaN/],
      ['0.05', TypeError, /minP must be a number, got "0.05"/],
    ],
    'min_p',
  );
});
