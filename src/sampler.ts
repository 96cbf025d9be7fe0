// The public Sampler: checks inputs at the edge, draws u from the seeded stream, and hands a
// backend plain numbers. Everything a caller passes is validated before any of it is used.
import {
  type Backend,
  type BackendName,
  F_ENTROPY,
  F_RAW,
  F_TOP,
  MODE_DRAW,
  MODE_PROBS,
  MODE_STATS,
  type Results,
  S_ALL_MASKED,
  S_BAD_BIAS,
  S_BAD_PROB,
  S_OK,
  S_RAW_INVALID,
} from './backend/types.js';
import { describe, isDetached, ownOptions, typedArrayKind, typedArrayLength, typedArrayOffset } from './describe.js';
import { MAX_TOKENS, MAX_TOP_N } from './limits.js';
import { F_PROBS, Resolved, type SamplingParams } from './params.js';
import { type Seed, seedToBigInt, Xoshiro128 } from './rng.js';

/** Logits for one step: one float per vocabulary entry. −Infinity masks a token. A
 *  Float32Array is read directly; a Float64Array or number[] is converted (one copy). */
export type Logits = Float32Array | Float64Array | readonly number[];

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
  /** Entropy (nats) of the distribution drawn from. */
  entropy: number;
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
}

const LN2 = Math.LN2;
const DETAIL_OPTIONS = ['topLogprobs', 'logprobs'];
const DETAIL_ALIASES = { top_logprobs: 'topLogprobs', logprob: 'logprobs' };

export class Sampler {
  /** The backend actually in use. */
  readonly backend: BackendName;
  #impl: Backend | null;
  readonly #rng: Xoshiro128;
  /** sampleDetailed()'s options as read this call (one record, reused). */
  readonly #detail: Record<string, unknown> = Object.create(null);
  readonly #p = new Resolved();
  /** The logits the current call reads (itself, or a view re-derived after a growth). */
  #source: Logits = NOTHING;
  #busy = false;
  /** The temperature of the last call (dynamic temperature sets it). */
  #temperature = 1;

  /** @internal use createSampler() / createSamplerSync(). */
  constructor(impl: Backend, seed: bigint) {
    this.#impl = impl;
    this.backend = impl.name;
    this.#rng = new Xoshiro128(seed);
  }

  /** Bytes of memory held for logits and scratch (WASM linear memory, or JS typed arrays). */
  get memoryBytes(): number {
    return this.#impl?.memoryBytes ?? 0;
  }

  /**
   * Draws the next token index. Consumes exactly one value of the seeded stream, greedy
   * included, so a sequence of calls replays exactly from its seed. Never modifies `logits`.
   */
  sample(logits: Logits, params?: SamplingParams): number {
    const impl = this.#enter();
    try {
      const n = this.#prepare(impl, logits, params);
      return this.#draw(impl, n, 0, 0).token;
    } finally {
      this.#leave();
    }
  }

