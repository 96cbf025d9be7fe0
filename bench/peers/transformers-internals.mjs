// @ts-check
// The one place the benchmark reaches into transformers.js's internals. Its public entry
// exports neither LogitsSampler nor a way to build generate()'s logits-processor list, so
// the peer imports the package's own source modules (shipped under src/) by path. Paths and
// names like these change between releases without notice, so this adapter accepts only the
// version it was written against and checks every name it uses: a new release fails here,
// loudly, instead of quietly measuring something else.

import { readFileSync } from 'node:fs';

/** The transformers.js version these paths and names were checked against. */
export const TESTED_VERSION = '4.3.1';

const entry = import.meta.resolve('@huggingface/transformers');

/** @param {string} path */
const load = (path) => import(new URL(`../src/${path}`, entry).href);

/**
 * What the peer uses, all from one source tree (so there is one Tensor class).
 * @typedef {object} TransformersInternals
 * @property {string} version
 * @property {any} LogitsSampler generation/logits_sampler.js: `LogitsSampler.getSampler(config)`
 * @property {any} GenerationConfig generation/configuration_utils.js
 * @property {(config: any) => any} logitsProcessor generate()'s processor list for a config
 *   (`PreTrainedModel.prototype._get_logits_processor`, which reads only its arguments)
 * @property {{LogitsWarper: any, TopKLogitsWarper: any, TopPLogitsWarper: any}} warpers
 * @property {any} Tensor utils/tensor.js
 * @property {(seed: number) => void} seed seeds the module-level MT19937 its draws use
 */

/** @returns {Promise<TransformersInternals>} */
export async function loadInternals() {
  const version = JSON.parse(readFileSync(new URL('../package.json', entry), 'utf8')).version;
  if (version !== TESTED_VERSION) {
    throw new Error(
      `bench/peers/transformers-internals.mjs was written against @huggingface/transformers ${TESTED_VERSION}, ` +
        `${version} is installed: check the internal module paths and names it imports, then update TESTED_VERSION`,
    );
  }
  const [sampler, config, modeling, processors, tensor, random] = await Promise.all([
    load('generation/logits_sampler.js'),
    load('generation/configuration_utils.js'),
    load('models/modeling_utils.js'),
    load('generation/logits_process.js'),
    load('utils/tensor.js'),
    load('utils/random.js'),
  ]);
  const need = {
    'LogitsSampler.getSampler': sampler.LogitsSampler?.getSampler,
    GenerationConfig: config.GenerationConfig,
    'PreTrainedModel.prototype._get_logits_processor': modeling.PreTrainedModel?.prototype?._get_logits_processor,
    LogitsWarper: processors.LogitsWarper,
    TopKLogitsWarper: processors.TopKLogitsWarper,
    TopPLogitsWarper: processors.TopPLogitsWarper,
    Tensor: tensor.Tensor,
    'random.seed': random.random?.seed,
  };
  const missing = Object.entries(need)
    .filter(([, v]) => typeof v !== 'function')
    .map(([k]) => k);
  if (missing.length) throw new Error(`transformers.js ${version}: internal names missing: ${missing.join(', ')}`);
  const getLogitsProcessor = modeling.PreTrainedModel.prototype._get_logits_processor;
  return {
    version,
    LogitsSampler: sampler.LogitsSampler,
    GenerationConfig: config.GenerationConfig,
    logitsProcessor: (generationConfig) => getLogitsProcessor.call(null, generationConfig, 1, null),
    warpers: {
      LogitsWarper: processors.LogitsWarper,
      TopKLogitsWarper: processors.TopKLogitsWarper,
      TopPLogitsWarper: processors.TopPLogitsWarper,
    },
    Tensor: tensor.Tensor,
    seed: (s) => random.random.seed(s),
  };
}
