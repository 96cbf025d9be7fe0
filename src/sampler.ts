// The public Sampler and SampleStream: thin fronts over one Core (core.ts) that differ only in
// the random stream they draw from. Batched rows (rows.ts) and draft verification
// (speculative.ts) run on the same Core.
import { F_ENTROPY, F_RAW, F_TOP, MAX_TOKENS, MAX_TOP_N } from '../assembly/abi.js';
import type { KernelBackend, Results } from './backend/kernels.js';
import type { BackendName } from './backend/name.js';
import { Core, type Logits } from './core.js';
import { describe, ownOptions } from './describe.js';
import { Resolved, type SamplingParams } from './params.js';
import { type Seed, seedToBigInt, Xoshiro128 } from './rng.js';
import { sampleRows } from './rows.js';
import { verifyDraft } from './speculative.js';

export type { Logits };

/** One params object for every row, or one per row. */
export type RowParams = SamplingParams | readonly SamplingParams[] | undefined;

/** The arguments of verifyDraft(). */
export interface VerifyDraftArgs {
  /** k + 1 rows of target-model logits, `[k + 1 × vocabSize]`. */
  target: Float32Array | Float64Array;
  /** k rows of draft-model logits; omitted for a deterministic draft (q one-hot). */
  draft?: Float32Array | Float64Array;
  /** The k proposed token ids. */
  draftTokens: Int32Array | readonly number[];
  vocabSize: number;
  /** The params both distributions are processed with (what probs() would use). */
  params?: SamplingParams;
  /** The stream to draw from; the sampler's own by default. */
  stream?: SampleStream;
}

/** verifyDraft()'s outcome: emit draftTokens[0 .. accepted) followed by token. */
export interface DraftVerification {
  /** How many draft tokens were accepted, 0 … k. */
  accepted: number;
  /** The token after them: from the residual at a rejection, else from target row k. */
  token: number;
}

/** What sampleDetailed() returns. Log-probabilities are natural logarithms. */
export interface Detailed {
  /** The token drawn: the same one sample() draws with the same seed and parameters. */
  token: number;
  /** Its log-probability, under the distribution drawn from ('processed') or the untouched
   *  logits at temperature 1 ('raw'). */
  logprob: number;
  /** The most likely tokens under the same distribution, by probability descending then
   *  index ascending (tokens of probability 0 are never listed). */
  topLogprobs: { token: number; logprob: number }[];
  /** Entropy (nats) of the distribution drawn from, when asked for with `entropy: true`;
   *  otherwise undefined. */
  entropy: number | undefined;
  /** The temperature used (with dynamicTemperature: the one it chose). */
  temperature: number;
}

/** Options of sampleDetailed(). */
export interface DetailOptions {
  /** How many of the most likely tokens to list, 0 … 1024. Default 0. */
  topLogprobs?: number;
  /** 'processed' (default): of the distribution actually drawn from; 'raw': log-softmax of
   *  the untouched logits (vLLM's default). */
  logprobs?: 'processed' | 'raw';
  /** Also report the entropy of the distribution drawn from. Default false: it costs a
   *  multiply-add per token in the exponential pass (about a fifth of a T = 1 call), which a
   *  caller listing log-probabilities should not pay for unasked. */
  entropy?: boolean;
}

/**
 * A random stream of its own over a sampler's kernels and memory: one per sequence of a batch,
 * per completion of n > 1, per request of a server. Its tokens are exactly those of
 * `createSampler({ seed })` on the same backend, and depend only on its seed, its logits and
 * its params — never on other streams or on the sampler's own calls. A few dozen bytes.
 */
export interface SampleStream {
  /** sample() drawing from this stream. */
  sample(logits: Logits, params?: SamplingParams): number;
  /** sampleDetailed() drawing from this stream. */
  sampleDetailed(logits: Logits, params?: SamplingParams, options?: DetailOptions): Detailed;
  /** probs(): the same as the sampler's (it consumes no random value). */
  probs(logits: Logits, params?: SamplingParams, out?: Float32Array): Float32Array;
  /** Restarts this stream from `seed`. */
  reseed(seed: Seed): void;
}

