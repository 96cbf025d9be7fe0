// `allowed`: the grammar-engine token bitmask (xgrammar / llguidance layout), applied before
// everything else.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS, samplers } from '../support/backends.js';
import { compareProbs, keptSet } from '../support/compare.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { allowedIds, maskOf, randomMask } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';
import { reference } from '../support/reference.js';
import { probTolerance } from '../support/tolerance.js';

const flat = makeLogits(1000, 'flat', 1).map((v) => v * 3);
const peaked = makeLogits(1025, 'peaked', 2).map((v) => v / 4);
const argmax = peaked.indexOf(Math.max(...peaked));

const CASES: ControlCase[] = [
  { name: 'every other word allowed, n = 1000', x: flat, params: { allowed: maskOf(1000, (i) => (i >> 5) % 2 === 0) } },
  {
    name: 'random 30% allowed, n = 1025 (a partial last word), temperature 0.8, top-k 50',
    x: peaked,
    params: { allowed: randomMask(1025, 0.3, 3), temperature: 0.8, topK: 50 },
  },
  {
    name: 'the argmax disallowed, top-p 0.9',
    x: peaked,
    params: { allowed: maskOf(1025, (i) => i !== argmax), topP: 0.9 },
  },
  {
    name: 'bits past n set, masked logits allowed, min-p 0.02',
    x: makeLogits(1000, 'masked', 4),
    params: { allowed: maskOf(1000, (i) => i % 3 !== 0).fill(0xffffffff, 31), minP: 0.02 },
  },
  { name: 'greedy under a mask', x: peaked, params: { allowed: maskOf(1025, (i) => i !== argmax), temperature: 0 } },
];

controlSuite('allowed mask', CASES);

describe('allowed mask', () => {
  test('a grammar engine’s bitmask at Llama 3’s vocabulary (128,256): one row of a [B, ⌈V/32⌉] int32 batch', async () => {
    // What xgrammar's allocate_token_bitmask / llguidance hand over: an int32 tensor of
    // ⌈V/32⌉ words per sequence, 1 bits allowed. Row 1 of a batch of 4 allows a JSON number's
    // continuations: 10 digit tokens, '.', 'e', ',', '}' and the end-of-text token.
    const V = 128_256;
    const words = Math.ceil(V / 32);
    const batch = new Int32Array(4 * words);
    const grammar = [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 13, 68, 11, 92, 128_001];
    for (const id of grammar) batch[words + (id >> 5)]! |= 1 << (id & 31);
    batch.fill(-1, 2 * words, 3 * words); // another row: everything allowed
    const row = new Uint32Array(batch.buffer, words * 4, words);
    const x = makeLogits(V, 'peaked', 5);
    const want = reference(x, { allowed: row, temperature: 0.7 });
    expect(keptSet(want.p)).toEqual([...grammar].sort((a, b) => a - b));
    const all = await samplers(6);
    const probs = all.map((s) => s.probs(x, { allowed: row, temperature: 0.7 }));
    expect(compareProbs(probs[0]!, want)).toBeLessThan(probTolerance(want));
    expect(probs[1]).toEqual(probs[0]);
    expect(probs[2]).toEqual(probs[0]);
    for (const s of all) {
      for (let i = 0; i < 200; i++) expect(grammar).toContain(s.sample(x, { allowed: row, temperature: 0.7 }));
    }
    // The row is read, never written.
    expect(batch.subarray(words, 2 * words).filter((w) => w !== 0)).toHaveLength(
      new Set(grammar.map((id) => id >> 5)).size,
    );
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

  test.each(BACKENDS)('%s: everything disallowed is the all-masked error', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const x = makeLogits(100, 'masked', 12);
    expect(() => s.sample(x, { allowed: new Uint32Array(4) })).toThrow(/every token is masked/);
    // Allowed only where the logits are -Infinity: the same error.
    const onlyMasked = maskOf(100, (i) => x[i] === -Infinity);
    expect(() => s.probs(x, { allowed: onlyMasked })).toThrow(RangeError);
    expect(() => s.sampleDetailed(x, { allowed: onlyMasked })).toThrow(/every token is masked/);
    // Nothing consumed: the next draw is a fresh sampler's first.
    expect(s.sample(x)).toBe((await createSampler({ backend, seed: 1 })).sample(x));
  });

  describe.each(BACKENDS)('%s rejects a bad mask, naming it', (backend) => {
    test.each([
      [new Int32Array(4), TypeError, /allowed must be a Uint32Array.*got an Int32Array of length 4/],
      [[1, 2, 3, 4], TypeError, /allowed must be a Uint32Array.*got an array of length 4/],
      [new Uint8Array(16), TypeError, /allowed must be a Uint32Array.*got a Uint8Array of length 16/],
      [0xffffffff, TypeError, /allowed.*got 4294967295/],
      [new Uint32Array(3), RangeError, /allowed must have ⌈100\/32⌉ = 4 words for 100 tokens, got 3/],
      [new Uint32Array(5), RangeError, /allowed.*got 5/],
      [new Uint32Array(100), RangeError, /allowed.*got 100/],
    ])('%o', async (allowed, type, message) => {
      const s = await createSampler({ backend, seed: 1 });
      const x = makeLogits(100, 'flat', 1);
      expect(() => s.sample(x, { allowed: allowed as Uint32Array })).toThrow(type);
      expect(() => s.probs(x, { allowed: allowed as Uint32Array })).toThrow(message);
      expect(() => s.sampleDetailed(x, { allowed: allowed as Uint32Array })).toThrow(message);
    });
  });
});
