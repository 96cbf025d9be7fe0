// `input: 'probs'`: the array holds probabilities (≥ 0, any scale); temperature acts as
// softmax(ln p / T), p = 0 is masked, and every later stage sees ln p as its logit.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { compareProbs } from '../support/compare.js';
import { CHECKED, controlSuite } from '../support/control-suite.js';
import { reference } from '../support/reference.js';
import { probTolerance } from '../support/tolerance.js';
import { CASES } from './probs-input.cases.js';

controlSuite('probability input', CASES);

describe('probability input', () => {
  test('softmax(ln p / T) by hand, scale-free, and the same as logits ln p', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const p = [0.5, 0.3, 0.2];
    // T = 0.5 squares the probabilities: [0.25, 0.09, 0.04] / 0.38.
    const squared = s.probs(p, { input: 'probs', temperature: 0.5 });
    for (const [i, want] of [0.25 / 0.38, 0.09 / 0.38, 0.04 / 0.38].entries()) expect(squared[i]).toBeCloseTo(want, 6);
    const x = CASES[0]!.x as Float32Array;
    const want = reference(x, { input: 'probs', temperature: 0.7 });
    for (const scale of [1, 1e6, 1e-20]) {
      const got = s.probs(
        x.map((v) => v * scale),
        { input: 'probs', temperature: 0.7 },
      );
      expect(compareProbs(got, want, `scale ${scale}`)).toBeLessThan(probTolerance(want) + 4 * 2 ** -24);
    }
    const asLogits = s.probs(Float32Array.from(x, Math.log), { temperature: 0.7 });
    expect(compareProbs(asLogits, want)).toBeLessThan(probTolerance(want));
  });

  test('every probability 0 is the all-masked error', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    expect(() => s.sample(new Float32Array(10), { input: 'probs' })).toThrow(
      /every token is masked \(-Infinity or probability 0/,
    );
  });

  describe('rejects invalid probabilities, naming the entry and the value', () => {
    test.each([
      [
        [0.5, -0.1, 0.6],
        RangeError,
        /logits\[1\] is -0.1; with input 'probs' every entry must be a finite probability ≥ 0/,
      ],
      [new Float32Array([0.5, 0.2, Number.NaN]), RangeError, /logits\[2\] is NaN; with input 'probs'/],
      [new Float64Array([Infinity, 0.2]), RangeError, /logits\[0\] is Infinity; with input 'probs'/],
      [[0.5, -Infinity], RangeError, /logits\[1\] is -Infinity; with input 'probs'/],
      [new Float32Array(70).fill(0.1).fill(-1e-30, 67, 68), RangeError, /logits\[67\] is -1e-30;/],
    ])('case %#', async (x, type, message) => {
      const s = await createSampler({ backend: CHECKED, seed: 1 });
      expect(() => s.sample(x as number[], { input: 'probs' })).toThrow(type);
      expect(() => s.probs(x as number[], { input: 'probs' })).toThrow(message);
      expect(() => s.sampleDetailed(x as number[], { input: 'probs' })).toThrow(message);
      expect(s.sample([1, 2], { input: 'probs' })).toBe(
        (await createSampler({ backend: CHECKED, seed: 1 })).sample([1, 2], { input: 'probs' }),
      );
    });

    test.each([
      ['prob', /input must be 'logits' or 'probs', got "prob"/],
      ['logprobs', /input must be 'logits' or 'probs', got "logprobs"/],
      [1, /input must be 'logits' or 'probs', got 1/],
    ])('input: %o', async (input, message) => {
      const s = await createSampler({ backend: CHECKED, seed: 1 });
      expect(() => s.sample([0.5, 0.5], { input: input as 'probs' })).toThrow(TypeError);
      expect(() => s.probs([0.5, 0.5], { input: input as 'probs' })).toThrow(message);
    });
  });
});
