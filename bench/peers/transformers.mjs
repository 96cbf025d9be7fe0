// @ts-check
// transformers.js as a peer, driven per token exactly as its generate() does:
//   logits = outputs.logits.slice(null, -1, null).to('float32')   // copy of the last position
//   scores = logits_processor(all_input_ids, logits)              // from _get_logits_processor()
//   [[token]] = await sampler(scores[batch])                      // LogitsSampler.getSampler()
// The internals it needs come through ./transformers-internals.mjs.

import { readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadInternals } from './transformers-internals.mjs';

/** @typedef {import('../../src/index.js').SamplingParams} SamplingParams */

/**
 * One configuration's per-token sampler, with what transformers.js does with our options.
 * @typedef {object} TransformersSampler
 * @property {(logits: Float32Array) => Promise<number>} sample
 * @property {string[]} processors class names of generate()'s processor list
 * @property {string} sampler class name of its sampler
 * @property {string[]} ignored our options it does not apply
 */

/**
 * @typedef {object} TransformersPeer
 * @property {string} version
 * @property {(params: SamplingParams) => TransformersSampler} samplerFor
 * @property {boolean} topPIsNoOp
 * @property {boolean} topKWarperIsNoOp
 * @property {() => string | null} onnxruntimeBinary ask after the run: by then its TopK op
 *   has executed on that library
 */

/**
 * Load transformers.js: a factory of per-configuration samplers plus facts on what it does
 * with our options (printed next to the results).
 * @param {{seed?: number}} [options]
 * @returns {Promise<TransformersPeer>}
 */
export async function loadTransformers({ seed = 42 } = {}) {
  const tj = await loadInternals();
  // Its multinomial draw uses a module-level MT19937; seed it so runs replay.
  tj.seed(seed);
  const { LogitsWarper, TopKLogitsWarper, TopPLogitsWarper } = tj.warpers;

  /** @param {SamplingParams} params */
  function samplerFor({ temperature = 1, topK = 0, topP = 1, minP = 0 }) {
    const greedy = temperature === 0;
    const config = new tj.GenerationConfig({
      do_sample: !greedy,
      temperature: greedy ? 1 : temperature,
      // GenerationConfig defaults top_k to 50; 0 asks for the whole vocabulary, i.e. the
      // same distribution as ours when the configuration has no top-k.
      top_k: topK,
      top_p: topP,
    });
    const list = tj.logitsProcessor(config);
    const sampler = tj.LogitsSampler.getSampler(config);
    const inputIds = [[1n]]; // only repetition/n-gram processors would read it
    /** @type {string[]} */
    const ignored = [];
    if (!greedy && topP < 1 && !list.processors.some((/** @type {unknown} */ p) => p instanceof TopPLogitsWarper))
      ignored.push('top_p');
    if (!greedy && minP > 0) ignored.push('min_p'); // not a GenerationConfig option at all

    /** @param {Float32Array} logits */
    const sample = async (logits) => {
      // Stands for the model output [batch=1, seq=1, vocab]; wrapping copies nothing.
      const output = new tj.Tensor('float32', logits, [1, 1, logits.length]);
      const last = output.slice(null, -1, null).to('float32');
      const scores = list(inputIds, last);
      const [[token]] = await sampler(scores[0]);
      return Number(token);
    };
    return {
      sample,
      processors: list.processors.map((/** @type {object} */ p) => p.constructor.name),
      sampler: sampler.constructor.name,
      ignored,
    };
  }

  return {
    version: tj.version,
    samplerFor,
    topPIsNoOp: warperIsNoOp(TopPLogitsWarper, LogitsWarper),
    topKWarperIsNoOp: warperIsNoOp(TopKLogitsWarper, LogitsWarper),
    onnxruntimeBinary: loadedOnnxruntimeBinary,
  };
}

/**
 * A warper without its own _call inherits the base one, which only throws: such a warper
 * cannot be used, and generate() does not add it.
 * @param {any} Warper
 * @param {any} Base
 */
function warperIsNoOp(Warper, Base) {
  return Warper.prototype._call === Base.prototype._call;
}

// Which onnxruntime shared library the process mapped (Linux only): shows the TopK op runs
// on the CPU binary shipped inside onnxruntime-node. Shown relative to the project's
// node_modules, resolved, as the loader maps the real path even when node_modules is a
// symlink.
const root = fileURLToPath(new URL('../../', import.meta.url));
/** @param {string} path */
function shortPath(path) {
  const modules = realpathSync(join(root, 'node_modules'));
  return path.startsWith(modules) ? join('node_modules', relative(modules, path)) : path;
}
/** @returns {string | null} */
function loadedOnnxruntimeBinary() {
  try {
    const maps = readFileSync('/proc/self/maps', 'utf8');
    const libs = new Set();
    for (const line of maps.split('\n')) {
      const path = line.slice(line.indexOf('/'));
      if (line.includes('/') && /libonnxruntime\.so/.test(path)) libs.add(shortPath(path));
    }
    return [...libs].join(', ') || null;
  } catch {
    return null;
  }
}
