// @ts-check
// Timing several calls against each other on a shared, noisy machine: they take turns call by
// call on the same new vectors, so that a slower stretch weighs on all of them alike, and a
// ratio between two of them is read within one turn. The order rotates from turn to turn, since
// a call's place in a turn moves its time: the first finds the caches cold (the new vector was
// just made), and a call right after one that ran the same code on the same vector runs up to
// 15% faster (min-p, measured: the processor learns the vector). So each case reads its own
// rotation of a Float32Array turn vector (the same values, at other places: the same work, a
// new layout), and a ratio is the median over the runs, not the least: the least of several
// medians of a ratio is biased below it (two identical calls measured 0.88× each other so).

/**
 * @template [T=Float32Array]
 * @typedef {object} Case
 * @property {string} name
 * @property {(x: T) => void} feed writes the turn's input (a vector, or several) where the call
 *   reads it (untimed)
 * @property {() => unknown} call the timed call
 */

/**
 * @typedef {object} Alternation
 * @property {number[]} medianUs per case, the least over the runs of its median time
 * @property {(c: number, b: number) => number} ratio the median over the runs of the median of
 *   case c's time ÷ case b's time in the same turn
 */

/**
 * Runs `runs` runs (after one of warm-up) of `calls` turns; each turn makes its input with
 * `next` and times every case once on it (case c on a Float32Array rotated by c·SHIFT).
 * @template [T=Float32Array]
 * @param {Case<T>[]} cases
 * @param {{ runs: number, calls: number, next: () => T }} options
 * @returns {Alternation}
 */
export function alternate(cases, { runs, calls, next }) {
  /** times[run][case][turn], µs */
  const times = Array.from({ length: runs }, () => cases.map(() => new Float64Array(calls)));
  /** Each case's rotation of a Float32Array input, made untimed. @type {Float32Array[]} */
  const rotated = [];
  for (let run = -1; run < runs; run++) {
    const t = times[Math.max(run, 0)];
    for (let i = 0; i < calls; i++) {
      const x = next();
      for (let k = 0; k < cases.length; k++) {
        const c = (k + i) % cases.length;
        cases[c].feed(/** @type {T} */ (x instanceof Float32Array ? rotate(x, c, rotated) : x));
        const t0 = performance.now();
        cases[c].call();
        t[c][i] = (performance.now() - t0) * 1000;
      }
    }
  }
  const perRun = (/** @type {(t: Float64Array[]) => Float64Array} */ f) => times.map((t) => median(f(t)));
  return {
    medianUs: cases.map((_, c) => Math.min(...perRun((t) => t[c]))),
    ratio: (c, b) => median(Float64Array.from(perRun((t) => t[c].map((v, i) => v / t[b][i])))),
  };
}

/** An odd step, far from any block size: case c's vector starts c·SHIFT places further on. */
const SHIFT = 40961;

/**
 * x rotated left by (c·SHIFT) mod n into case c's own array (0: x itself).
 * @param {Float32Array} x @param {number} c @param {Float32Array[]} rotated
 */
function rotate(x, c, rotated) {
  const n = x.length;
  const s = (c * SHIFT) % n;
  if (s === 0) return x;
  let y = rotated[c];
  if (!y || y.length !== n) y = rotated[c] = new Float32Array(n);
  y.set(x.subarray(s), 0);
  y.set(x.subarray(0, s), n - s);
  return y;
}

/** @param {Float64Array} a */
function median(a) {
  const s = a.slice().sort();
  return s[s.length >> 1];
}
