// Issue 16, item 6: with `input: 'probs'`, the repetition penalty depended on the scale of the
// probabilities — it divides or multiplies ln p, whose sign the scale decides. [0.2, 0.3, 0.5]·k
// with history [2] and repetitionPenalty 2 gave p[2] = 0.333 / 0.309 / 0.124 / 0.0005 for
// k = 1 / 10 / 100 / 0.001. The probabilities are normalised first now (in the kernels): the
// penalty acts on ln(p/Σp), whatever k is.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { compareProbs } from '../support/compare.js';
import { probsFrom } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';
import { reference } from '../support/reference.js';
import { probTolerance } from '../support/tolerance.js';

describe.each(BACKENDS)('%s: the repetition penalty on probabilities of any scale', (backend) => {
  test("the issue's case: p[2] = 1/3 for k = 1, 10, 100 and 0.001", async () => {
    const s = await createSampler({ backend, seed: 1 });
    // ln(0.5)·2 → 0.25: [0.2, 0.3, 0.25] / 0.75.
    for (const k of [1, 10, 100, 0.001, 1e30, 1e-30]) {
      const p = s.probs([0.2 * k, 0.3 * k, 0.5 * k], { input: 'probs', history: [2], repetitionPenalty: 2 });
      expect(p[2], `k = ${k}`).toBeCloseTo(1 / 3, 5);
      expect(p[0], `k = ${k}`).toBeCloseTo(0.2 / 0.75, 5);
    }
  });

  test('over 1,000 tokens with every penalty: the float64 reference of ln(p/Σp) at every scale', async () => {
    const s = await createSampler({ backend, seed: 2 });
    const x = makeLogits(1000, 'lm', 121);
    const history = Array.from({ length: 64 }, (_, i) => (i * 37) % 1000);
    const params = {
      input: 'probs' as const,
      history,
      repetitionPenalty: 1.4,
      presencePenalty: 0.3,
      frequencyPenalty: 0.1,
      temperature: 0.9,
    };
    const base = probsFrom(x);
    const want = reference(base, params);
    for (const k of [1, 1e4, 1e-6, 1e-30]) {
      // The reference of the scaled float32 array itself: at 1e-30 the smallest entries are
      // subnormal, and their own rounding is no fault of the penalty.
      const scaled = base.map((v) => v * k);
      const exact = reference(scaled, params);
      expect(compareProbs(s.probs(scaled, params), exact, `scale ${k}`)).toBeLessThan(probTolerance(exact));
      // Away from the subnormals, the distribution is the same at every scale.
      expect(compareProbs(s.probs(scaled, params), want, `scale ${k}`)).toBeLessThan(k < 1e-20 ? 1e-3 : 1e-5);
    }
    // The same as logits ln(p/Σp) through the logits path.
    const sum = base.reduce((a, b) => a + b, 0);
    const logits = s.probs(
      Float32Array.from(base, (v) => Math.log(v / sum)),
      { ...params, input: 'logits' },
    );
    expect(compareProbs(logits, want)).toBeLessThan(probTolerance(want));
  });
});

test(`Σp is summed alike on ${BACKENDS.join(', ')}: bit-identical probabilities at every length mod 4`, async () => {
  const all = await Promise.all(BACKENDS.map((backend) => createSampler({ backend, seed: 3 })));
  for (const n of [1, 2, 3, 5, 1003, 4097, 4098, 4099]) {
    const p = probsFrom(makeLogits(n, 'lm', n)).map((v) => v * 37.5);
    const params = { input: 'probs' as const, history: [0, n - 1, n >> 1], repetitionPenalty: 1.7 };
    const [first, ...rest] = all.map((s) => Array.from(new Uint32Array(s.probs(p, params).buffer)));
    for (const other of rest) expect(other, `n = ${n}`).toEqual(first);
  }
});
