// `allowed`: the grammar-engine token bitmask (xgrammar / llguidance layout), applied before
// everything else.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { compareProbs, keptSet } from '../support/compare.js';
import { CHECKED, controlSuite } from '../support/control-suite.js';
import { allowedIds, maskOf, randomMask } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';
import { reference } from '../support/reference.js';
import { PROB_TOLERANCE, probTolerance } from '../support/tolerance.js';
import { BATCH, CASES, GRAMMAR, GRAMMAR_LOGITS, GRAMMAR_PARAMS, grammarStyle, ROW, V } from './mask.cases.js';

controlSuite('allowed mask', CASES);

describe('allowed mask', () => {
  test('a grammar engine’s bitmask: exactly its tokens kept, and the batch it is a row of never written', async () => {
    const words = ROW.length;
    const before = BATCH.slice();
    const want = reference(GRAMMAR_LOGITS, { allowed: ROW, temperature: 0.7 });
    expect(keptSet(want.p)).toEqual([...GRAMMAR].sort((a, b) => a - b));
    const s = await createSampler({ backend: CHECKED, seed: 6 });
    for (let i = 0; i < 200; i++)
      expect(GRAMMAR).toContain(s.sample(GRAMMAR_LOGITS, { allowed: ROW, temperature: 0.7 }));
    // The row is read, never written.
    expect(BATCH).toEqual(before);
    expect(BATCH.subarray(words, 2 * words).filter((w) => w !== 0)).toHaveLength(
      new Set(GRAMMAR.map((id) => id >> 5)).size,
    );
    expect(V).toBe(GRAMMAR_LOGITS.length);
  });

  test.each(BACKENDS)('%s: the mask works in the logitsView, and a view row of a batch', async (backend) => {
    const s = await createSampler({ backend, seed: 8 });
    const n = 3001;
    const view = s.logitsView(2 * n);
    view.set(makeLogits(n, 'flat', 9), 0);
    view.set(makeLogits(n, 'peaked', 10), n);
    const mask = randomMask(n, 0.05, 11);
    for (const row of [view.subarray(0, n), view.subarray(n)]) {
      const want = reference(row, { allowed: mask });
      expect(compareProbs(s.probs(row, { allowed: mask }), want)).toBeLessThan(probTolerance(want));
      expect(allowedIds(mask, n)).toContain(s.sample(row, { allowed: mask, temperature: 0 }));
    }
  });

  test('everything disallowed is the all-masked error', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const x = makeLogits(100, 'masked', 12);
    expect(() => s.sample(x, { allowed: new Uint32Array(4) })).toThrow(/every token is masked/);
    // Allowed only where the logits are -Infinity: the same error.
    const onlyMasked = maskOf(100, (i) => x[i] === -Infinity);
    expect(() => s.probs(x, { allowed: onlyMasked })).toThrow(RangeError);
    expect(() => s.sampleDetailed(x, { allowed: onlyMasked })).toThrow(/every token is masked/);
    // Nothing consumed: the next draw is a fresh sampler's first.
    expect(s.sample(x)).toBe((await createSampler({ backend: CHECKED, seed: 1 })).sample(x));
  });

  test('-Infinity masks a token: never kept, never drawn', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 11 });
    const x = [-Infinity, 0, -Infinity, 0.5, -Infinity];
    expect(keptSet(s.probs(x))).toEqual([1, 3]);
    for (let i = 0; i < 200; i++) expect([1, 3]).toContain(s.sample(x));
    expect(s.sample([-Infinity, 7, -Infinity], { temperature: 0 })).toBe(1);
  });

  // A few of 128,256 tokens allowed, as -Infinity logits or as a mask over the unmasked ones:
  // the float64 distribution either way, a real choice left (more than one token kept).
  test.each([13, 128])(
    'grammar-style constraints: %i of 128,256 logits allowed, topK 40 / topP 0.9 / minP',
    async (count) => {
      const { logits, masked, allowed } = grammarStyle(count);
      const s = await createSampler({ backend: CHECKED, seed: 10 });
      for (const params of GRAMMAR_PARAMS) {
        const want = reference(masked, params);
        expect(want.ambiguous).toBe(false);
        const flush = 2 ** -53 * want.p.reduce((a, b) => Math.max(a, b), 0);
        for (const [input, p] of [
          [masked, params],
          [logits, { ...params, allowed }],
        ] as const) {
          const got = s.probs(input, p);
          expect(keptSet(got).length).toBeGreaterThan(1);
          for (let i = 0; i < V; i++) {
            const w = want.p[i]!;
            const g = got[i]!;
            if (w > flush ? Math.abs(g - w) > PROB_TOLERANCE * w : g > 0)
              throw new Error(`token ${i}: float64 ${w}, got ${g}`);
          }
          for (let k = 0; k < 20; k++) expect(want.p[s.sample(input, p)]).toBeGreaterThan(0);
        }
      }
    },
  );

  describe('rejects a bad mask, naming it', () => {
    test.each([
      [new Int32Array(4), TypeError, /allowed must be a Uint32Array.*got an Int32Array of length 4/],
      [[1, 2, 3, 4], TypeError, /allowed must be a Uint32Array.*got an array of length 4/],
      [new Uint8Array(16), TypeError, /allowed must be a Uint32Array.*got a Uint8Array of length 16/],
      [0xffffffff, TypeError, /allowed.*got 4294967295/],
      [new Uint32Array(3), RangeError, /allowed must have ⌈100\/32⌉ = 4 words for 100 tokens, got 3/],
      [new Uint32Array(5), RangeError, /allowed.*got 5/],
      [new Uint32Array(100), RangeError, /allowed.*got 100/],
    ])('%o', async (allowed, type, message) => {
      const s = await createSampler({ backend: CHECKED, seed: 1 });
      const x = makeLogits(100, 'flat', 1);
      expect(() => s.sample(x, { allowed: allowed as Uint32Array })).toThrow(type);
      expect(() => s.probs(x, { allowed: allowed as Uint32Array })).toThrow(message);
      expect(() => s.sampleDetailed(x, { allowed: allowed as Uint32Array })).toThrow(message);
    });
  });
});
