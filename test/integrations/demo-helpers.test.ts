// The temperature explorer's arithmetic, outside the browser: the chi-square p-value against
// closed forms, its pooling rules, the editable vocabulary's parser, the top-tokens pick. The
// page itself is tested in Chromium by test/runtimes/demo.runtime.ts.
import { describe, expect, it } from 'vitest';
import { chiSquareFit, chiSquareTail, gammaQ, logGamma } from '../../demo/src/chi-square.js';
import { topIndices } from '../../demo/src/stats.js';
import { formatVocabulary, parseVocabulary } from '../../demo/src/vocab-text.js';
import { makeLogits, rng } from '../support/data.js';
import { normalTail } from '../support/stats.js';

/** Q(k, y) for integer k: the Poisson tail e^−y Σ_{j<k} y^j / j!, summed in float64. */
function poissonQ(k: number, y: number): number {
  let term = Math.exp(-y);
  let sum = term;
  for (let j = 1; j < k; j++) {
    term *= y / j;
    sum += term;
  }
  return sum;
}

const relErr = (got: number, want: number) => Math.abs(got - want) / want;

describe('the chi-square p-value', () => {
  it('ln Γ matches ln((n−1)!) and ln Γ(1/2) = ln √π', () => {
    let f = 1;
    for (let n = 1; n <= 30; n++) {
      if (n > 1) f *= n - 1;
      expect(Math.abs(logGamma(n) - Math.log(f))).toBeLessThan(1e-13 * Math.max(1, Math.log(f)));
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
  });

  it('Q(k, y) for integer k is the Poisson tail, on both sides of the series/fraction split', () => {
    for (const k of [1, 2, 3, 5, 10, 50, 200]) {
      for (const y of [0.01, 0.5, 1, 2, 5, 10, 30, 100, 300]) {
        const want = poissonQ(k, y);
        if (want < 1e-300) continue;
        expect(relErr(gammaQ(k, y), want)).toBeLessThan(1e-12);
      }
    }
  });

  it('Q(1/2, y) = P(|Z| > √(2y)), the chi-square tail with 1 degree of freedom', () => {
    for (const y of [0.05, 0.3, 1, 1.92, 4, 8]) {
      expect(relErr(gammaQ(0.5, y), 2 * normalTail(Math.sqrt(2 * y)))).toBeLessThan(1e-9);
    }
    // The textbook 5% point of χ²₁ is 1.95996…² (the normal's 97.5% point, squared).
    const z = 1.959963984540054;
    expect(chiSquareTail(z * z, 1)).toBeCloseTo(0.05, 12);
  });

  it('rejects impossible arguments', () => {
    expect(() => gammaQ(0, 1)).toThrow(RangeError);
    expect(() => gammaQ(1, -1)).toThrow(RangeError);
    expect(gammaQ(3, 0)).toBe(1);
  });

  it('pools tokens expected fewer than 5 times and refuses impossible draws', () => {
    // 1000 draws: expected 500, 400, 99, 1 → the last (1 expected) joins the smallest cell.
    const probs = [0.5, 0.4, 0.099, 0.001];
    const fit = chiSquareFit([500, 400, 99, 1], probs);
    expect(fit).toMatchObject({ cells: 3, df: 2, pooled: 1, impossible: 0 });
    expect(fit.chi2).toBeCloseTo(0, 10);
    expect(fit.p).toBeCloseTo(1, 10);
    // A token of probability 0 drawn once: p = 0, whatever the rest.
    expect(chiSquareFit([500, 400, 99, 1], [0.5, 0.4, 0.1, 0])).toMatchObject({ impossible: 1, p: 0 });
    // One possible token: nothing random to test.
    expect(chiSquareFit([10, 0], [1, 0]).p).toBeNaN();
  });

  it('gives p-values spread over (0, 1) for honest multinomial counts, and tiny ones for biased counts', () => {
    const probs = [0.3, 0.25, 0.2, 0.1, 0.08, 0.05, 0.02];
    const r = rng(12);
    const draw = (bias: number) => {
      const c = new Array<number>(probs.length).fill(0);
      for (let i = 0; i < 2000; i++) {
        let u = r() * (1 + bias);
        let j = 0;
        while (j < probs.length - 1 && u >= probs[j]!) u -= probs[j++]!;
        c[j]!++;
      }
      return c;
    };
    const ps = Array.from({ length: 200 }, () => chiSquareFit(draw(0), probs).p);
    // Each decile of (0, 1) gets some: 200 uniform p-values put 20 ± 13 (3σ) in each.
    for (let d = 0; d < 10; d++) {
      const n = ps.filter((p) => p >= d / 10 && p < (d + 1) / 10).length;
      expect(n).toBeGreaterThan(7);
      expect(n).toBeLessThan(34);
    }
    // Mass 0.3 too much pushed onto the last token: the test sees it at once.
    expect(chiSquareFit(draw(0.3), probs).p).toBeLessThan(1e-6);
  });
});

describe('the editable vocabulary', () => {
  it('reads "word logit" lines, round-trips what it writes, and masks -inf', () => {
    const v = parseVocabulary('the 3\n\n  big cat  -1.5\nnever -inf\n');
    expect(v.labels).toEqual(['the', 'big cat', 'never']);
    expect(Array.from(v.logits)).toEqual([3, -1.5, -Infinity]);
    expect(parseVocabulary(formatVocabulary(v.labels, v.logits))).toEqual(v);
  });

  it('names the bad line', () => {
    expect(() => parseVocabulary('a 1\nb one')).toThrow(/line 2 \("b one"\)/);
    expect(() => parseVocabulary('a 1')).toThrow(/at least 2 words/);
    expect(() => parseVocabulary('a -inf\nb -inf')).toThrow(/masked/);
  });
});

describe('the shown tokens of a large vocabulary', () => {
  it('are the largest logits, largest first, ties by index', () => {
    const x = makeLogits(5000, 'lm', 3);
    const want = Array.from(x.keys())
      .sort((a, b) => x[b]! - x[a]! || a - b)
      .slice(0, 30);
    expect(topIndices(x, 30)).toEqual(want);
    expect(topIndices(Float32Array.from([1, 2, 2, 0, 2]), 2)).toEqual([1, 2]);
    expect(topIndices(Float32Array.from([1, 0]), 5)).toEqual([0, 1]);
  });
});
