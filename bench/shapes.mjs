// @ts-check
// Input shapes that have made samplers fall off a speed cliff, each timed next to the ordinary
// shape it should cost about as much as: `node bench/shapes.mjs` (after `npm run build`; a
// build older than the sources is refused).
// Copy-in calls (a Float32Array each time), 128,256 tokens unless said. As in `npm run bench`,
// every timed call gets logits no call has seen, made untimed (a CPU learns inputs it sees
// again and again), and a row gives the median per call.
// A row reads "shape: time (vs the reference shape: its time, ratio)".
import { freshLogits } from './lib/fresh-logits.mjs';
import { loadLibrary } from './lib/library.mjs';
import { measureCell } from './lib/measure.mjs';
import { NORMAL_SHAPES, normal, rng } from './logits.mjs';

const { createSampler } = await loadLibrary();

const n = 128256;
const chain = { temperature: 0.7, topK: 40, topP: 0.9 };
/** The tokens the masks leave, as many as every 10,000th position of n; at new places for
 *  every call, like everything else. */
const KEPT = 13;
/** Per row; fast rows get many more calls than the minimum. */
const BUDGET = { time: 500, iterations: 30, warmupTime: 50, warmupIterations: 5 };

/** @typedef {() => Float32Array} Stream a new vector on each call, in an array it reuses */

/**
 * Vectors of `size` entries, each f(u) with u uniform in [0, 1), new for every entry.
 * @param {number} size @param {(u: number) => number} f @param {number} seed @returns {Stream}
 */
function uniformStream(size, f, seed) {
  const r = rng(seed);
  const x = new Float32Array(size);
  return () => {
    for (let i = 0; i < size; i++) x[i] = f(r());
    return x;
  };
}

/** KEPT distinct positions below n. @param {() => number} r @returns {number[]} */
function keptPositions(r) {
  const kept = new Set();
  while (kept.size < KEPT) kept.add(Math.floor(r() * n));
  return [...kept];
}

const flat = freshLogits(NORMAL_SHAPES.flat, n, 1);
const lm = freshLogits(NORMAL_SHAPES.lm, n, 2);
// Constrained decoding: all but KEPT LM-like tokens masked, as -Infinity or through `allowed`.
const maskRng = rng(3);
const maskedLogits = new Float32Array(n);
/** @type {Stream} */
const masked = () => {
  maskedLogits.fill(-Infinity);
  for (const i of keptPositions(maskRng)) maskedLogits[i] = NORMAL_SHAPES.lm.sigma * normal(maskRng);
  return maskedLogits;
};
const allowed = new Uint32Array(Math.ceil(n / 32));
/** @type {Stream} */
const lmAndMask = () => {
  allowed.fill(0);
  for (const i of keptPositions(maskRng)) allowed[i >>> 5] |= 1 << (i & 31);
  return lm();
};
// Near-uniform logits over a large vocabulary (the whole of it in one narrow range).
const wide = 300_000;
const uniform = uniformStream(wide, (u) => 1000 + Math.floor(u * 1000) * 1e-6, 4);
// Subnormal logits: arithmetic on them is slow on x86 unless rescaled.
const subnormal = uniformStream(n, (u) => Math.floor(u * 1000) * 1e-41, 5);

for (const backend of /** @type {const} */ (['wasm-simd', 'wasm', 'js'])) {
  const s = await createSampler({ backend, seed: 1 });
  /**
   * Median µs per call of sample(logits, params), the logits from `next`.
   * @param {Stream} next @param {import('../src/index.js').SamplingParams} params @param {number} [size]
   */
  const time = async (next, params, size = n) => {
    /** @type {import('./lib/contenders.mjs').Contender} */
    const copyIn = { name: backend, feed: (x) => x, run: (x) => s.sample(x, params) };
    const r = await measureCell(copyIn, next, size, BUDGET);
    if (r.medianUs === undefined) throw new Error(`${backend}: ${r.error}`);
    return r.medianUs;
  };
  const flatChain = await time(flat, chain);
  const flatTopP = await time(flat, { topP: 0.9 });
  /** @param {string} name @param {number} t @param {string} refName @param {number} ref */
  const row = (name, t, refName, ref) =>
    `  ${name}: ${t.toFixed(0)} µs (vs ${refName}: ${ref.toFixed(0)} µs, ${(t / ref).toFixed(2)}×)`;
  console.log(backend);
  console.log(row('99.99% -Infinity, top-k 40 + top-p 0.9', await time(masked, chain), 'flat logits', flatChain));
  console.log(
    row(
      '13 tokens allowed by a mask, same params',
      await time(lmAndMask, { ...chain, allowed }),
      'flat logits',
      flatChain,
    ),
  );
  console.log(
    row(
      '300,000 near-uniform logits, top-p 0.5',
      await time(uniform, { topP: 0.5 }, wide),
      'flat top-p 0.9 scaled to 300,000',
      (flatTopP * wide) / n,
    ),
  );
  console.log(row('subnormal logits, top-p 0.9', await time(subnormal, { topP: 0.9 }), 'flat top-p 0.9', flatTopP));
}