/** Draws tokens from logits. Made by createSampler() or createSamplerSync(). */
export interface Sampler {
  /** The backend actually in use. */
  readonly backend: BackendName;
  /** Bytes of memory held for logits and scratch (the kernels' memory). */
  readonly memoryBytes: number;
  /**
   * Draws the next token index. Consumes exactly one value of the seeded stream, greedy
   * included (two with XTC: its coin first), so a sequence of calls replays exactly from its
   * seed. Never modifies `logits`.
   */
  sample(logits: Logits, params?: SamplingParams): number;
  /**
   * The distribution sample() draws from for these logits and params: renormalised over the
   * kept tokens, exactly 0 elsewhere (one-hot at the argmax for temperature 0). Consumes no
   * random number. Writes into `out` (a Float32Array of the logits' length) when given,
   * otherwise into a new array.
   */
  probs(logits: Logits, params?: SamplingParams, out?: Float32Array): Float32Array;
  /**
   * sample() with the log-probability of the token drawn, the most likely tokens
   * (`topLogprobs`) and the entropy (`entropy: true`) of the distribution drawn from. Same
   * token and same random-stream consumption as sample() with the same seed and params.
   */
  sampleDetailed(logits: Logits, params?: SamplingParams, options?: DetailOptions): Detailed;
  /**
   * A Float32Array of length n inside the sampler's memory: write logits here and pass it (or a
   * part of it, such as one row of a batch) to sample()/probs() to skip the copy. The sampler
   * never writes to it. Every logitsView() is the same memory; a call with a larger vocabulary
   * than any before may grow that memory, which detaches the views handed out earlier (their
   * contents carry over to the next logitsView()).
   *
   * `vocabSize` (default n) is the largest vocabulary the calls will take, for which the
   * sampler makes room at once: for a batch, `logitsView(rows * V, V)` holds the rows and room
   * for one row's work (the default makes room for one vocabulary of rows × V tokens).
   */
  logitsView(n: number, vocabSize?: number): Float32Array;
  /** Restarts the sampler's own random stream from `seed` (an integer number or a bigint,
   *  taken mod 2^64). */
  reseed(seed: Seed): void;
  /** A new random stream seeded with `seed`, sharing this sampler's kernels and memory. */
  stream(seed: Seed): SampleStream;
  /**
   * One token per row of a `[rows × vocabSize]` block of logits (a logitsView() is read in
   * place), row r drawn from `streams[r]` with `params` (one object, or one per row): row r's
   * token is `streams[r].sample(row r, params[r])`, whatever else is in the batch. With one row
   * and n streams, n samples of that row (n > 1 completions). Writes into `out` (an Int32Array
   * of one entry per draw) when given. A rejected call consumes no random value.
   */
  sampleRows(
    logits: Float32Array | Float64Array,
    vocabSize: number,
    params: RowParams,
    streams: readonly SampleStream[],
    out?: Int32Array,
  ): Int32Array;
  /**
   * Speculative decoding's verification (Leviathan et al. 2023; Chen et al. 2023): accepts each
   * draft token with probability min(1, p/q) under the processed distributions of the target
   * rows (p) and draft rows (q, or one-hot when no draft logits are given), draws the token
   * after the last accepted one from the residual norm(max(0, p − q)) — or, all accepted, from
   * the last target row — so that the emitted tokens follow the target model's distribution
   * exactly. Consumes k + 1 values of the stream, whatever is accepted.
   */
  verifyDraft(args: VerifyDraftArgs): DraftVerification;
  /** Releases the sampler's memory. Every later call throws; views it handed out are detached
   *  or no longer read. */
  dispose(): void;
}

const LN2 = Math.LN2;
const DETAIL_OPTIONS = ['topLogprobs', 'logprobs', 'entropy'];
const DETAIL_ALIASES = { top_logprobs: 'topLogprobs', logprob: 'logprobs' };

/** The calls a sampler and a stream share, with the stream to draw from. @internal */
class Calls {
  readonly #p = new Resolved();
  /** sampleDetailed()'s options as read this call (one record, reused). */
  readonly #detail: Record<string, unknown> = Object.create(null);

