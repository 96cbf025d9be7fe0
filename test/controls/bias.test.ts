// `logitBias` (OpenAI's logit_bias): added to the logits after the mask, −Infinity bans; as a
// Map, a { [id]: value } record or the typed pair { ids: Int32Array, values: Float32Array }.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { CHECKED, controlSuite } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { CASES } from './bias.cases.js';

controlSuite('logit bias', CASES);

describe('logit bias', () => {
  const flat = CASES[0]!.x as Float32Array;

  test('the three forms are one bias: bit-identical probabilities', async () => {
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
    const s = await createSampler({ backend: CHECKED, seed: 3 });
    const [a, b, c] = forms.map((logitBias) => s.probs(flat, { logitBias, temperature: 0.9 }));
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a![40]).toBe(0);
  });

  test.each(BACKENDS)('%s: the fast form may name a token twice: its biases add, in order', async (backend) => {
    const s = await createSampler({ backend, seed: 3 });
    const view = s.logitsView(flat.length);
    view.set(flat);
    // Exact in float32 (multiples of 1/4 on these logits' scale): the sum in either order.
    const twice = { ids: Int32Array.of(3, 41, 3, 3), values: Float32Array.of(2, -1.25, 0.5, -0.25) };
    const once = { ids: Int32Array.of(3, 41), values: Float32Array.of(2.25, -1.25) };
    const x = flat.slice();
    x[3] = x[3]! + 2 + 0.5 - 0.25;
    x[41] = x[41]! - 1.25;
    expect(s.probs(view, { logitBias: twice })).toEqual(s.probs(x));
    expect(s.probs(flat, { logitBias: twice })).toEqual(s.probs(view, { logitBias: twice }));
    expect(Array.from(view)).toEqual(Array.from(flat));
    expect(s.probs(view, { logitBias: once })[41]).toBe(s.probs(x)[41]);
  });

  test('a bias past the float32 range is a RangeError, and the call changes nothing', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 5 });
    const x = new Float32Array([3e38, 1, 2]);
    expect(() => s.sample(x, { logitBias: { 0: 3e38 } })).toThrow(RangeError);
    expect(() => s.probs(x, { logitBias: { 0: 3e38 } })).toThrow(/logitBias.*float32 range/);
    expect(Array.from(x)).toEqual([Math.fround(3e38), 1, 2]);
    // Nothing consumed: the next draw is a fresh sampler's first.
    expect(s.sample(x)).toBe((await createSampler({ backend: CHECKED, seed: 5 })).sample(x));
  });

  test('banning every live token is the all-masked error', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const x = [-Infinity, 1, -Infinity, 2];
    expect(() => s.sample(x, { logitBias: { 1: -Infinity, 3: -Infinity } })).toThrow(/every token is masked/);
  });

  describe('rejects a bad bias, naming the entry and the value', () => {
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
      const s = await createSampler({ backend: CHECKED, seed: 1 });
      const x = makeLogits(n, 'flat', 1);
      const bias = logitBias as never;
      expect(() => s.sample(x, { logitBias: bias })).toThrow(type);
      expect(() => s.probs(x, { logitBias: bias })).toThrow(message);
      expect(() => s.sampleDetailed(x, { logitBias: bias })).toThrow(message);
      expect(s.sample(x)).toBe((await createSampler({ backend: CHECKED, seed: 1 })).sample(x));
    });
  });
});
