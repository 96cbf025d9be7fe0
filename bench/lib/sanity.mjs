// @ts-check
// Cheap wiring check before the greedy cells: greedy has one right answer, so every
// contender must return the argmax of each vector. A mismatch means the harness feeds a
// contender the wrong data (or the contender is wrong), so its timing would mean nothing;
// it is reported next to the results, not hidden.

import { firstVectors } from '../workloads.mjs';

/** @typedef {import('./contenders.mjs').Contender} Contender */

/** @param {Float32Array} v lowest index on ties, like every contender */
function argmax(v) {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (/** @type {number} */ (v[i]) > /** @type {number} */ (v[best])) best = i;
  return best;
}

/**
 * @param {Contender[]} contenders
 * @param {import('../workloads.mjs').Kind} kind
 * @param {number} n
 * @returns {Promise<string[]>} one line per wrong answer
 */
export async function checkGreedy(contenders, kind, n) {
  /** @type {string[]} */
  const problems = [];
  const vectors = firstVectors(kind, n);
  for (const c of contenders) {
    for (const [index, vector] of vectors.entries()) {
      const expected = argmax(vector);
      const got = await c.run(c.feed(vector));
      if (got !== expected) problems.push(`${c.name} @ ${n}: vector ${index} gave ${got}, argmax is ${expected}`);
    }
  }
  return problems;
}