  constructor(readonly core: Core) {}

  sample(rng: Xoshiro128, logits: Logits, params?: SamplingParams): number {
    const core = this.core;
    const impl = core.enter();
    try {
      this.#p.read(params);
      const converted = core.readPlain(impl, logits);
      const n = core.prepare(impl, this.#p, logits, converted);
      return core.draw(impl, rng, this.#p, n, 0, 0, tokenOf);
    } finally {
      core.leave();
    }
  }

  probs(logits: Logits, params?: SamplingParams, out?: Float32Array): Float32Array {
    const core = this.core;
    const impl = core.enter();
    try {
      this.#p.read(params);
      const converted = core.readPlain(impl, logits);
      const slot = { out };
      const n = core.prepare(impl, this.#p, logits, converted, slot);
      const dst = slot.out ?? new Float32Array(n);
      core.probsInto(impl, this.#p, n, dst);
      return dst;
    } finally {
      core.leave();
    }
  }

  sampleDetailed(rng: Xoshiro128, logits: Logits, params?: SamplingParams, options?: DetailOptions): Detailed {
    const core = this.core;
    const impl = core.enter();
    try {
      this.#p.read(params);
      let o: Record<string, unknown> | undefined;
      if (options !== undefined) {
        o = ownOptions(
          'sampleDetailed',
          options,
          DETAIL_OPTIONS,
          DETAIL_ALIASES,
          'sampleDetailed options',
          this.#detail,
        );
      }
      const converted = core.readPlain(impl, logits);
      let top = 0;
      let raw = false;
      let entropy = false;
      if (o !== undefined) {
        if (o.topLogprobs !== undefined) {
          const t = o.topLogprobs;
          if (typeof t !== 'number') throw new TypeError(`topLogprobs must be a number, got ${describe(t)}`);
          if (!Number.isInteger(t) || t < 0 || t > MAX_TOP_N) {
            throw new RangeError(`topLogprobs must be an integer in [0, ${MAX_TOP_N}], got ${describe(t)}`);
          }
          top = t;
        }
        if (o.logprobs !== undefined && o.logprobs !== 'processed' && o.logprobs !== 'raw') {
          throw new TypeError(`logprobs must be 'processed' or 'raw', got ${describe(o.logprobs)}`);
        }
        raw = o.logprobs === 'raw';
        if (o.entropy !== undefined && typeof o.entropy !== 'boolean') {
          throw new TypeError(`entropy must be a boolean, got ${describe(o.entropy)}`);
        }
        entropy = o.entropy === true;
      }
      const n = core.prepare(impl, this.#p, logits, converted);
      const flags = (entropy ? F_ENTROPY : 0) | (raw ? F_RAW : top > 0 ? F_TOP : 0);
      return core.draw(impl, rng, this.#p, n, flags, top, (r) => detailed(impl, r, raw, top, entropy));
    } finally {
      core.leave();
    }
  }
}

/** @internal */
export class SamplerImpl implements Sampler {
  readonly backend: BackendName;
  readonly #core: Core;
  readonly #calls: Calls;
  readonly #rng: Xoshiro128;

  constructor(impl: KernelBackend, seed: bigint) {
    this.#core = new Core(impl);
    this.#calls = new Calls(this.#core);
    this.backend = impl.name;
    this.#rng = new Xoshiro128(seed);
  }

  get memoryBytes(): number {
    return this.#core.memoryBytes;
  }

  sample(logits: Logits, params?: SamplingParams): number {
    return this.#calls.sample(this.#rng, logits, params);
  }

  probs(logits: Logits, params?: SamplingParams, out?: Float32Array): Float32Array {
    return this.#calls.probs(logits, params, out);
  }

  sampleDetailed(logits: Logits, params?: SamplingParams, options?: DetailOptions): Detailed {
    return this.#calls.sampleDetailed(this.#rng, logits, params, options);
  }

  logitsView(n: number, vocabSize?: number): Float32Array {
    const impl = this.#core.enter();
    try {
      if (typeof n !== 'number') throw new TypeError(`n must be a number, got ${describe(n)}`);
      if (!Number.isInteger(n) || n < 1 || n > MAX_TOKENS) {
        throw new RangeError(`n must be an integer in [1, ${MAX_TOKENS}], got ${describe(n)}`);
      }
      const tokens = vocabSize === undefined ? n : vocabSize;
      if (typeof tokens !== 'number') throw new TypeError(`vocabSize must be a number, got ${describe(tokens)}`);
      if (!Number.isInteger(tokens) || tokens < 1 || tokens > MAX_TOKENS) {
        throw new RangeError(`vocabSize must be an integer in [1, ${MAX_TOKENS}], got ${describe(tokens)}`);
      }
      impl.ensureIntact();
      return impl.view(n, tokens);
    } finally {
      this.#core.leave();
    }
  }

  reseed(seed: Seed): void {
    this.#core.enter();
    try {
      this.#rng.reseed(seedToBigInt(seed));
    } finally {
      this.#core.leave();
    }
  }

  stream(seed: Seed): SampleStream {
    this.#core.enter();
    try {
      return new StreamImpl(this.#calls, seedToBigInt(seed));
    } finally {
      this.#core.leave();
    }
  }

  sampleRows(
    logits: Float32Array | Float64Array,
    vocabSize: number,
    params: RowParams,
    streams: readonly SampleStream[],
    out?: Int32Array,
  ): Int32Array {
    return sampleRows(this.#core, logits, vocabSize, params, streams, out);
  }

  verifyDraft(args: VerifyDraftArgs): DraftVerification {
    return verifyDraft(this.#core, this.#rng, args);
  }

  dispose(): void {
    this.#core.dispose();
  }
}

/** @internal */
class StreamImpl implements SampleStream {
  readonly #calls: Calls;
  readonly #rng: Xoshiro128;

  constructor(calls: Calls, seed: bigint) {
    this.#calls = calls;
    this.#rng = new Xoshiro128(seed);
    calls.core.streams.set(this, this.#rng);
  }

  sample(logits: Logits, params?: SamplingParams): number {
    return this.#calls.sample(this.#rng, logits, params);
  }

  sampleDetailed(logits: Logits, params?: SamplingParams, options?: DetailOptions): Detailed {
    return this.#calls.sampleDetailed(this.#rng, logits, params, options);
  }

  probs(logits: Logits, params?: SamplingParams, out?: Float32Array): Float32Array {
    return this.#calls.probs(logits, params, out);
  }

  reseed(seed: Seed): void {
    const core = this.#calls.core;
    core.enter();
    try {
      this.#rng.reseed(seedToBigInt(seed));
    } finally {
      core.leave();
    }
  }
}

const tokenOf = (r: Results): number => r.token;

/** sampleDetailed()'s result from a run's numbers (log-probabilities in nats). */
function detailed(impl: KernelBackend, r: Results, raw: boolean, top: number, withEntropy: boolean): Detailed {
  const lnMass = Math.log(r.mass);
  const entropy = withEntropy ? Math.max(0, lnMass - (LN2 * r.ez) / r.mass) : undefined;
  const lnTop = raw ? Math.log(r.rawMass) : lnMass;
  const topLogprobs: { token: number; logprob: number }[] = [];
  // The kernels set topCount only when asked for a list: with none asked it still holds the
  // previous call's count.
  const listed = top > 0 ? r.topCount : 0;
  for (let i = 0; i < listed; i++) {
    topLogprobs.push({ token: impl.topToken(i), logprob: Math.min(0, impl.topZ(i) * LN2 - lnTop) });
  }
  // z·ln 2 and ln(mass) round apart: where the largest e is not exactly 1 (adaptive-p's new
  // logits) a sure token would come out at +1e-8. A log-probability is never above 0.
  const logprob = Math.min(0, raw ? r.rawZ * LN2 - lnTop : r.z * LN2 - lnMass);
  return { token: r.token, logprob, topLogprobs, entropy, temperature: r.temperature };
}
