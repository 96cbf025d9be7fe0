// @ts-check
// Deterministic logits, the one generator of the project: the tests import it through
// test/support/data.ts and the benchmark through bench/workloads.mjs, so "peaked" means the
// same thing in both. Plain JavaScript because the benchmark runs in plain Node, which
// cannot load TypeScript; JSDoc gives the tests their types.

/**
 * A tiny seeded generator (mulberry32), unrelated to the library's own. Statistical quality
 * is irrelevant here; what matters is that it is seeded, fast and identical everywhere.
 * @param {number} seed any number; only its low 32 bits count
 * @returns {() => number} uniform draws in [0, 1)
 */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * One standard normal draw (Box–Muller, cosine half only: two uniforms per draw).
 * @param {() => number} r a generator from {@link rng}
 * @returns {number}
 */
export function normal(r) {
  // 1 - r() is in (0, 1], so the log is finite.
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

/**
 * The kinds of logits vector:
 * - `lm`: like a real language-model head — 2.5·N(0,1), plus 20 tokens boosted by U[8, 15];
 * - `peaked`: far sharper than any real head — 12·N(0,1), plus 20 tokens boosted by U[8, 15];
 * - `flat`: high entropy — 0.5·N(0,1);
 * - `ties`: integers in [-3, 2], so many exact ties;
 * - `masked`: 3·N(0,1) with about 40% of the entries -Infinity (never all of them);
 * - `wide`: uniform over [-200, 200).
 * @typedef {'lm' | 'peaked' | 'flat' | 'ties' | 'masked' | 'wide'} Shape
 */

/** @type {readonly Shape[]} */
export const SHAPES = ['lm', 'peaked', 'flat', 'ties', 'masked', 'wide'];

/** How many tokens `lm` and `peaked` boost. */
export const BOOSTED = 20;

/**
 * The shapes that are σ·N(0,1), plus BOOSTED boosted tokens where `boosted`: one table, so
 * the benchmark's never-repeating vectors (bench/lib/fresh-logits.mjs) have exactly these
 * statistics too.
 * @type {Readonly<Record<'lm' | 'peaked' | 'flat', {sigma: number, boosted: boolean}>>}
 */
export const NORMAL_SHAPES = {
  lm: { sigma: 2.5, boosted: true },
  peaked: { sigma: 12, boosted: true },
  flat: { sigma: 0.5, boosted: false },
};

/**
 * A logits vector of `n` entries of the given shape; the same (n, shape, seed) always gives
 * the same vector, on every machine.
 * @param {number} n vocabulary size
 * @param {Shape} shape
 * @param {number} seed
 * @returns {Float32Array}
 */
export function makeLogits(n, shape, seed) {
  const r = rng(seed);
  const x = new Float32Array(n);
  switch (shape) {
    case 'lm':
    case 'peaked':
    case 'flat': {
      const { sigma, boosted } = NORMAL_SHAPES[shape];
      for (let i = 0; i < n; i++) x[i] = sigma * normal(r);
      return boosted ? boost(x, r) : x;
    }
    case 'ties':
      for (let i = 0; i < n; i++) x[i] = Math.floor(r() * 6) - 3;
      return x;
    case 'masked':
      // Short-circuit order matters: the normal is drawn only for unmasked entries.
      for (let i = 0; i < n; i++) x[i] = r() < 0.4 ? -Infinity : 3 * normal(r);
      if (!x.some((v) => v > -Infinity)) x[Math.floor(r() * n)] = 0;
      return x;
    case 'wide':
      for (let i = 0; i < n; i++) x[i] = (r() - 0.5) * 400;
      return x;
    default:
      throw new RangeError(`makeLogits: unknown shape "${shape}" (expected one of ${SHAPES.join(', ')})`);
  }
}

/**
 * Adds U[8, 15] to BOOSTED random positions (a position drawn twice is boosted twice): the
 * handful of clearly preferred continuations a model head has.
 * @param {Float32Array} x
 * @param {() => number} r
 */
export function boost(x, r) {
  for (let j = 0; j < Math.min(BOOSTED, x.length); j++) {
    const i = Math.floor(r() * x.length);
    x[i] = (x[i] ?? 0) + (8 + 7 * r());
  }
  return x;
}
