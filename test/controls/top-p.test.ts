// `topP` (nucleus): keep the smallest prefix, by probability descending then index ascending,
// whose mass reaches topP; at least one token. In (0, 1]; 1 is off. The kernels choose a
// threshold on the stored weights, then keep "weights above a cut, plus the tied tokens up to an
// index": no sort of the vocabulary.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { CHECKED, controlSuite, rejectsBadValues } from '../support/control-suite.js';
import { reference } from '../support/reference.js';
import { PROB_TOLERANCE } from '../support/tolerance.js';
import { CASES, NEAR_UNIFORM, SUBNORMAL } from './top-p.cases.js';

controlSuite('top-p', CASES);

/** For near-ties: the kept set is a prefix of (probability desc, index asc), and its float64
 *  mass reaches topP without the last token not (within `slack`). */
async function checkTopPPrefix(x: Float32Array, topP: number, slack: number) {
  const want = reference(x, {}).p;
  const order = Array.from(want.keys()).sort((a, b) => want[b]! - want[a]! || a - b);
  const s = await createSampler({ backend: CHECKED, seed: 10 });
  const p = s.probs(x, { topP });
  let kept = 0;
  while (kept < order.length && p[order[kept]!]! > 0) kept++;
  for (let r = kept; r < order.length; r++) if (p[order[r]!]! > 0) throw new Error(`rank ${r} kept after a gap`);
  let mass = 0;
  for (let r = 0; r < kept - 1; r++) mass += want[order[r]!]!;
  expect(mass).toBeLessThan(topP + slack);
  expect(mass + want[order[kept - 1]!]!).toBeGreaterThanOrEqual(topP - slack);
  let keptMass = 0;
  for (let r = 0; r < kept; r++) keptMass += want[order[r]!]!;
  for (let r = 0; r < kept; r++) {
    const i = order[r]!;
    expect(Math.abs(p[i]! - want[i]! / keptMass)).toBeLessThanOrEqual(PROB_TOLERANCE * (want[i]! / keptMass));
  }
}

describe('top-p', () => {
  test('keeps the smallest prefix reaching the mass, at least one token, ties by index', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 11 });
    const x = [0, Math.log(4), Math.log(3), Math.log(2)]; // p = .1 .4 .3 .2
    expect(keptSet(s.probs(x, { topP: 0.35 }))).toEqual([1]);
    expect(keptSet(s.probs(x, { topP: 0.65 }))).toEqual([1, 2]);
    expect(keptSet(s.probs(x, { topP: 0.75 }))).toEqual([1, 2, 3]);
    expect(keptSet(s.probs(x, { topP: 1e-9 }))).toEqual([1]);
    expect(keptSet(s.probs([2, 2, 2, 2], { topP: 0.5 }))).toEqual([0, 1]);
  });

  test('near-uniform logits (1000 ± 1e-3) at 300,000 with topP 0.5', async () => {
    // Each token holds ≈ 3.3e-6 of the mass: float32 sums may move the cut by a token or two.
    await checkTopPPrefix(NEAR_UNIFORM, 0.5, 1e-5);
  });

  test('subnormal logits with top-p', async () => {
    await checkTopPPrefix(SUBNORMAL, 0.9, 1e-5);
    await checkTopPPrefix(SUBNORMAL, 0.3, 1e-5);
  });

  // The first round's band is one key when a tie group holds the cut: the tied tokens are then
  // walked in index order from the mass above them, here across every block of a large
  // vocabulary, with three tokens above the group.
  test.each(BACKENDS)('%s: a cut inside a tie group spread over 100,000 tokens', async (backend) => {
    const n = 100_000;
    const x = new Float32Array(n);
    const above = [5, 50_000, 99_999];
    const tied: number[] = [];
    for (let i = 37; i < n; i += 97) tied.push(i);
    for (const i of tied) x[i] = 10;
    for (const i of above) x[i] = 12;
    const z = above.length * Math.exp(12) + tied.length * Math.exp(10) + (n - tied.length - above.length);
    const s = await createSampler({ backend, seed: 12 });
    for (const topP of [0.3, 0.5, 0.9]) {
      const k = Math.ceil((topP - (above.length * Math.exp(12)) / z) / (Math.exp(10) / z) - 1e-9);
      expect(k).toBeLessThan(tied.length);
      const kept = [...above, ...tied.slice(0, k)].sort((a, b) => a - b);
      expect(keptSet(s.probs(x, { topP }))).toEqual(kept);
      expect(kept).toContain(s.sample(x, { topP }));
    }
  });

  rejectsBadValues(
    'topP',
    [
      [0, RangeError, /topP must be in \(0, 1\].*got 0/],
      [1.5, RangeError, /topP.*got 1.5/],
      [Number.NaN, RangeError, /topP.*got NaN/],
      [-0.5, RangeError, /topP.*got -0.5/],
      ['0.9', TypeError, /topP must be a number, got "0.9"/],
    ],
    'top_p',
  );
});
