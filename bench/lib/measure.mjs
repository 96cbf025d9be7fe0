// @ts-check
// Measures one cell (one contender × configuration × size) with tinybench.
//
// Each iteration makes a new logits vector, hands it over with the contender's
// feed() and times run() alone (overriddenDuration, less the timer's own cost),
// but charges making + feed() + run() to the cell's time budget
// (overriddenIterationCost), so cells whose input costs more than their run
// (every fast one: a new vector takes about 0.5 ms at 128,256 tokens) still end
// on time. tinybench's beforeEach (run per iteration in tinybench 6) would keep
// the input out of the timing but also out of the budget, so a fast cell would
// run for many times its budget.

import { Bench } from 'tinybench';

const now = () => performance.now();

/** @type {number | undefined} */
let overhead;

/**
 * What timing a call adds to it: the median of 4,096 back-to-back now() pairs, in ms (the
 * estimate tinybench's subtractTimerOverhead makes, which it skips for overridden durations).
 * Measured once per process, then subtracted from every timed call.
 * @returns {number}
 */
export function timerOverheadMs() {
  if (overhead === undefined) {
    const d = new Float64Array(4096);
    // The first pass only warms now() up; the second overwrites it.
    for (let k = 0; k < 2; k++) {
      for (let i = 0; i < d.length; i++) {
        const t = now();
        d[i] = now() - t;
      }
    }
    overhead = d.sort()[d.length >> 1] ?? 0;
  }
  return overhead;
}

/**
 * @typedef {object} Budget time and iteration minimums of one cell (tinybench options)
 * @property {number} time
 * @property {number} iterations
 * @property {number} warmupTime
 * @property {number} warmupIterations
 */

/**
 * @typedef {object} Measurement
 * @property {number} [medianUs]
 * @property {number} [meanUs]
 * @property {number} [p99Us]
 * @property {number} [minUs]
 * @property {number} [rmePct]
 * @property {number} [samples]
 * @property {number} wallMs
 * @property {string} [error]
 */

/**
 * @param {import('./contenders.mjs').Contender} contender
 * @param {() => Float32Array} next a new logits vector, one no earlier call has seen
 * @param {number} n vocabulary size, for the token check
 * @param {Budget} budget
 * @returns {Promise<Measurement>}
 */
export async function measureCell(contender, next, n, budget) {
  const { feed, run } = contender;
  const timer = timerOverheadMs();
  const prepare = () => feed(next());
  // Using every result also keeps any engine from dropping a call as dead code.
  /** @param {number} token */
  const check = (token) => {
    if (!(token >= 0 && token < n && Number.isInteger(token))) {
      throw new RangeError(`${contender.name} returned token ${token} for vocabulary ${n}`);
    }
  };
  const fn = contender.async
    ? async () => {
        const t0 = now();
        const input = prepare();
        const t1 = now();
        const token = await run(input);
        const t2 = now();
        check(token);
        return { overriddenDuration: Math.max(0, t2 - t1 - timer), overriddenIterationCost: t2 - t0 };
      }
    : () => {
        const t0 = now();
        const input = prepare();
        const t1 = now();
        const token = /** @type {number} */ (run(input));
        const t2 = now();
        check(token);
        return { overriddenDuration: Math.max(0, t2 - t1 - timer), overriddenIterationCost: t2 - t0 };
      };

  // One Bench per cell, so the cell's warmup immediately precedes its run.
  const bench = new Bench({ ...budget, now, throws: false });
  bench.add(contender.name, fn, { async: Boolean(contender.async) });
  const started = now();
  const [task] = await bench.run();
  const wallMs = now() - started;
  const r = task?.result;
  if (r?.state === 'errored') return { error: String(r.error?.message ?? r.error), wallMs };
  if (r?.state !== 'completed') return { error: `tinybench ended the cell as ${r?.state ?? 'missing'}`, wallMs };
  const l = r.latency;
  return {
    medianUs: l.p50 * 1000,
    meanUs: l.mean * 1000,
    p99Us: l.p99 * 1000,
    minUs: l.min * 1000,
    rmePct: l.rme,
    samples: l.samplesCount,
    wallMs,
  };
}