  /**
   * The distribution sample() draws from for these logits and params: renormalised over the
   * kept tokens, exactly 0 elsewhere (one-hot at the argmax for temperature 0). Consumes no
   * random number. Writes into `out` (a Float32Array of the logits' length) when given,
   * otherwise into a new array.
   */
  probs(logits: Logits, params?: SamplingParams, out?: Float32Array): Float32Array {
    const impl = this.#enter();
    try {
      const n = lengthOf(logits);
      let outAt = 0;
      if (out !== undefined) {
        if (typedArrayKind(out) !== 'Float32Array') {
          throw new TypeError(`out must be a Float32Array, got ${describe(out)}`);
        }
        if (isDetached(out)) throw new RangeError(`out's buffer is detached (${DETACHED_HOW})`);
        const length = typedArrayLength(out);
        if (length !== n) throw new RangeError(`out must have the logits' length ${n}, got length ${length}`);
        outAt = typedArrayOffset(out);
      }
      this.#prepare(impl, logits, params, n);
      const r = impl.run(MODE_PROBS, this.#p, n, 0, 0, 0);
      if (r.status !== S_OK) throw this.#error(r, n);
      // out may be a logitsView that this call's growth detached: its bytes did not move.
      let dst = out ?? new Float32Array(n);
      if (typedArrayLength(dst) !== n) dst = this.#regrown(impl, outAt, n);
      dst.set(impl.output(n));
      return dst;
    } finally {
      this.#leave();
    }
  }

  /**
   * sample() with the log-probability of the token drawn, the most likely tokens and the
   * entropy of the distribution drawn from. Same token and same random-stream consumption as
   * sample() with the same seed and params.
   */
  sampleDetailed(logits: Logits, params?: SamplingParams, options?: DetailOptions): Detailed {
    const impl = this.#enter();
    try {
      let top = 0;
      let raw = false;
      if (options !== undefined) {
        const o = ownOptions(
          'sampleDetailed',
          options,
          DETAIL_OPTIONS,
          DETAIL_ALIASES,
          'sampleDetailed options',
          this.#detail,
        );
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
      }
      const n = this.#prepare(impl, logits, params);
      const flags = F_ENTROPY | (raw ? F_RAW : top > 0 ? F_TOP : 0);
      const r = this.#draw(impl, n, flags, top);
      const lnMass = Math.log(r.mass);
      const entropy = Math.max(0, lnMass - (LN2 * r.ez) / r.mass);
      const lnTop = raw ? Math.log(r.rawMass) : lnMass;
      const topLogprobs: { token: number; logprob: number }[] = [];
      // The backends set topCount only when asked for a list: with none asked it still holds
      // the previous call's count.
      const listed = top > 0 ? r.topCount : 0;
      for (let i = 0; i < listed; i++) {
        topLogprobs.push({ token: impl.topToken(i), logprob: impl.topZ(i) * LN2 - lnTop });
      }
      const logprob = raw ? r.rawZ * LN2 - lnTop : r.z * LN2 - lnMass;
      return { token: r.token, logprob, topLogprobs, entropy, temperature: this.#temperature };
    } finally {
      this.#leave();
    }
  }

  /**
   * A Float32Array of length n inside the sampler's memory: write logits here and pass it (or a
   * part of it, such as one row of a batch) to sample()/probs() to skip the copy. The sampler
   * never writes to it. Every logitsView() is the same memory; a call with a larger vocabulary
   * than any before may grow that memory, which detaches the views handed out earlier (their
   * contents carry over to the next logitsView()).
   */
  logitsView(n: number): Float32Array {
    const impl = this.#enter();
    try {
      if (typeof n !== 'number') throw new TypeError(`n must be a number, got ${describe(n)}`);
      if (!Number.isInteger(n) || n < 1 || n > MAX_TOKENS) {
        throw new RangeError(`n must be an integer in [1, ${MAX_TOKENS}], got ${describe(n)}`);
      }
      return impl.view(n);
    } finally {
      this.#leave();
    }
  }

  /** Restarts the random stream from `seed` (an integer number or a bigint, taken mod 2^64). */
  reseed(seed: Seed): void {
    this.#enter();
    try {
      this.#rng.reseed(seedToBigInt(seed));
    } finally {
      this.#leave();
    }
  }

  /** Releases the sampler's memory. Every later call throws; views it handed out are detached
   *  or no longer read. */
  dispose(): void {
    if (this.#busy) throw new Error('dispose() was called from inside a call of the same sampler');
    this.#impl?.dispose();
    this.#impl = null;
  }

  #leave(): void {
    this.#busy = false;
    this.#source = NOTHING; // holds no caller's array between calls
  }

  #enter(): Backend {
    if (this.#impl === null) throw new Error('this sampler was disposed: create another one');
    if (this.#busy) {
      throw new Error(
        're-entrant call: a getter or callback ran this sampler while it was already working on a call; call it afterwards, or use a second sampler',
      );
    }
    this.#busy = true;
    return this.#impl;
  }

  /** Validates logits and params, reserves memory and hands the logits to the backend. */
  #prepare(impl: Backend, logits: Logits, params: SamplingParams | undefined, known?: number): number {
    const n = known ?? lengthOf(logits);
    const p = this.#p.resolve(params, n);
    const kind = typedArrayKind(logits);
    const at = kind === 'Float32Array' ? typedArrayOffset(logits as Float32Array) : 0;
    impl.reserve(n, p.biasCount + p.historyCount);
    this.#source = logits;
    if (kind === 'Float32Array') {
      // A logitsView detached by this very call's growth (a long logit bias or history):
      // growth moves nothing, so the same bytes are at the same offset of the new memory.
      if (typedArrayLength(logits as Float32Array) !== n) this.#source = this.#regrown(impl, at, n);
      impl.place(this.#source as Float32Array);
    } else impl.place(convert(impl.input(n), logits as Float64Array | readonly number[], n));
    if (p.dynamic !== null) this.#dynamic(impl, n, p);
    else this.#temperature = p.temperature;
    return n;
  }

  /** n floats at byte offset `at` of the backend's current memory (only a WASM backend's
   *  memory grows and detaches; its input buffer is a view of that memory). */
  #regrown(impl: Backend, at: number, n: number): Float32Array {
    return new Float32Array(impl.input(1).buffer, at, n);
  }

  /** Chooses the temperature from the entropy at temperature 1 (llama.cpp's dynatemp). */
  #dynamic(impl: Backend, n: number, p: Resolved): void {
    const { min, max, exponent } = p.dynamic!;
    p.setTemperature(1);
    const r = impl.run(MODE_STATS, p, n, 0, 0, 0);
    if (r.status !== S_OK) throw this.#error(r, n);
    let t = min;
    if (r.count > 1) {
      const h = Math.log(r.mass) - (LN2 * r.ez) / r.mass;
      const normalized = Math.min(1, Math.max(0, h / Math.log(r.count)));
      t = min + (max - min) * normalized ** exponent;
    }
    this.#temperature = t;
    p.setTemperature(t);
  }

