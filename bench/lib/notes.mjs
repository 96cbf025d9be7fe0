// @ts-check
// The explanatory notes printed under the tables: how each figure was taken and what the
// peers do (or silently skip) with our options.

import { FIRST_SAMPLE } from './backend-stats.mjs';
import { timerOverheadMs } from './measure.mjs';

/** @typedef {import('../peers/transformers.mjs').TransformersPeer} TransformersPeer */
/** @typedef {import('../peers/transformers.mjs').TransformersSampler} TransformersSampler */

/** @param {{quick: boolean}} options */
export function methodNotes({ quick }) {
  return [
    'The library is loaded from dist/ as a user’s Node program loads it (`npm run bench` builds first).',
    'Inputs: every timed call samples a vector no earlier call of its cell has seen (bench/lib/fresh-logits.mjs): a new subset of a table of 2^20 standard normals in a new order, scaled, and the 20 boosts at new places. ' +
      'A CPU that samples the same few vectors again and again learns them (at 721ad7c, 8 cycled vectors made llama.cpp’s chain look 2.5× faster than new ones), and a model never hands the sampler the same logits twice. ' +
      'Every contender of a configuration and size samples the same sequence. Making a vector is untimed but counts towards the cell’s time budget, so fast cells sample fewer tokens than their budget suggests.',
    'Zero-copy: the vector is written into logitsView() untimed (the model would write there); copy-in times sample(Float32Array), copy included.',
    `Each call is timed on its own with performance.now(), less the timer’s own cost (${(timerOverheadMs() * 1e6).toFixed(0)} ns, the median of back-to-back reads).`,
    'naive JS (bench/peers/naive.mjs): fresh softmax array per call, full sort of the vocabulary when top-k/top-p/min-p is set, Math.random().',
    `Cold start, ${quick ? 'one fresh Node process' : 'median of 5 fresh Node processes'} each: WebAssembly.compile and instantiate of the .wasm bytes; ` +
      'the first createSampler() (file read, compile, instantiate, set-up; module import excluded); the first sample() after it ' +
      `(${FIRST_SAMPLE.size.toLocaleString('en-US')} logits, \`${FIRST_SAMPLE.config}\`, on code V8 has only baseline-compiled so far).`,
  ];
}

/**
 * @param {TransformersPeer} tj
 * @param {Record<string, TransformersSampler>} perConfig
 */
export function transformersNotes(tj, perConfig) {
  const notes = [
    `transformers.js ${tj.version}, driven as its generate() does per token (logits slice → _get_logits_processor() list → LogitsSampler.getSampler()); ` +
      `onnxruntime library in use: ${tj.onnxruntimeBinary() ?? 'unknown'}.`,
  ];
  if (tj.topPIsNoOp) {
    notes.push(
      'transformers.js ignores top_p: TopPLogitsWarper has no implementation and generate() never adds it, so top-p configurations run without top-p there.',
    );
  }
  if (tj.topKWarperIsNoOp) {
    notes.push(
      'transformers.js TopKLogitsWarper has no implementation either; top-k happens in its MultinomialSampler via the onnxruntime TopK op (k = whole vocabulary, a full sort, when top_k is 0).',
    );
  }
  for (const [id, info] of Object.entries(perConfig)) {
    const ignored = info.ignored.length ? `; ignores ${info.ignored.join(', ')}` : '';
    notes.push(
      `transformers.js on \`${id}\`: processors [${info.processors.join(', ') || 'none'}], ${info.sampler}${ignored}.`,
    );
  }
  return notes;
}
