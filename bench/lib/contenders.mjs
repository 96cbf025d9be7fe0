// @ts-check
// The contenders of one (configuration, size) group. Each is
//   { name, feed(vector) → input, run(input) → token, async? }
// feed() is the untimed part that stands in for the model producing logits (hand the
// vector over, or write it into a zero-copy view); run() is the timed per-token sampling.
// All contenders sample the same sequence of vectors, a new one for every call.

import { naiveSample } from '../peers/naive.mjs';
import { libraryCall, supports } from './configs.mjs';
import { EXP_FLOOR, READ_FLOOR } from './floor.mjs';

/** @typedef {import('./configs.mjs').Config} Config */
/** @typedef {import('./configs.mjs').Sampler} Sampler */
/** @typedef {import('./floor.mjs').Floor} Floor */
/** @typedef {import('../peers/transformers.mjs').TransformersSampler} TransformersSampler */
/** @typedef {'wasm-simd' | 'wasm' | 'js'} Backend */

/**
 * @typedef {object} Contender
 * @property {string} name
 * @property {(vector: Float32Array) => Float32Array} feed
 * @property {(input: Float32Array) => number | Promise<number>} run
 * @property {boolean} [async]
 */

/** @type {Backend[]} */
export const BACKENDS = ['wasm-simd', 'wasm', 'js'];
export const NAIVE = 'naive JS';
export const TRANSFORMERS = 'transformers.js';

/** Report order. */
export const CONTENDER_ORDER = [
  ...BACKENDS.flatMap((b) => [`${b} zero-copy`, `${b} copy-in`]),
  NAIVE,
  TRANSFORMERS,
  EXP_FLOOR,
  READ_FLOOR,
];

/** @param {Float32Array} vector */
const passThrough = (vector) => vector;

/**
 * @param {Config} config
 * @param {number} n
 * @param {{samplers: Partial<Record<Backend, Sampler>>, tj: TransformersSampler | null}} peers
 *   samplers from createSampler (missing ones skipped); this configuration's
 *   transformers.js sampler, or null
 * @returns {{contenders: Contender[], skipped: string[]}} skipped: backends lacking
 *   config.method
 */
export function contendersFor(config, n, { samplers, tj }) {
  const call = libraryCall(config);
  /** @type {Contender[]} */
  const list = [];
  /** @type {string[]} */
  const skipped = [];
  for (const backend of BACKENDS) {
    const s = samplers[backend];
    if (!s) continue;
    if (!supports(config, s)) {
      skipped.push(backend);
      continue;
    }
    let view = s.logitsView(n);
    list.push({
      name: `${backend} zero-copy`,
      feed(vector) {
        // A copy-in call that grew WASM memory detaches the old view (length 0); the
        // documented remedy is to ask for it again.
        if (view.length !== n) view = s.logitsView(n);
        view.set(vector);
        return view;
      },
      run: (v) => call(s, v),
    });
    list.push({ name: `${backend} copy-in`, feed: passThrough, run: (logits) => call(s, logits) });
  }
  if (config.peers !== false) {
    list.push({ name: NAIVE, feed: passThrough, run: (logits) => naiveSample(logits, config.params) });
    if (tj) list.push({ name: TRANSFORMERS, async: true, feed: passThrough, run: tj.sample });
  }
  return { contenders: list, skipped };
}

/**
 * A floor as a contender: the vector is written into its memory untimed, then the floor's
 * pass runs, timed.
 * @param {Floor} floor
 * @param {number} n
 * @returns {Contender}
 */
export function floorContender(floor, n) {
  return {
    name: floor.name,
    feed(vector) {
      const view = floor.view(n);
      view.set(vector);
      return view;
    },
    run: () => {
      // A call into WASM is never dropped as dead code; 0 passes the token check.
      floor.run(n);
      return 0;
    },
  };
}
