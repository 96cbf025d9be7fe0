// `pLess: true` (p-less sampling, ICLR 2026; llama.cpp PR #26035, mlx-vlm): keep the tokens with
// p ≥ Σp² − 1e-5 of the distribution the stage receives. Σp² — the collision probability — is
// never above the largest p, so the most likely token always stays; the 1e-5 keeps a uniform
// distribution whole despite rounding.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { expectCuts } from '../support/cuts.js';
import { makeLogits, SHAPES } from '../support/data.js';
import { thrown } from '../support/thrown.js';

const lm = makeLogits(3000, 'lm', 91);
const flat = makeLogits(2000, 'flat', 92);
const masked = makeLogits(2000, 'masked', 93);
const ties = makeLogits(2000, 'ties', 95);

// LM-like logits at T = 1 are peaked enough that p-less keeps the top token alone: the cases
// take higher temperatures and flatter logits, where it keeps a few to a few hundred.
const CASES: ControlCase[] = [
  { name: 'LM-like logits at temperature 2.5', x: lm, params: { pLess: true, temperature: 2.5 } },
  { name: 'LM-like logits at temperature 4', x: lm, params: { pLess: true, temperature: 4 } },
  {
    name: "flat logits, llama.cpp's order, temperature 0.7 after",
    x: flat,
    params: { pLess: true, temperature: 0.7, order: 'llama.cpp' },
  },
  { name: 'after top-k 30 at temperature 3', x: lm, params: { topK: 30, pLess: true, temperature: 3 } },
  {
    name: 'after min-p and top-p 0.99 (the kept set)',
    x: lm,
    params: { minP: 0.001, topP: 0.99, pLess: true, temperature: 3 },
  },
  { name: 'flat logits', x: flat, params: { pLess: true } },
  { name: 'tied logits', x: ties, params: { pLess: true } },
  { name: 'masked logits at temperature 3', x: masked, params: { pLess: true, temperature: 3 } },
];

controlSuite('p-less', CASES);

describe('p-less', () => {
  test('every case keeps more than two tokens and fewer than half', () => expectCuts(CASES, 2));

  test.each(BACKENDS)("%s: llama.cpp's published cases", async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    // Σp² = 0.225: 0.25 and 0.3 stay.
    const p = s.probs([0.1, 0.15, 0.2, 0.25, 0.3].map(Math.log), { pLess: true });
    expect(keptSet(p)).toEqual([3, 4]);
    expect(p[3]).toBeCloseTo(0.25 / 0.55, 6);
    // Uniform: Σp² = p, and the margin keeps every token.
    expect(keptSet(s.probs(new Float32Array(5).fill(Math.log(0.2)), { pLess: true }))).toEqual([0, 1, 2, 3, 4]);
    expect(keptSet(s.probs(new Float32Array(100_000), { pLess: true })).length).toBe(100_000);
  });

  test.each(BACKENDS)('%s: the most likely token always stays, on every shape of logits', async (backend) => {
    const s = await createSampler({ backend, seed: 2 });
    for (const shape of SHAPES) {
      for (const temperature of [0.3, 1, 4]) {
        const x = makeLogits(1500, shape, 94);
        const kept = keptSet(s.probs(x, { pLess: true, temperature }));
        expect(kept.length, `${shape} T ${temperature}`).toBeGreaterThan(0);
        expect(kept).toContain(x.indexOf(Math.max(...x)));
      }
    }
  });

  test.each(BACKENDS)('%s: false is off', async (backend) => {
    const s = await createSampler({ backend, seed: 3 });
    expect(s.probs(lm, { pLess: false })).toEqual(s.probs(lm));
  });

  describe.each(BACKENDS)('%s rejects a pLess that is not a boolean', (backend) => {
    test.each([1, 'true', null, 0])('%o', async (v) => {
      const s = await createSampler({ backend, seed: 4 });
      const t = await createSampler({ backend, seed: 4 });
      thrown(() => s.sample(lm, { pLess: v } as never), TypeError, /pLess must be true or false, got /);
      thrown(() => s.probs(lm, { pLess: v } as never), TypeError, /pLess/);
      expect(s.sample(lm)).toBe(t.sample(lm));
      thrown(() => s.sample(lm, { p_less: true } as never), TypeError, /did you mean 'pLess'/);
    });
  });
});
