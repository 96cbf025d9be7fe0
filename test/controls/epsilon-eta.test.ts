// `epsilonCutoff` and `etaCutoff` (Hewitt et al. 2022; HF EpsilonLogitsWarper and
// EtaLogitsWarper): keep the tokens with p ≥ ε, or with p ≥ η = min(ε, √ε·e^−H) — H the entropy
// of the distribution the stage receives, the formula HF's code computes — and at least the
// most likely token (minKeep more).
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { expectCuts } from '../support/cuts.js';
import { makeLogits } from '../support/data.js';
import { entropy } from '../support/reference.js';
import { thrown } from '../support/thrown.js';

const lm = makeLogits(3000, 'lm', 81);
const lm2 = makeLogits(4000, 'lm', 82);
const masked = makeLogits(2000, 'masked', 83);
const flat = makeLogits(1000, 'flat', 84);

const CASES: ControlCase[] = [
  { name: 'ε 3e-4 on LM-like logits', x: lm, params: { epsilonCutoff: 3e-4 } },
  { name: 'ε 0.01 at temperature 0.7', x: lm2, params: { epsilonCutoff: 0.01, temperature: 0.7 } },
  {
    name: "ε 0.002 in llama.cpp's order, temperature 1.5 after",
    x: lm,
    params: { epsilonCutoff: 0.002, temperature: 1.5, order: 'llama.cpp' },
  },
  { name: 'ε 0.001 after top-p 0.98 (the kept set)', x: lm2, params: { topP: 0.98, epsilonCutoff: 0.001 } },
  { name: 'ε 0.003 over masked logits', x: masked, params: { epsilonCutoff: 0.003 } },
  { name: 'η 4e-3 on LM-like logits', x: lm, params: { etaCutoff: 4e-3 } },
  { name: 'η 0.05 at temperature 1.3', x: lm2, params: { etaCutoff: 0.05, temperature: 1.3 } },
  { name: 'η 0.01 after top-k 100', x: lm, params: { topK: 100, etaCutoff: 0.01 } },
  {
    name: "η 3e-4 in llama.cpp's order after typical-p 0.95",
    x: lm2,
    params: { typicalP: 0.95, etaCutoff: 3e-4, order: 'llama.cpp' },
  },
  { name: 'ε then η on flat logits', x: flat, params: { epsilonCutoff: 8e-4, etaCutoff: 0.5 } },
];

controlSuite('ε and η', CASES);

