// `dynamicTemperature`: llama.cpp's entropy-based temperature (dynatemp). T = min + (max −
// min)·(H / ln V′)^exponent, H the entropy (nats) at temperature 1 of what the temperature
// stage receives — the processed logits (after mask, bias, penalties) in Hugging Face's order,
// what the truncations before it kept in llama.cpp's (order.test.ts) — and V′ their count;
// V′ ≤ 1 gives T = min.
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS, KERNEL_BUILDS } from '../support/backends.js';
import { CHECKED, checkAgainstReference, controlSuite } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { processedEntropy } from '../support/reference.js';
import { CASES, EDITED, FLAT as flat } from './dynamic-temperature.cases.js';

controlSuite('dynamic temperature', CASES);
controlSuite('dynamic temperature with edits', EDITED);

describe('dynamic temperature', () => {
  test('with edits and probability input, a logitsView is read right', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    for (const c of EDITED) {
      const view = s.logitsView(c.x.length);
      view.set(c.x);
      expect(checkAgainstReference(s, { ...c, x: view }).ambiguous).toBe(false);
    }
  });

  // Found by an adversarial pass: a largest logit near 0 makes the kernels scale the logits up
  // by 2^64, which took -1e20 (a Hugging Face-style float32-min mask would do) to -Infinity,
  // and V′ was counted after it: 2 tokens instead of 3, T = max instead of the formula's.
  test.each(KERNEL_BUILDS)('%s: V′ counts a huge negative logit beside a largest one near 0', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const x = new Float32Array(192).fill(-Infinity);
    x[3] = 0;
    x[4] = 0;
    x[5] = -1e20;
    // H = ln 2 (the third token's e is 0), V′ = 3: T = 0.5 + 1·(ln 2 / ln 3).
    const want = 0.5 + Math.LN2 / Math.log(3);
    expect(s.sampleDetailed(x, { dynamicTemperature: { min: 0.5, max: 1.5 } }).temperature).toBeCloseTo(want, 12);
  });

  // XTC (or a band) that drops the maximum leaves the kept e measured from it: the entropy's
  // two terms then cancel to float32 noise, 6e-8 where it is 0, and an exponent of 0.25 made
  // that T = 24.2 for 10.0. The kept list is measured from its own maximum instead.
  test.each(BACKENDS)('%s: after XTC drops the maximum, T is that of the kept tokens alone', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const dynamicTemperature = { min: 10, max: 1000, exponent: 0.25 };
    for (const x of [
      [0, -1, -40, -40, -40],
      [0, -0.5, -1.5, -9, -12],
    ]) {
      const viaXtc = s.sampleDetailed(x, {
        order: ['xtc', 'temperature'],
        xtc: { probability: 1, threshold: 0.2 },
        dynamicTemperature,
      });
      const masked = s.sampleDetailed([-Infinity, ...x.slice(1)], { dynamicTemperature });
      expect(viaXtc.temperature, `${x}`).toBeCloseTo(masked.temperature, 9);
    }
  });

  test('the ends of the range — uniform logits give max, one live token gives min', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const d = { min: 0.4, max: 1.7 };
    expect(s.sampleDetailed(new Float32Array(500), { dynamicTemperature: d }).temperature).toBeCloseTo(1.7, 6);
    const one = new Float32Array(500).fill(-Infinity);
    one[123] = 5;
    const r = s.sampleDetailed(one, { dynamicTemperature: d });
    expect(r.token).toBe(123);
    expect(r.temperature).toBe(0.4);
    // min = max is a fixed temperature: the same bits as temperature: min.
    expect(s.probs(flat, { dynamicTemperature: { min: 0.8, max: 0.8 } })).toEqual(s.probs(flat, { temperature: 0.8 }));
    // min = max = 0 is greedy.
    expect(s.sample(flat, { dynamicTemperature: { min: 0, max: 0 } })).toBe(flat.indexOf(Math.max(...flat)));
  });

  test('the temperature rises with the entropy', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 2 });
    const d = { min: 0.2, max: 2, exponent: 1.5 };
    let last = -1;
    let lastH = -1;
    for (const scale of [8, 4, 2, 1, 0.5, 0.1]) {
      const x = makeLogits(3000, 'flat', 54).map((v) => v * scale);
      const t = s.sampleDetailed(x, { dynamicTemperature: d }).temperature;
      const H = processedEntropy(x, {});
      expect(H).toBeGreaterThan(lastH);
      expect(t).toBeGreaterThan(last);
      last = t;
      lastH = H;
    }
  });

  // Regressions of the known bug dynamicRunsTwice (fixed in 0650ee5), on both kernel codes.
  describe.each(KERNEL_BUILDS)('%s', (_backend) => {
    test('dynamic temperature applies a bias once', async () => {
      const s = await createSampler({ backend: CHECKED, seed: 1 });
      const p = s.probs(new Float32Array(4), { logitBias: { 0: 1 }, dynamicTemperature: { min: 1, max: 1 } });
      expect(p[0]).toBeCloseTo(Math.E / (Math.E + 3), 6);
    });

    test('dynamic temperature on probability input', async () => {
      const s = await createSampler({ backend: CHECKED, seed: 1 });
      const params: SamplingParams = { input: 'probs', dynamicTemperature: { min: 0.5, max: 1 } };
      // Uniform: H = ln 4 = ln V′, so T = max = 1 and the distribution stays uniform.
      expect(Array.from(s.probs(new Float32Array(4).fill(0.25), params))).toEqual([0.25, 0.25, 0.25, 0.25]);
    });
  });

  describe('rejects bad dynamicTemperature values, naming them', () => {
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
      const s = await createSampler({ backend: CHECKED, seed: 1 });
      expect(() => s.sample(flat, params as never)).toThrow(type);
      expect(() => s.probs(flat, params as never)).toThrow(message);
      expect(() => s.sampleDetailed(flat, params as never)).toThrow(message);
    });
  });
});
