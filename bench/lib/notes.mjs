// The explanatory notes printed under the tables: how each figure was taken
// and what the peers do (or silently skip) with our options.

export function methodNotes({ quick }) {
  return [
    'Zero-copy: the vector is written into logitsView() untimed (the model would write there); copy-in times sample(Float32Array), copy included.',
    'naive JS (bench/peers/naive.mjs): fresh softmax array per call, full sort of the vocabulary when top-k/top-p/min-p is set, Math.random().',
    `Cold start, ${quick ? 'one fresh Node process' : 'median of 5 fresh Node processes'} each: WebAssembly.compile and instantiate of the .wasm bytes; ` +
      'the first createSampler() (file read, compile, instantiate, set-up; module import excluded); the first sample() after it ' +
      '(128,256 logits, temperature 0.7 + top-k 40 + top-p 0.9, on code V8 has only baseline-compiled so far).',
  ];
}

/** tj: loadTransformers() result; perConfig: { configId: samplerFor() result }. */
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
