// `typicalP`: locally typical sampling with Hugging Face's semantics — keep the tokens whose
// −ln p is closest to the entropy H of the distribution the stage receives, the fewest whose
// mass reaches typicalP, ties by index. Unlike top-p it may drop the most likely token.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { KERNEL_BUILDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { CHECKED, controlSuite, rejectsBadValues } from '../support/control-suite.js';
import { reference } from '../support/reference.js';
import { CASES, FLAT as flat } from './typical.cases.js';

controlSuite('typical-p', CASES);

describe('typical-p', () => {
  // p = 0.4 and four times 0.15: H ≈ 1.505 nats; −ln 0.4 ≈ 0.916 is 0.589 from it,
  // −ln 0.15 ≈ 1.897 only 0.392: the four 0.15s are the typical ones.
  const p = [0.4, 0.15, 0.15, 0.15, 0.15];
  const x = p.map(Math.log);

  test('the float64 reference reads HF’s definition: the most likely token is the least typical here', () => {
    const H = -p.reduce((s, v) => s + v * Math.log(v), 0);
    expect(Math.abs(-Math.log(0.15) - H)).toBeLessThan(Math.abs(-Math.log(0.4) - H));
    expect(keptSet(reference(x, { typicalP: 0.5 }).p)).toEqual([1, 2, 3, 4]);
    expect(keptSet(reference(x, { typicalP: 0.35 }).p)).toEqual([1, 2, 3]);
    expect(keptSet(reference(x, { typicalP: 0.9 }).p)).toEqual([0, 1, 2, 3, 4]);
  });

  test('the same kept sets (ties by index), and typicalP 1 is off', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    for (const typicalP of [0.5, 0.35, 0.9, 0.1]) {
      expect(keptSet(s.probs(x, { typicalP })), `typicalP ${typicalP}`).toEqual(keptSet(reference(x, { typicalP }).p));
    }
    expect(s.probs(flat, { typicalP: 1 })).toEqual(s.probs(flat));
    // Stage order: top-k 1 leaves one token, which typical-p keeps whatever its key.
    expect(keptSet(s.probs(x, { topK: 1, typicalP: 0.1 }))).toEqual([0]);
  });

  rejectsBadValues(
    'typicalP',
    [
      [0, RangeError, /typicalP must be in \(0, 1\].*got 0/],
      [-0.1, RangeError, /typicalP.*got -0.1/],
      [1.5, RangeError, /typicalP.*got 1.5/],
      [Number.NaN, RangeError, /typicalP.*got NaN/],
      ['0.9', TypeError, /typicalP must be a number, got "0.9"/],
    ],
    'typical_p',
  );

  // Regression (known bug staleMassSelection, fixed in 7602d32): typical-p read block masses a
  // top-p call before it had left behind, and drew -1. Kernel state: run on both kernel codes.
  test.each(KERNEL_BUILDS)('%s: typical-p on one live token after a small top-p call', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const x = new Float32Array(600);
    x[300] = 100;
    expect(s.sample(x, { typicalP: 0.5 })).toBe(300);
    s.probs([0, 1, 2], { topP: 0.9 });
    expect(s.sample(x, { typicalP: 0.5 })).toBe(300);
    expect(s.probs(x, { typicalP: 0.5 })[300]).toBe(1);
  });
});