  /** Runs a draw with one value of the stream; a failure gives the value back. */
  #draw(impl: Backend, n: number, flags: number, top: number): Results {
    this.#rng.mark();
    try {
      const r = impl.run(MODE_DRAW, this.#p, n, this.#rng.nextUnit(), flags, top);
      if (r.status !== S_OK) throw this.#error(r, n);
      return r;
    } catch (e) {
      this.#rng.rewind();
      throw e;
    }
  }

  /** The error for a run that failed: which logit, and why. */
  #error(r: Results, n: number): RangeError {
    const probs = (this.#p.flags & F_PROBS) !== 0;
    if (r.status === S_ALL_MASKED) {
      return new RangeError(
        `every token is masked (-Infinity${probs ? ' or probability 0' : ''}, disallowed by allowed, or banned by logitBias), so none can be drawn (length ${n})`,
      );
    }
    const x = this.#source as ArrayLike<number>;
    if (r.status === S_BAD_BIAS) return this.#p.badBias(r.token, n);
    if (r.status === S_BAD_PROB) {
      return new RangeError(
        `logits[${r.token}] is ${describe(x[r.token])}; with input 'probs' every entry must be a finite probability ≥ 0`,
      );
    }
    for (let i = 0; i < n; i++) {
      const v = Math.fround(x[i]!);
      if (v !== v || v === Infinity) {
        return new RangeError(`logits[${i}] is ${describe(x[i])}; logits must be finite numbers or -Infinity (masked)`);
      }
    }
    if (r.status === S_RAW_INVALID) return new RangeError('the untouched logits are all -Infinity: no raw logprobs');
    return new RangeError('logitBias or the penalties pushed a logit past the float32 range (±3.4e38)');
  }
}

/** The length of logits after checking their type; never reads an element. */
function lengthOf(logits: unknown): number {
  const kind = typedArrayKind(logits);
  let n: number;
  if (kind === 'Float32Array' || kind === 'Float64Array') n = typedArrayLength(logits as Float32Array);
  else if (Array.isArray(logits)) n = logits.length;
  else {
    throw new TypeError(`logits must be a Float32Array, Float64Array or number[], got ${describe(logits)}`);
  }
  if (n === 0) {
    if (kind !== undefined && isDetached(logits as Float32Array)) {
      throw new RangeError(`logits' buffer is detached (${DETACHED_HOW})`);
    }
    throw new RangeError('logits is empty: need one logit per vocabulary entry');
  }
  if (n > MAX_TOKENS) throw new RangeError(`logits has ${n} entries; at most ${MAX_TOKENS} are supported`);
  return n;
}

const NOTHING: Logits = [];

/** How a caller's array gets detached, for the message. */
const DETACHED_HOW = "transferred, or a logitsView() from before the sampler's memory grew: call logitsView() again";

/** dst ← src as float32, each element read once; rejects non-numbers and finite values the
 *  float32 range cannot hold. */
function convert(dst: Float32Array, src: Float64Array | readonly number[], n: number): Float32Array {
  const typed = typedArrayKind(src) === 'Float64Array';
  for (let i = 0; i < n; i++) {
    const v = src[i];
    if (!typed && typeof v !== 'number') throw new TypeError(`logits[${i}] must be a number, got ${describe(v)}`);
    dst[i] = v as number;
    const f = dst[i]!;
    if ((f === Infinity || f === -Infinity) && v !== f) {
      throw new RangeError(`logits[${i}] is ${v}, outside the float32 range (±3.4e38)`);
    }
  }
  return dst;
}
