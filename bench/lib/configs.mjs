// @ts-check
// The sampling configurations of the benchmark, in report order: the LM-like ones lead,
// the peaked and flat ones follow (kept so that earlier runs stay comparable). Adding a row
// is one entry here; see Config for a row that calls something other than sample().

/** @typedef {import('../../src/index.js').Sampler} Sampler */
/** @typedef {import('../../src/index.js').SamplingParams} SamplingParams */
/** @typedef {import('../workloads.mjs').Kind} Kind */

/**
 * @typedef {object} Config
 * @property {string} id short name, for `--configs` and the report
 * @property {string} title
 * @property {Kind} kind the logits it samples
 * @property {SamplingParams} params what the peers are asked to do, and the library too
 *   unless `run` says otherwise
 * @property {'exp' | 'read'} floor the floor that bounds it: `exp` where every token's
 *   exponential is needed (no truncation, or top-p, which needs the whole mass), `read`
 *   where the kept set is known from the max alone (greedy, min-p, and top-k bounded chains)
 * @property {boolean} [secondary] not LM-like logits: reported after the headline rows
 * @property {string} [method] the sampler method `run` calls; where a backend lacks it its
 *   cells are skipped with a note, so a row can be added before its API lands
 * @property {(s: Sampler, logits: Float32Array, params: SamplingParams) => number} [run]
 *   the timed library call, returning the token; default `s.sample(logits, params)`
 * @property {boolean} [peers] false: no naive JS / transformers.js cells (when they could
 *   not do the same work, e.g. log-probabilities)
 */

/** @type {Config[]} */
export const CONFIGS = [
  {
    id: 'lm-t1',
    title: 'temperature 1, no truncation (LM-like)',
    kind: 'lm',
    params: { temperature: 1 },
    floor: 'exp',
  },
  {
    id: 'lm-topp',
    title: 'temperature 1 + top-p 0.95 (LM-like)',
    kind: 'lm',
    params: { temperature: 1, topP: 0.95 },
    floor: 'exp',
  },
  {
    id: 'lm-minp',
    title: 'temperature 1 + min-p 0.05 (LM-like)',
    kind: 'lm',
    params: { temperature: 1, minP: 0.05 },
    floor: 'read',
  },
  {
    id: 'lm-chain',
    title: "llama.cpp's default chain: temperature 0.8 + top-k 40 + top-p 0.95 + min-p 0.05 (LM-like)",
    kind: 'lm',
    params: { temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05 },
    floor: 'read',
  },
  {
    id: 'lm-greedy',
    title: 'greedy, temperature 0 (LM-like)',
    kind: 'lm',
    params: { temperature: 0 },
    floor: 'read',
  },
  // Example of a row for an API that is not there yet (uncomment when it is):
  // {
  //   id: 'lm-logprobs',
  //   title: 'temperature 1 + 20 top log-probabilities (LM-like)',
  //   kind: 'lm',
  //   params: { temperature: 1 },
  //   floor: 'exp',
  //   method: 'sampleDetailed',
  //   run: (s, logits, params) => s.sampleDetailed(logits, params, { topLogprobs: 20 }).token,
  //   peers: false,
  // },
  {
    id: 'temp',
    title: 'temperature 0.7 only (peaked)',
    kind: 'peaked',
    params: { temperature: 0.7 },
    floor: 'read',
    secondary: true,
  },
  {
    id: 'topk-topp',
    title: 'temperature 0.7 + top-k 40 + top-p 0.9 (peaked)',
    kind: 'peaked',
    params: { temperature: 0.7, topK: 40, topP: 0.9 },
    floor: 'read',
    secondary: true,
  },
  {
    id: 'flat-topp',
    title: 'temperature 1 + top-p 0.95 (flat)',
    kind: 'flat',
    params: { temperature: 1, topP: 0.95 },
    floor: 'exp',
    secondary: true,
  },
  {
    id: 'minp',
    title: 'temperature 1 + min-p 0.05 (peaked)',
    kind: 'peaked',
    params: { temperature: 1, minP: 0.05 },
    floor: 'read',
    secondary: true,
  },
  {
    id: 'greedy',
    title: 'greedy, temperature 0 (peaked)',
    kind: 'peaked',
    params: { temperature: 0 },
    floor: 'read',
    secondary: true,
  },
];

export const CONFIG_IDS = CONFIGS.map((c) => c.id);

/**
 * The library call a configuration times.
 * @param {Config} config
 * @returns {(s: Sampler, logits: Float32Array) => number}
 */
export function libraryCall(config) {
  const { params, run } = config;
  return run ? (s, logits) => run(s, logits, params) : (s, logits) => s.sample(logits, params);
}

/**
 * Whether a sampler has what the configuration calls (always, for plain sample()).
 * @param {Config} config
 * @param {Sampler} sampler
 */
export function supports(config, sampler) {
  return (
    !config.method ||
    typeof (/** @type {Record<string, unknown>} */ (/** @type {unknown} */ (sampler))[config.method]) === 'function'
  );
}