/** softmax in float64. */
const softmax = (x: ArrayLike<number>) => {
  const m = Math.max(...Array.from(x));
  const e = Array.from(x, (v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
};

describe('ε and η', () => {
  test('every case cuts something and keeps more than one token', () => expectCuts(CASES, 1));

  test.each(BACKENDS)("%s: η is min(ε, √ε·e^−H), HF's code, not its docstring's √(ε·e^−H)", async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const q = softmax(lm);
    const H = entropy(q);
    for (const eps of [0.5, 0.2]) {
      const code = Math.min(eps, Math.sqrt(eps) * Math.exp(-H));
      const docstring = Math.min(eps, Math.sqrt(eps * Math.exp(-H)));
      const want = q.flatMap((p, i) => (p >= code ? [i] : []));
      expect(want.length).toBeGreaterThan(0);
      expect(q.filter((p) => p >= docstring).length, `ε ${eps}: the formulas differ here`).not.toBe(want.length);
      expect(keptSet(s.probs(lm, { etaCutoff: eps }))).toEqual(want);
    }
  });

  test.each(BACKENDS)(
    '%s: ε with no token reaching it keeps the most likely one (minKeep: that many)',
    async (backend) => {
      const s = await createSampler({ backend, seed: 2 });
      const x = [0.3, 0.25, 0.25, 0.2].map(Math.log);
      expect(Array.from(s.probs(x, { epsilonCutoff: 0.5 }))).toEqual([1, 0, 0, 0]);
      expect(keptSet(s.probs(x, { epsilonCutoff: 0.5, minKeep: 3 }))).toEqual([0, 1, 2]);
      // Ties take the lowest tokens first.
      expect(keptSet(s.probs(x, { epsilonCutoff: 0.5, minKeep: 2 }))).toEqual([0, 1]);
      // Over a large vocabulary too, where ε is first on the logits.
      const top = flat.indexOf(Math.max(...flat));
      expect(keptSet(s.probs(flat, { epsilonCutoff: 0.9 }))).toEqual([top]);
    },
  );

  test.each(BACKENDS)(
    '%s: each sees the distribution it receives (after top-k: its renormalised survivors)',
    async (backend) => {
      const s = await createSampler({ backend, seed: 3 });
      const x = [0.4, 0.3, 0.15, 0.1, 0.05].map(Math.log);
      // Alone, ε 0.12 keeps 0.4, 0.3 and 0.15; after top-k 4 the 0.1 is 0.1/0.95 = 0.105: kept at
      // ε 0.1, not at 0.106.
      expect(keptSet(s.probs(x, { epsilonCutoff: 0.12 }))).toEqual([0, 1, 2]);
      expect(keptSet(s.probs(x, { epsilonCutoff: 0.106, topK: 4 }))).toEqual([0, 1, 2]);
      expect(keptSet(s.probs(x, { epsilonCutoff: 0.1, topK: 4 }))).toEqual([0, 1, 2, 3]);
      // Temperature first (HF's order) sharpens what ε sees; last (llama.cpp's), it does not.
      expect(keptSet(s.probs(x, { epsilonCutoff: 0.12, temperature: 0.5 }))).toEqual([0, 1]);
      expect(keptSet(s.probs(x, { epsilonCutoff: 0.12, temperature: 0.5, order: 'llama.cpp' }))).toEqual([0, 1, 2]);
    },
  );

  test.each(BACKENDS)('%s: 0 is off', async (backend) => {
    const s = await createSampler({ backend, seed: 4 });
    expect(s.probs(lm, { epsilonCutoff: 0, etaCutoff: 0 })).toEqual(s.probs(lm));
    expect(s.sample(lm, { epsilonCutoff: 0 })).toBe((await createSampler({ backend, seed: 4 })).sample(lm));
  });

  test('no host Math function decides what they keep', async () => {
    // The generated JavaScript build computes √, 2^ and log2 with the kernels' own arithmetic:
    // nudging the host's functions by an ulp changes no bit.
    const params = [
      { etaCutoff: 0.05 },
      { epsilonCutoff: 0.003, temperature: 0.7 },
      { pLess: true },
      { xtc: { probability: 1, threshold: 0.05 } },
    ];
    const before = await createSampler({ backend: 'js', seed: 5 });
    const want = params.map((p) => Array.from(before.probs(lm, p)));
    const names = ['exp', 'log', 'log2', 'sqrt', 'pow', 'cbrt', 'expm1', 'log1p'] as const;
    const saved = names.map((k) => Math[k]);
    try {
      for (const k of names) {
        const f = Math[k] as (...a: number[]) => number;
        (Math as unknown as Record<string, unknown>)[k] = (...a: number[]) => f(...a) * (1 + 2 ** -52);
      }
      const after = await createSampler({ backend: 'js', seed: 5 });
      for (const [i, p] of params.entries()) expect(Array.from(after.probs(lm, p)), JSON.stringify(p)).toEqual(want[i]);
    } finally {
      names.forEach((k, i) => {
        (Math as unknown as Record<string, unknown>)[k] = saved[i];
      });
    }
  });

  describe.each(BACKENDS)('%s rejects a bad cutoff, naming it', (backend) => {
    test.each(['epsilonCutoff', 'etaCutoff'] as const)('%s', async (name) => {
      const s = await createSampler({ backend, seed: 6 });
      const t = await createSampler({ backend, seed: 6 });
      for (const [v, type, message] of [
        [1, RangeError, new RegExp(`${name} must be in \\[0, 1\\) \\(0 = off\\), got 1$`)],
        [-0.01, RangeError, new RegExp(`${name} must be in \\[0, 1\\).*got -0\\.01`)],
        [Number.NaN, RangeError, new RegExp(`${name} must be in \\[0, 1\\).*got NaN`)],
        [Infinity, RangeError, new RegExp(`${name}.*got Infinity`)],
        ['0.1', TypeError, new RegExp(`${name} must be a number, got "0\\.1"`)],
        [true, TypeError, new RegExp(`${name} must be a number, got true`)],
      ] as const) {
        thrown(() => s.sample(lm, { [name]: v } as never), type, message);
        thrown(() => s.probs(lm, { [name]: v } as never), type, message);
      }
      expect(s.sample(lm)).toBe(t.sample(lm));
    });

    test("other APIs' spellings point at them", async () => {
      const s = await createSampler({ backend, seed: 7 });
      thrown(() => s.sample(lm, { epsilon_cutoff: 3e-4 } as never), TypeError, /did you mean 'epsilonCutoff'/);
      thrown(() => s.sample(lm, { eta_cutoff: 3e-4 } as never), TypeError, /did you mean 'etaCutoff'/);
      thrown(() => s.sample(lm, { epsilon: 3e-4 } as never), TypeError, /did you mean 'epsilonCutoff'/);
      thrown(
        () => s.sample(lm, { etaCutoff: 3e-4, order: ['temperature', 'epsilon'] }),
        TypeError,
        /etaCutoff is set but order does not name 'eta'/,
      );
    });
  });
});
