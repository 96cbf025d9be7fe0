/**
 * logit-sampler/transformers: use a logit-sampler `Sampler` inside transformers.js
 * (`@huggingface/transformers`) `generate()`.
 *
 * transformers.js takes no custom sampler, but runs a list of logits processors before its own
 * token choice. {@link samplerProcessor} is such a processor: it draws the token with the
 * sampler and masks every other logit to -Infinity, so that greedy decoding (`do_sample: false`)
 * emits exactly the drawn token. Every sampling control then comes from the sampler — top-p,
 * min-p and the rest work (transformers.js's own top-p warper does nothing), and the seed makes
 * a generation replay exactly.
 *
 * This entry imports nothing from transformers.js: the processor is a plain function with the
 * `_call` method transformers.js's `LogitsProcessor` declares, so it works with whichever copy
 * of transformers.js the application loads.
 * @packageDocumentation
 */
import { describe, ownOptions, typedArrayKind, typedArrayLength } from './describe.js';

/** What the processor needs of a sampler: `Sampler` from `logit-sampler` is one. */
export interface TokenSampler<P> {
  sample(logits: Float32Array, params?: P): number;
}

/** The part of a transformers.js `Tensor` the processor reads: logits `[batch, vocab]`. */
export interface LogitsTensor {
  readonly dims: readonly number[];
  /** A Float32Array (transformers.js converts logits to float32 before its processors run). */
  readonly data: unknown;
}

/** Options of {@link samplerProcessor}. */
export interface SamplerProcessorOptions {
  /**
   * Also pass each row's token ids so far (prompt included, oldest first, as numbers) to
   * `sampler.sample()` as `params.history`, for the penalties that read a history. Default
   * false. Turn it on only with a sampler whose params accept `history`: a sampler that does
   * not know the option rejects it with a TypeError on the first step.
   */
  history?: boolean;
}

/**
 * A transformers.js logits processor: push it into a `LogitsProcessorList` passed as
 * `logits_processor` to `generate()`. Callable like transformers.js's own processors.
 */
export interface SamplerProcessor {
  (inputIds: readonly (readonly bigint[])[], logits: LogitsTensor): LogitsTensor;
  /** The same function: transformers.js processors expose their work as `_call`. */
  _call(inputIds: readonly (readonly bigint[])[], logits: LogitsTensor): LogitsTensor;
}

/**
 * Makes a logits processor that draws each next token with `sampler.sample(row, params)` and
 * leaves that token the only finite logit of its row (0; all others -Infinity).
 *
 * Use it with `do_sample: false`: transformers.js's greedy step then picks the drawn token.
 * Rows of a batch are drawn in order from the one seeded stream, so `sampler.reseed(seed)`
 * before `generate()` makes the whole generation replay. `params` goes to `sampler.sample()`
 * unchanged on every step (so changing a field between steps takes effect); the sampler
 * validates it.
 *
 * Processors that transformers.js builds from the generation config (repetition_penalty,
 * suppress_tokens, …) run before this one, so their edits are part of what it samples from.
 */
export function samplerProcessor<P extends object>(
  sampler: TokenSampler<P>,
  params?: P,
  options?: SamplerProcessorOptions,
): SamplerProcessor {
  if (typeof sampler !== 'object' || sampler === null || typeof sampler.sample !== 'function') {
    throw new TypeError(`sampler must be a Sampler (an object with a sample() method), got ${describe(sampler)}`);
  }
  if (params !== undefined && (typeof params !== 'object' || params === null)) {
    throw new TypeError(`params must be an object of sampling options, got ${describe(params)}`);
  }
  const o = options === undefined ? {} : ownOptions('samplerProcessor', options, ['history']);
  const history = o.history ?? false;
  if (typeof history !== 'boolean') throw new TypeError(`history must be a boolean, got ${describe(history)}`);

  const process = (inputIds: readonly (readonly bigint[])[], logits: LogitsTensor): LogitsTensor => {
    const data = logits?.data as Float32Array;
    // By its internal slot: tensors made in another realm (a worker's, an iframe's) qualify.
    if (typedArrayKind(data) !== 'Float32Array') {
      throw new TypeError(`logits must be a float32 Tensor of shape [batch, vocab], got data ${describe(data)}`);
    }
    const n = vocabOf(logits.dims, typedArrayLength(data));
    const rows = typedArrayLength(data) / n;
    if (history && inputIds.length !== rows) {
      throw new RangeError(`input_ids has ${inputIds.length} rows but logits has ${rows}`);
    }
    for (let r = 0; r < rows; r++) {
      const row = data.subarray(r * n, (r + 1) * n);
      const p = history ? ({ ...params, history: inputIds[r]!.map(Number) } as P) : params;
      const token = sampler.sample(row, p);
      row.fill(-Infinity);
      row[token] = 0;
    }
    return logits;
  };
  return Object.assign(process, { _call: process });
}

/** The vocabulary (last dim) of a tensor whose dims must describe exactly `length` values:
 *  rows are cut from data by it, so dims that do not match would draw from the wrong rows. */
function vocabOf(dims: unknown, length: number): number {
  if (!Array.isArray(dims)) {
    throw new TypeError(`logits.dims must be a non-empty array [batch, vocab], got ${describe(dims)}`);
  }
  if (dims.length === 0) {
    throw new RangeError(`logits.dims must be a non-empty array [batch, vocab], got ${describe(dims)}`);
  }
  if (!dims.every((d) => Number.isSafeInteger(d) && d > 0)) {
    const type = dims.every((d) => typeof d === 'number') ? RangeError : TypeError;
    throw new type(`logits.dims must be positive safe integers, got [${dims.map(describe).join(', ')}]`);
  }
  const size = dims.reduce((a: number, d: number) => a * d, 1);
  if (size !== length) {
    throw new RangeError(`logits.dims [${dims.join(', ')}] describe ${size} values, but logits.data has ${length}`);
  }
  return dims[dims.length - 1];
}
