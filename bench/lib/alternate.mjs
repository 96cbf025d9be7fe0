// @ts-check
// Timing several calls against each other on a shared, noisy machine: they take turns call by
// call on the same new vectors, so that a slower stretch weighs on all of them alike, and a
// ratio between two of them is read within one turn. The case that goes first in a turn finds
// the caches cold (the new vector was just made), so the order rotates from turn to turn.

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
 * @property {(c: number, b: number) => number} ratio the least over the runs of the median of
 *   case c's time ÷ case b's time in the same turn
 */

/**
 * Runs `runs` runs (after one of warm-up) of `calls` turns; each turn makes its input with
 * `next` and times every case once on it.
 * @template [T=Float32Array]
 * @param {Case<T>[]} cases
 * @param {{ runs: number, calls: number, next: () => T }} options
 * @returns {Alternation}
 */
export function alternate(cases, { runs, calls, next }) {
  /** times[run][case][turn], µs */
  const times = Array.from({ length: runs }, () => cases.map(() => new Float64Array(calls)));
  for (let run = -1; run < runs; run++) {
    const t = times[Math.max(run, 0)];
    for (let i = 0; i < calls; i++) {
      const x = next();
      for (let k = 0; k < cases.length; k++) {
        const c = (k + i) % cases.length;
        cases[c].feed(x);
        const t0 = performance.now();
        cases[c].call();
        t[c][i] = (performance.now() - t0) * 1000;
      }
    }
  }
  const least = (/** @type {(t: Float64Array[]) => Float64Array} */ f) => Math.min(...times.map((t) => median(f(t))));
  return {
    medianUs: cases.map((_, c) => least((t) => t[c])),
    ratio: (c, b) => least((t) => t[c].map((v, i) => v / t[b][i])),
  };
}

/** @param {Float64Array} a */
function median(a) {
  const s = a.slice().sort();
  return s[s.length >> 1];
}
