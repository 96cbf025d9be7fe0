// `dynamicTemperature`: llama.cpp's entropy-based temperature (dynatemp). T = min + (max −
// min)·(H / ln V′)^exponent, H the entropy (nats) at temperature 1 of the processed logits
// (after mask, bias, penalties), V′ their unmasked count; V′ ≤ 1 gives T = min.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS, samplers } from '../support/backends.js';
import { dynamicTemperatureError } from '../support/compare.js';
import { type ControlCase, checkAgainstReference, controlSuite } from '../support/control-suite.js';
import { probsFrom, randomBias, randomHistory, randomMask } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';
import { processedEntropy, reference } from '../support/reference.js';

const flat = makeLogits(600, 'flat', 51).map((v) => v * 3);
const peaked = makeLogits(600, 'peaked', 52).map((v) => v / 4);

const CASES: ControlCase[] = [
  { name: '[0.5, 1.5], n = 600', x: flat, params: { dynamicTemperature: { min: 0.5, max: 1.5 } } },
  { name: '[0, 2], exponent 2, n = 600', x: peaked, params: { dynamicTemperature: { min: 0, max: 2, exponent: 2 } } },
  {
    name: '[0.3, 1.2], exponent 0.5, top-k 100',
    x: flat,
    params: { dynamicTemperature: { min: 0.3, max: 1.2, exponent: 0.5 }, topK: 100 },
  },
  {
    name: 'entropy read after the mask: [0.2, 3], top-p 0.9',
    x: flat,
    params: { dynamicTemperature: { min: 0.2, max: 3 }, allowed: randomMask(600, 0.05, 53), topP: 0.9 },
  },
];

controlSuite('dynamic temperature', CASES);

// The entropy is read after the bias and the penalties, and from ln p for probability input.
const EDITED: ControlCase[] = [
  {
    name: 'after a bias and penalties, [0.5, 1.5]',
    x: flat,
    params: {
      dynamicTemperature: { min: 0.5, max: 1.5 },
      logitBias: randomBias(600, 40, -3, 3, 55),
      history: randomHistory(600, 64, 56),
      repetitionPenalty: 1.3,
      frequencyPenalty: 0.2,
    },
  },
  {
    name: 'probability input, [0.3, 1.2], exponent 2',
    x: probsFrom(flat),
    params: { input: 'probs', dynamicTemperature: { min: 0.3, max: 1.2, exponent: 2 } },
  },
  {
    name: 'probability input as number[], top-p 0.9',
    x: Array.from(probsFrom(peaked)),
    params: { input: 'probs', dynamicTemperature: { min: 0.1, max: 2 }, topP: 0.9 },
    // Reference and parity only: the Float32Array case above draws from the same path.
    draws: 0,
  },
];

controlSuite('dynamic temperature with edits', EDITED);

describe('dynamic temperature', () => {
  test.each(BACKENDS)('%s: with edits and probability input, a logitsView is read right', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    for (const c of EDITED) {
      const view = s.logitsView(c.x.length);
      view.set(c.x);
      expect(checkAgainstReference(s, { ...c, x: view }).ambiguous).toBe(false);
    }
  });

  test.each(BACKENDS)('%s: the temperature chosen is the float64 one, within its bound', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    for (const c of CASES) {
      const want = reference(c.x, c.params).temperature;
      const got = s.sampleDetailed(c.x, c.params as never).temperature;
      expect(Math.abs(got - want) / want, c.name).toBeLessThanOrEqual(dynamicTemperatureError(c.x, c.params));
    }
  });

  test.each(BACKENDS)(
    '%s: the ends of the range — uniform logits give max, one live token gives min',
    async (backend) => {
      const s = await createSampler({ backend, seed: 1 });
      const d = { min: 0.4, max: 1.7 };
      expect(s.sampleDetailed(new Float32Array(500), { dynamicTemperature: d }).temperature).toBeCloseTo(1.7, 6);
      const one = new Float32Array(500).fill(-Infinity);
      one[123] = 5;
      const r = s.sampleDetailed(one, { dynamicTemperature: d });
      expect(r.token).toBe(123);
      expect(r.temperature).toBe(0.4);
      // min = max is a fixed temperature: the same bits as temperature: min.
      expect(s.probs(flat, { dynamicTemperature: { min: 0.8, max: 0.8 } })).toEqual(
        s.probs(flat, { temperature: 0.8 }),
      );
      // min = max = 0 is greedy.
      expect(s.sample(flat, { dynamicTemperature: { min: 0, max: 0 } })).toBe(flat.indexOf(Math.max(...flat)));
    },
  );

  test('the temperature rises with the entropy, on every backend alike', async () => {
    const all = await samplers(2);
    const d = { min: 0.2, max: 2, exponent: 1.5 };
    let last = -1;
    let lastH = -1;
    for (const scale of [8, 4, 2, 1, 0.5, 0.1]) {
      const x = makeLogits(3000, 'flat', 54).map((v) => v * scale);
      const ts = all.map((s) => s.sampleDetailed(x, { dynamicTemperature: d }).temperature);
      expect(ts[1]).toBe(ts[0]);
      expect(ts[2]).toBe(ts[0]);
      const H = processedEntropy(x, {});
      expect(H).toBeGreaterThan(lastH);
      expect(ts[0]).toBeGreaterThan(last);
      last = ts[0]!;
      lastH = H;
    }
  });

  describe.each(BACKENDS)('%s rejects bad dynamicTemperature values, naming them', (backend) => {
    test.each([
      [
        { temperature: 1, dynamicTemperature: { min: 0.5, max: 1 } },
        TypeError,
        /give temperature or dynamicTemperature, not both/,
      ],
      [
        { dynamicTemperature: 1 },
        TypeError,
        /dynamicTemperature must be an object like \{ min, max, exponent \}, got 1/,
      ],
      [{ dynamicTemperature: { min: 0.5 } }, TypeError, /dynamicTemperature needs min and max/],
      [{ dynamicTemperature: { max: 1 } }, TypeError, /dynamicTemperature needs min and max/],
      [
        { dynamicTemperature: { min: -0.1, max: 1 } },
        RangeError,
        /dynamicTemperature.min must be a finite number ≥ 0, got -0.1/,
      ],
      [{ dynamicTemperature: { min: 0.5, max: Infinity } }, RangeError, /dynamicTemperature.max.*got Infinity/],
      [{ dynamicTemperature: { min: 0.5, max: Number.NaN } }, RangeError, /dynamicTemperature.max.*got NaN/],
      [{ dynamicTemperature: { min: 1, max: 0.5 } }, RangeError, /dynamicTemperature.max \(0.5\) must be ≥ min \(1\)/],
      [{ dynamicTemperature: { min: 0, max: 1, exponent: -1 } }, RangeError, /dynamicTemperature.exponent.*got -1/],
      [
        { dynamicTemperature: { min: 0, max: 1, exponent: '2' } },
        TypeError,
        /dynamicTemperature.exponent must be a number, got "2"/,
      ],
      [{ dynamicTemperature: { min: 0, max: 1, exp: 2 } }, TypeError, /unknown dynamicTemperature option 'exp'/],
      [
        { dynatemp: { min: 0, max: 1 } },
        TypeError,
        /unknown sampling option 'dynatemp' \(did you mean 'dynamicTemperature'\?\)/,
      ],
    ])('%o', async (params, type, message) => {
      const s = await createSampler({ backend, seed: 1 });
      expect(() => s.sample(flat, params as never)).toThrow(type);
      expect(() => s.probs(flat, params as never)).toThrow(message);
      expect(() => s.sampleDetailed(flat, params as never)).toThrow(message);
    });
  });
});
