// `typicalP`: locally typical sampling with Hugging Face's semantics — keep the tokens whose
// −ln p is closest to the entropy H of the distribution the stage receives, the fewest whose
// mass reaches typicalP, ties by index. Unlike top-p it may drop the most likely token.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { reference } from '../support/reference.js';

const flat = makeLogits(600, 'flat', 41).map((v) => v * 3);
const peaked = makeLogits(600, 'peaked', 42).map((v) => v / 4);

const CASES: ControlCase[] = [
  { name: 'typical 0.9, n = 600', x: flat, params: { typicalP: 0.9 } },
  { name: 'typical 0.5, temperature 0.7', x: flat, params: { typicalP: 0.5, temperature: 0.7 } },
  { name: 'typical 0.2, n = 600', x: peaked, params: { typicalP: 0.2 } },
  {
    name: 'after top-k 200, top-p 0.95 and min-p 0.01 (it sees their renormalised survivors)',
    x: peaked,
    params: { topK: 200, topP: 0.95, minP: 0.01, typicalP: 0.8, temperature: 1.2 },
  },
  { name: 'tied logits: ties by index', x: makeLogits(640, 'ties', 43), params: { typicalP: 0.55 } },
  { name: 'masked logits, typical 0.7', x: makeLogits(600, 'masked', 44), params: { typicalP: 0.7 } },
];

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

  test.each(BACKENDS)('%s: the same kept sets (ties by index), and typicalP 1 is off', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    for (const typicalP of [0.5, 0.35, 0.9, 0.1]) {
      expect(keptSet(s.probs(x, { typicalP })), `typicalP ${typicalP}`).toEqual(keptSet(reference(x, { typicalP }).p));
    }
    expect(s.probs(flat, { typicalP: 1 })).toEqual(s.probs(flat));
    // Stage order: top-k 1 leaves one token, which typical-p keeps whatever its key.
    expect(keptSet(s.probs(x, { topK: 1, typicalP: 0.1 }))).toEqual([0]);
  });

  describe.each(BACKENDS)('%s rejects a bad typicalP, naming it', (backend) => {
    test.each([
      [0, RangeError, /typicalP must be in \(0, 1\].*got 0/],
      [-0.1, RangeError, /typicalP.*got -0.1/],
      [1.5, RangeError, /typicalP.*got 1.5/],
      [Number.NaN, RangeError, /typicalP.*got NaN/],
      ['0.9', TypeError, /typicalP must be a number, got "0.9"/],
    ])('%o', async (typicalP, type, message) => {
      const s = await createSampler({ backend, seed: 1 });
      expect(() => s.sample(flat, { typicalP: typicalP as number })).toThrow(type);
      expect(() => s.probs(flat, { typicalP: typicalP as number })).toThrow(message);
      expect(() => s.sample(flat, { typical_p: 0.9 } as never)).toThrow(
        /unknown sampling option 'typical_p' \(did you mean 'typicalP'\?\)/,
      );
    });
  });
});
