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
 * @property {string} [base] the configuration this one adds work to: reported as a multiple
 *   of its time
 * @property {boolean} [entropy] asks for the entropy: also reported against the entropy floor
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
  {
    id: 'lm-controls',
    title: 'lm-t1 + allowed mask (90%) + 5,000-entry logit bias + penalties over 256 tokens (LM-like)',
    kind: 'lm',
    params: { temperature: 1 },
    floor: 'exp',
    base: 'lm-t1',
    run: (s, logits, params) => s.sample(logits, withControls(logits.length, params)),
    peers: false,
  },
  {
    id: 'lm-logprobs',
    title: 'lm-t1 through sampleDetailed() with 20 top log-probabilities (LM-like)',
    kind: 'lm',
    params: { temperature: 1 },
    floor: 'exp',
    base: 'lm-t1',
    method: 'sampleDetailed',
    run: (s, logits, params) => s.sampleDetailed(logits, params, { topLogprobs: 20 }).token,
    peers: false,
  },
  {
    id: 'lm-entropy',
    title: 'lm-logprobs and the entropy (LM-like)',
    kind: 'lm',
    params: { temperature: 1 },
    floor: 'exp',
    base: 'lm-t1',
    method: 'sampleDetailed',
    entropy: true,
    run: (s, logits, params) => s.sampleDetailed(logits, params, { topLogprobs: 20, entropy: true }).token,
    peers: false,
  },
  {
    id: 'temp',
    title: 'temperature 0.7 only (peaked)',
    kind: 'peaked',
    params: { temperature: 0.7 },
    floor: 'read',
    secondary: true,
  },
  {
    id: 'peaked-controls',
    title: 'temp + allowed mask (90%) + 5,000-entry logit bias + penalties over 256 tokens (peaked)',
    kind: 'peaked',
    params: { temperature: 0.7 },
    floor: 'read',
    secondary: true,
    base: 'temp',
    run: (s, logits, params) => s.sample(logits, withControls(logits.length, params)),
    peers: false,
  },
  {
    id: 'peaked-logprobs',
    title: 'temp through sampleDetailed() with 20 top log-probabilities (peaked)',
    kind: 'peaked',
    params: { temperature: 0.7 },
    floor: 'read',
    secondary: true,
    base: 'temp',
    method: 'sampleDetailed',
    run: (s, logits, params) => s.sampleDetailed(logits, params, { topLogprobs: 20 }).token,
    peers: false,
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

/** @type {Map<number, SamplingParams>} */
const controls = new Map();

/**
 * `params` plus what a constrained, penalised decoding step adds, for a vocabulary of n: an
 * allowed bitmask letting 90% of the tokens through (a grammar state such as "inside a JSON
 * string"), a logit bias on 5,000 tokens, and repetition, presence and frequency penalties over
 * a 256-token history. Made once per size (deterministic), so the timed call allocates nothing.
 * @param {number} n @param {SamplingParams} params @returns {SamplingParams}
 */
export function withControls(n, params) {
  let c = controls.get(n);
  if (!c) {
    let a = 0x2545f491;
    const next = () => {
      a = (Math.imul(a, 1103515245) + 12345) >>> 0;
      return a / 4294967296;
    };
    const allowed = new Uint32Array((n + 31) >>> 5);
    for (let i = 0; i < n; i++) if (next() < 0.9) allowed[i >>> 5] |= 1 << (i & 31);
    const ids = new Int32Array(5000);
    const values = new Float32Array(5000);
    for (let k = 0; k < ids.length; k++) {
      ids[k] = Math.floor(next() * n);
      values[k] = (next() - 0.5) * 4;
    }
    const history = Int32Array.from({ length: 256 }, () => Math.floor(next() * n));
    c = {
      allowed,
      logitBias: { ids, values },
      history,
      repetitionPenalty: 1.1,
      presencePenalty: 0.5,
      frequencyPenalty: 0.2,
    };
    controls.set(n, c);
  }
  return { ...params, ...c };
}

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
