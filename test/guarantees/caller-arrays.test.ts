// Bias and penalties edit a few logits in place and put them back (DESIGN.md's sparse overlay):
// the caller's array — a logitsView() or a row of one included — must read exactly the same
// after every call, also after a call that throws, and so must the arrays the params hold.
import { describe, expect, test } from 'vitest';
import { createSampler, type Sampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { maskOf, probsFrom, randomBias, randomHistory } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';

const n = 4099;
const base = makeLogits(n, 'masked', 81);
const history = randomHistory(n, 256, 82);
// The history's tokens get both signs of logit, so repetition divides some and multiplies others.
for (const [k, id] of history.entries()) if (base[id] === -Infinity || k % 3 === 0) base[id] = k % 2 ? 2.5 : -1.5;

const PARAMS: SamplingParams[] = [
  { logitBias: randomBias(n, 500, -6, 6, 83) },
  {
    logitBias: new Map([
      [history[0]!, -Infinity],
      [history[1]!, 7],
    ]),
    temperature: 0.5,
  },
  { history, repetitionPenalty: 1.3, presencePenalty: 0.5, frequencyPenalty: 0.25 },
  { history: Array.from(history), penaltyLastN: 64, repetitionPenalty: 0.8, topK: 40 },
  {
    allowed: maskOf(n, (i) => i % 7 !== 0),
    logitBias: { ids: Int32Array.from(history.subarray(0, 50)), values: new Float32Array(50).fill(2) },
    history,
    frequencyPenalty: 0.5,
    topP: 0.9,
    typicalP: 0.95,
  },
  { logitBias: { [history[2]!]: 3 }, history, presencePenalty: 1, temperature: 0 },
  { logitBias: { [history[3]!]: -2 }, history, repetitionPenalty: 1.5, dynamicTemperature: { min: 0.5, max: 1.5 } },
];

/** Every call the API offers, with these params. */
function everyCall(s: Sampler, x: Float32Array | Float64Array | number[], params: SamplingParams): void {
  s.sample(x, params);
  s.probs(x, params);
  s.sampleDetailed(x, params, { topLogprobs: 20 });
  s.sampleDetailed(x, params, { topLogprobs: 5, logprobs: 'raw' });
}

function bitsOf(x: ArrayLike<number>): Uint32Array {
  return new Uint32Array(Float32Array.from(x).buffer);
}

/** The params' own arrays, copied, to compare after the calls. */
function snapshotParams(params: SamplingParams): unknown {
  return structuredClone(params);
}

describe.each(BACKENDS)('%s: the caller’s arrays read the same after every call', (backend) => {
  test('a Float32Array, a Float64Array and a number[]', async () => {
    const s = await createSampler({ backend, seed: 1 });
    for (const x of [base.slice(), Float64Array.from(base), Array.from(base)]) {
      const before = bitsOf(x);
      for (const params of PARAMS) {
        const kept = snapshotParams(params);
        everyCall(s, x, params);
        expect(bitsOf(x)).toEqual(before);
        expect(params).toEqual(kept);
      }
    }
  });

  test('a logitsView, and rows of a [4, V] batch inside one', async () => {
    const s = await createSampler({ backend, seed: 2 });
    const view = s.logitsView(4 * n);
    for (let r = 0; r < 4; r++)
      view.set(
        base.map((v) => (v === -Infinity ? v : v + r)),
        r * n,
      );
    const before = view.slice();
    for (const params of PARAMS) {
      everyCall(s, view.subarray(0, n), params);
      everyCall(s, view.subarray(2 * n, 3 * n), params);
      everyCall(s, view.subarray(3 * n), params);
      expect(bitsOf(view)).toEqual(bitsOf(before));
    }
  });

  test('probabilities in a view, with a bias and penalties', async () => {
    const s = await createSampler({ backend, seed: 3 });
    const p = probsFrom(base, 3);
    const view = s.logitsView(n);
    view.set(p);
    for (const params of PARAMS) everyCall(s, view, { ...params, input: 'probs' });
    expect(bitsOf(view)).toEqual(bitsOf(p));
  });

  test('after calls that throw once the edits are made', async () => {
    const s = await createSampler({ backend, seed: 4 });
    const x = makeLogits(n, 'flat', 84);
    x[10] = 3e38;
    const live = Array.from(x.keys()).filter((i) => x[i]! > -Infinity);
    const failing: [SamplingParams, RegExp][] = [
      // A bias that overflows float32: found after the bias is applied.
      [{ logitBias: { 10: 3e38, 11: 5 }, history, presencePenalty: 1 }, /float32 range/],
      // Every live token banned: found after the bias.
      [
        { logitBias: { ids: Int32Array.from(live), values: new Float32Array(live.length).fill(-Infinity) } },
        /every token is masked/,
      ],
      [{ logitBias: new Map(live.map((i) => [i, -Infinity])), history, frequencyPenalty: 1 }, /every token is masked/],
    ];
    const want = bitsOf(x);
    const check = (arr: Float32Array) => {
      for (const [params, message] of failing) {
        expect(() => s.sample(arr, params)).toThrow(message);
        expect(() => s.probs(arr, params)).toThrow(message);
        expect(() => s.sampleDetailed(arr, params, { topLogprobs: 3 })).toThrow(message);
        expect(bitsOf(arr)).toEqual(want);
      }
    };
    // The copy first: its large biases grow the memory, which detaches a view made before (as
    // documented: views.test.ts).
    check(x);
    const view = s.logitsView(n);
    view.set(x);
    check(view);
    // A NaN found after the edits: the edits are undone as well.
    const nan = x.slice();
    nan[4000] = Number.NaN;
    view.set(nan);
    expect(() => s.sample(view, { logitBias: { 1: 5 }, history, repetitionPenalty: 2 })).toThrow(
      /logits\[4000\] is NaN/,
    );
    expect(bitsOf(view)).toEqual(bitsOf(nan));
    // And the sampler is fine afterwards.
    view.set(x);
    expect(s.sample(view, { temperature: 0 })).toBe(10);
  });

  // A regression of viewDetachedByEdits (fixed in 7602d32): the growth the edits needed detached
  // the view the call was reading.
  test('a view passed to a call whose bias and history need more room than reserved', async () => {
    for (const V of [4099, 128_256]) {
      const s = await createSampler({ backend, seed: 5 });
      const view = s.logitsView(V);
      const x = makeLogits(V, 'peaked', 85);
      view.set(x);
      const params = {
        logitBias: randomBias(V, 5000, -3, 3, 86),
        history: randomHistory(V, 256, 87),
        presencePenalty: 0.5,
      };
      const want = (await createSampler({ backend: 'js', seed: 5 })).sample(x, params);
      expect(s.sample(view, params)).toBe(want);
      expect(bitsOf(view)).toEqual(bitsOf(x));
    }
  });
});
