// `logitBias` (OpenAI's logit_bias): added to the logits after the mask, −Infinity bans; as a
// Map, a { [id]: value } record or the typed pair { ids: Int32Array, values: Float32Array }.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS, samplers } from '../support/backends.js';
import { compareProbs } from '../support/compare.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { randomBias } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';
import { reference } from '../support/reference.js';
import { probTolerance } from '../support/tolerance.js';

const flat = makeLogits(1000, 'flat', 21).map((v) => v * 3);
const peaked = makeLogits(1000, 'peaked', 22).map((v) => v / 4);
const masked = makeLogits(2000, 'masked', 23);
const typed = randomBias(1000, 50, -5, 5, 24);
const maskedIds = Array.from(masked.keys()).filter((i) => masked[i] === -Infinity);

const CASES: ControlCase[] = [
  {
    name: 'Map, 50 entries in [-5, 5), n = 1000',
    x: flat,
    params: { logitBias: new Map(Array.from(typed.ids, (id, k) => [id, typed.values[k]!])) },
  },
  {
    name: 'Record with bans and one dominant token, top-k 100',
    x: flat,
    params: { logitBias: { 0: -Infinity, 7: 12, 500: -Infinity, 999: 3.25 }, topK: 100 },
  },
  {
    name: 'typed, 300 entries on n = 1000, temperature 0.7, top-p 0.95',
    x: peaked,
    params: { logitBias: randomBias(1000, 300, -3, 3, 25), temperature: 0.7, topP: 0.95 },
  },
  {
    name: 'a bias on masked tokens leaves them masked, min-p 0.01',
    x: masked,
    params: { logitBias: Object.fromEntries(maskedIds.slice(0, 40).map((id) => [id, 50])), minP: 0.01 },
  },
  {
    name: 'a repeated id in the typed form adds each entry',
    x: flat,
    params: { logitBias: { ids: Int32Array.of(5, 9, 5, 5), values: Float32Array.of(1.5, -2, 1.5, 1.5) } },
  },
];

controlSuite('logit bias', CASES);

