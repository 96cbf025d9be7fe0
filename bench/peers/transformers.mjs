// transformers.js as a peer, driven per token exactly as its generate() does:
//   logits = outputs.logits.slice(null, -1, null).to('float32')   // copy of the last position
//   scores = logits_processor(all_input_ids, logits)              // from _get_logits_processor()
//   [[token]] = await sampler(scores[batch])                      // LogitsSampler.getSampler()
// The package's public entry exports neither LogitsSampler nor a way to build
// generate()'s processor list, so we import the same version's own source
// modules (shipped in the package under src/) instead of re-implementing them.
// Everything comes from that one source tree, so there is one Tensor class.

import { readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const entry = import.meta.resolve('@huggingface/transformers');
const srcUrl = (path) => new URL(`../src/${path}`, entry);

/**
 * Load transformers.js. Returns a factory of per-configuration samplers plus
 * notes on what it does with our options (printed next to the results).
 */
export async function loadTransformers({ seed = 42 } = {}) {
  const [{ LogitsSampler }, { GenerationConfig }, { PreTrainedModel }, processors, { Tensor }, { random }] =
    await Promise.all([
      import(srcUrl('generation/logits_sampler.js')),
      import(srcUrl('generation/configuration_utils.js')),
      import(srcUrl('models/modeling_utils.js')),
      import(srcUrl('generation/logits_process.js')),
      import(srcUrl('utils/tensor.js')),
      import(srcUrl('utils/random.js')),
    ]);
  const version = JSON.parse(readFileSync(new URL('../package.json', entry), 'utf8')).version;
  // Its multinomial draw uses this module-level MT19937; seed it so runs replay.
  random.seed(seed);

  const topPIsNoOp = warperIsNoOp(processors.TopPLogitsWarper, processors.LogitsWarper);
  const topKWarperIsNoOp = warperIsNoOp(processors.TopKLogitsWarper, processors.LogitsWarper);

  /** A per-token sampling function for one configuration. */
  function samplerFor({ temperature = 1, topK = 0, topP = 1, minP = 0 }) {
    const greedy = temperature === 0;
    const config = new GenerationConfig({
      do_sample: !greedy,
      temperature: greedy ? 1 : temperature,
      // GenerationConfig defaults top_k to 50; 0 asks for the whole vocabulary,
      // i.e. the same distribution as ours when the configuration has no top-k.
      top_k: topK,
      top_p: topP,
    });
    // _get_logits_processor() reads only its arguments, never `this`.
    const list = PreTrainedModel.prototype._get_logits_processor.call(null, config, 1, null);
    const sampler = LogitsSampler.getSampler(config);
    const inputIds = [[1n]]; // only repetition/n-gram processors would read it
    const ignored = [];
    if (!greedy && topP < 1 && !list.processors.some((p) => p instanceof processors.TopPLogitsWarper))
      ignored.push('top_p');
    if (!greedy && minP > 0) ignored.push('min_p'); // not a GenerationConfig option at all

    const sample = async (logits) => {
      // Stands for the model output [batch=1, seq=1, vocab]; wrapping copies nothing.
      const output = new Tensor('float32', logits, [1, 1, logits.length]);
      const last = output.slice(null, -1, null).to('float32');
      const scores = list(inputIds, last);
      const [[token]] = await sampler(scores[0]);
      return Number(token);
    };
    return {
      sample,
      processors: list.processors.map((p) => p.constructor.name),
      sampler: sampler.constructor.name,
      ignored,
    };
  }

  return {
    version,
    samplerFor,
    topPIsNoOp,
    topKWarperIsNoOp,
    // Ask after the run: by then its TopK op has executed on that library.
    onnxruntimeBinary: loadedOnnxruntimeBinary,
  };
}

// A warper without its own _call inherits the base one, which only throws:
// such a warper cannot be used, and generate() does not add it.
function warperIsNoOp(Warper, Base) {
  return Warper.prototype._call === Base.prototype._call;
}

// Which onnxruntime shared library the process mapped (Linux only): shows the
// TopK op runs on the CPU binary shipped inside onnxruntime-node.
// Shown relative to the project's node_modules, resolved, as the loader maps
// the real path even when node_modules is a symlink.
const root = fileURLToPath(new URL('../../', import.meta.url));
function shortPath(path) {
  const modules = realpathSync(join(root, 'node_modules'));
  return path.startsWith(modules) ? join('node_modules', relative(modules, path)) : path;
}
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
