// Properties from the reference texts on temperature: as T falls, the most likely token's
// probability does not fall (truncations included: their kept sets only shrink) and, over a
// kept set that does not depend on T, the entropy does not rise; as T → ∞ the distribution
// tends to uniform over the kept set.
import { fc, test } from '@fast-check/vitest';
import { expect } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { buildLogits, buildParams, logitSpec, paramSpec } from '../support/arbitraries.js';
import { keptSet } from '../support/compare.js';
import { entropy, reference } from '../support/reference.js';
import { entropyTolerance, PROB_TOLERANCE } from '../support/tolerance.js';

const s = await createSampler({ backend: 'wasm-simd', seed: 1 });
const TEMPERATURES = [8, 4, 2, 1.3, 1, 0.7, 0.4, 0.2, 0.1, 0.05];

/** Logits with finite values of ordinary size (the kinds where T matters), and parameters
 *  whose kept set does not depend on T (mask, bias, penalties, top-k) or shrinks as T falls
 *  (top-p, min-p). */
const monotoneCase = fc.record({
  n: fc.integer({ min: 2, max: 5000 }),
  logits: logitSpec.filter((l) => l.kind === 'normal' || l.kind === 'uniform' || l.kind === 'ties'),
  params: paramSpec.map(({ temperature, dynamic, typicalP, probs, ...rest }) => rest),
  truncate: fc.boolean(),
});

type MonotoneCase = typeof monotoneCase extends fc.Arbitrary<infer T> ? T : never;

function setup(c: MonotoneCase) {
  const x = buildLogits(c.n, c.logits);
  const params = buildParams(c.params, c.n);
  if (!c.truncate) {
    delete params.topP;
    delete params.minP;
  }
  try {
    reference(x, params);
  } catch {
    return null; // everything masked, or a bias past float32: nothing to compare
  }
  return { x, params };
}

test.prop([monotoneCase], { seed: 0x5eed_0004, numRuns: 200 })(
  'as T falls, top-1 probability does not fall; with a fixed kept set, entropy does not rise',
  (c) => {
    const setUp = setup(c);
    if (setUp === null) return;
    const { x, params } = setUp;
    let lastTop = 0;
    let lastH = Infinity;
    for (const temperature of TEMPERATURES) {
      const p = s.probs(x, { ...params, temperature } as SamplingParams);
      const top = Math.max(...p);
      expect(top, `T = ${temperature}`).toBeGreaterThanOrEqual(lastTop * (1 - 2 * PROB_TOLERANCE));
      lastTop = top;
      if (!c.truncate) {
        const H = entropy(p);
        expect(H, `T = ${temperature}`).toBeLessThanOrEqual(lastH + 2 * entropyTolerance(H, c.n));
        lastH = H;
      }
    }
  },
);

test.prop([monotoneCase], { seed: 0x5eed_0005, numRuns: 200 })('as T → ∞, uniform over the kept set', (c) => {
  const setUp = setup({ ...c, truncate: false });
  if (setUp === null) return;
  const { x, params } = setUp;
  const { x: processed } = reference(x, params);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of processed) {
    if (v > -Infinity) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  // At T = 1e7·(spread of the logits) every weight is within 1e-7 of the largest.
  const temperature = 1e7 * Math.max(hi - lo, 1);
  const p = s.probs(x, { ...params, temperature } as SamplingParams);
  const kept = keptSet(p);
  expect(kept).toEqual(keptSet(reference(x, { ...params, temperature }).p));
  for (const i of kept) expect(Math.abs(p[i]! * kept.length - 1)).toBeLessThan(1e-7 + PROB_TOLERANCE);
});