describe('logit bias', () => {
  test('the three forms are one bias: bit-identical probabilities on every backend', async () => {
    const entries: [number, number][] = [
      [3, 2.5],
      [40, -Infinity],
      [41, -1.25],
      [999, 4],
    ];
    const forms = [
      new Map(entries),
      Object.fromEntries(entries),
      { ids: Int32Array.from(entries, (e) => e[0]), values: Float32Array.from(entries, (e) => e[1]) },
    ];
    for (const s of await samplers(3)) {
      const [a, b, c] = forms.map((logitBias) => s.probs(flat, { logitBias, temperature: 0.9 }));
      expect(b).toEqual(a);
      expect(c).toEqual(a);
      expect(a![40]).toBe(0);
    }
  });

  test('5,000 entries over Llama 3’s vocabulary (128,256): float64 agreement, parity, draws in the kept set', async () => {
    const V = 128_256;
    const x = makeLogits(V, 'peaked', 26);
    const logitBias = randomBias(V, 5000, -8, 8, 27);
    logitBias.values[17] = -Infinity;
    const params = { logitBias, temperature: 0.8, topK: 40 };
    const want = reference(x, params);
    expect(want.ambiguous).toBe(false);
    const all = await samplers(28);
    const probs = all.map((s) => s.probs(x, params));
    expect(compareProbs(probs[0]!, want)).toBeLessThan(probTolerance(want));
    expect(probs[1]).toEqual(probs[0]);
    expect(probs[2]).toEqual(probs[0]);
    const tokens = all.map((s) => Array.from({ length: 50 }, () => s.sample(x, params)));
    expect(tokens[1]).toEqual(tokens[0]);
    expect(tokens[2]).toEqual(tokens[0]);
    for (const t of tokens[0]!) expect(want.p[t]).toBeGreaterThan(0);
  });

  test.each(BACKENDS)(
    '%s: a bias past the float32 range is a RangeError, and the call changes nothing',
    async (backend) => {
      const s = await createSampler({ backend, seed: 5 });
      const x = new Float32Array([3e38, 1, 2]);
      expect(() => s.sample(x, { logitBias: { 0: 3e38 } })).toThrow(RangeError);
      expect(() => s.probs(x, { logitBias: { 0: 3e38 } })).toThrow(/logitBias.*float32 range/);
      expect(Array.from(x)).toEqual([Math.fround(3e38), 1, 2]);
      // Nothing consumed: the next draw is a fresh sampler's first.
      expect(s.sample(x)).toBe((await createSampler({ backend, seed: 5 })).sample(x));
    },
  );

  test.each(BACKENDS)('%s: banning every live token is the all-masked error', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const x = [-Infinity, 1, -Infinity, 2];
    expect(() => s.sample(x, { logitBias: { 1: -Infinity, 3: -Infinity } })).toThrow(/every token is masked/);
  });

  describe.each(BACKENDS)('%s rejects a bad bias, naming the entry and the value', (backend) => {
    const n = 1000;
    test.each([
      [5, TypeError, /logitBias must be a Map, a \{ \[id\]: value \} object or \{ ids, values \}, got 5/],
      ['3:1', TypeError, /logitBias must be.*got "3:1"/],
      [new Map([[1000, 1]]), RangeError, /logitBias key 1000 is not a token id in \[0, 1000\)/],
      [new Map([[-1, 1]]), RangeError, /logitBias key -1 is not a token id/],
      [new Map([['3', 1]]), RangeError, /logitBias key "3" is not a token id/],
      [new Map([[2.5, 1]]), RangeError, /logitBias key 2.5/],
      [new Map([[3, Number.NaN]]), RangeError, /logitBias.get\(3\) is NaN/],
      [new Map([[3, Infinity]]), RangeError, /logitBias.get\(3\) is Infinity/],
      [new Map([[3, '1']]), TypeError, /logitBias.get\(3\) must be a number, got "1"/],
      [{ abc: 1 }, RangeError, /logitBias key 'abc' is not a token id/],
      [{ '-1': 1 }, RangeError, /logitBias key '-1' is not a token id/],
      [{ 1000: 1 }, RangeError, /logitBias key '1000' is not a token id in \[0, 1000\)/],
      [{ 3: 1e39 }, RangeError, /logitBias\['3'\] is 1e\+39/],
      [{ 3: -1e39 }, RangeError, /logitBias\['3'\] is -1e\+39/],
      [{ 3: null }, TypeError, /logitBias\['3'\] must be a number, got null/],
      [{ ids: [1], values: [2] }, TypeError, /logitBias.ids must be an Int32Array, got an array of length 1/],
      [
        { ids: Int32Array.of(1), values: Float64Array.of(2) },
        TypeError,
        /logitBias.values must be a Float32Array, got a Float64Array/,
      ],
      [
        { ids: Int32Array.of(1, 2), values: Float32Array.of(2) },
        RangeError,
        /logitBias.ids and .values must have one length, got 2 and 1/,
      ],
      [
        { ids: Int32Array.of(1, 1000), values: Float32Array.of(2, 3) },
        RangeError,
        /logitBias.ids\[1\] is 1000, outside the vocabulary \[0, 1000\)/,
      ],
      [{ ids: Int32Array.of(-7), values: Float32Array.of(2) }, RangeError, /logitBias.ids\[0\] is -7/],
      [{ ids: Int32Array.of(1), values: Float32Array.of(Number.NaN) }, RangeError, /logitBias.values\[0\] is NaN/],
      [{ ids: Int32Array.of(1), values: Float32Array.of(Infinity) }, RangeError, /logitBias.values\[0\] is Infinity/],
    ])('%o', async (logitBias, type, message) => {
      const s = await createSampler({ backend, seed: 1 });
      const x = makeLogits(n, 'flat', 1);
      const bias = logitBias as never;
      expect(() => s.sample(x, { logitBias: bias })).toThrow(type);
      expect(() => s.probs(x, { logitBias: bias })).toThrow(message);
      expect(() => s.sampleDetailed(x, { logitBias: bias })).toThrow(message);
      expect(s.sample(x)).toBe((await createSampler({ backend, seed: 1 })).sample(x));
    });
  });
});
