// The Sampler: checks inputs at the edge, draws u from the seeded stream, and hands the backend
// plain numbers. A call runs in two steps (params.ts): first every piece of user code its
// arguments hold runs — getters of the params, elements of a number[] — then everything is
// checked and handed to the kernels with no user code in between, so that no array can be
// detached, resized or replaced between its check and its use.
import {
  F_ENTROPY,
  F_PROBS,
  F_RAW,
  F_TOP,
  MAX_TOKENS,
  MAX_TOP_N,
  MODE_DRAW,
  MODE_PROBS,
  S_ALL_MASKED,
  S_BAD_BIAS,
  S_BAD_PROB,
  S_EDIT_RANGE,
  S_OK,
  S_RAW_INVALID,
} from '../assembly/abi.js';
import type { KernelBackend, Results } from './backend/kernels.js';
import type { BackendName } from './backend/name.js';
import {
  describe,
  isDetached,
  ownOptions,
  typedArrayBuffer,
  typedArrayKind,
  typedArrayLength,
  typedArrayOffset,
} from './describe.js';
import type { AttachedCheck } from './edits.js';
import { Resolved, type SamplingParams } from './params.js';
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

/** Draws tokens from logits. Made by createSampler() or createSamplerSync(). */
export interface Sampler {
  /** The backend actually in use. */
  readonly backend: BackendName;
  /** Bytes of memory held for logits and scratch (the kernels' linear memory). */
  readonly memoryBytes: number;
  /**
   * Draws the next token index. Consumes exactly one value of the seeded stream, greedy
   * included, so a sequence of calls replays exactly from its seed. Never modifies `logits`.
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
   * sample() with the log-probability of the token drawn, the most likely tokens and the
   * entropy of the distribution drawn from. Same token and same random-stream consumption as
   * sample() with the same seed and params.
   */
  sampleDetailed(logits: Logits, params?: SamplingParams, options?: DetailOptions): Detailed;
  /**
   * A Float32Array of length n inside the sampler's memory: write logits here and pass it (or a
   * part of it, such as one row of a batch) to sample()/probs() to skip the copy. The sampler
   * never writes to it. Every logitsView() is the same memory; a call with a larger vocabulary
   * than any before may grow that memory, which detaches the views handed out earlier (their
   * contents carry over to the next logitsView()).
   */
  logitsView(n: number): Float32Array;
  /** Restarts the random stream from `seed` (an integer number or a bigint, taken mod 2^64). */
  reseed(seed: Seed): void;
  /** Releases the sampler's memory. Every later call throws; views it handed out are detached
   *  or no longer read. */
  dispose(): void;
}

const LN2 = Math.LN2;
const NONE: Logits = [];
const DETAIL_OPTIONS = ['topLogprobs', 'logprobs'];
const DETAIL_ALIASES = { top_logprobs: 'topLogprobs', logprob: 'logprobs' };

/** `name's`, or `name'` for a name in s (logits'). */
const possessive = (name: string) => (name.endsWith('s') ? `${name}'` : `${name}'s`);

/** @internal */
export class SamplerImpl implements Sampler {
  readonly backend: BackendName;
  #impl: KernelBackend | null;
  readonly #rng: Xoshiro128;
  readonly #p = new Resolved();
  /** sampleDetailed()'s options as read this call (one record, reused). */
  readonly #detail: Record<string, unknown> = Object.create(null);
  #busy = false;
  /** This call's vocabulary size and logits as the caller gave them, for error messages. */
  #n = 0;
  #source: Logits = NONE;
  readonly #attached: AttachedCheck = (name, a) => this.#checkAttached(name, a);

  constructor(impl: KernelBackend, seed: bigint) {
    this.#impl = impl;
    this.backend = impl.name;
    this.#rng = new Xoshiro128(seed);
  }

  get memoryBytes(): number {
    return this.#impl?.memoryBytes ?? 0;
  }

  sample(logits: Logits, params?: SamplingParams): number {
    const impl = this.#enter();
    try {
      this.#p.read(params);
      const converted = this.#readPlain(impl, logits);
      const n = this.#prepare(impl, logits, converted, undefined);
      return this.#draw(impl, n, 0, 0).token;
    } finally {
      this.#leave();
    }
  }

  probs(logits: Logits, params?: SamplingParams, out?: Float32Array): Float32Array {
    const impl = this.#enter();
    try {
      this.#p.read(params);
      const converted = this.#readPlain(impl, logits);
      const slot: { out?: Float32Array } = { out };
      const n = this.#prepare(impl, logits, converted, slot);
      const r = impl.run(MODE_PROBS, this.#p, n, 0, 0, 0);
      if (r.status !== S_OK) throw this.#error(impl, r);
      const dst = slot.out ?? new Float32Array(n);
      dst.set(impl.output(n));
      return dst;
    } finally {
      this.#leave();
    }
  }

  sampleDetailed(logits: Logits, params?: SamplingParams, options?: DetailOptions): Detailed {
    const impl = this.#enter();
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
      const converted = this.#readPlain(impl, logits);
      let top = 0;
      let raw = false;
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
      }
      const n = this.#prepare(impl, logits, converted, undefined);
      const flags = F_ENTROPY | (raw ? F_RAW : top > 0 ? F_TOP : 0);
      const r = this.#draw(impl, n, flags, top);
      return detailed(impl, r, raw, top);
    } finally {
      this.#leave();
    }
  }

  logitsView(n: number): Float32Array {
    const impl = this.#enter();
    try {
      if (typeof n !== 'number') throw new TypeError(`n must be a number, got ${describe(n)}`);
      if (!Number.isInteger(n) || n < 1 || n > MAX_TOKENS) {
        throw new RangeError(`n must be an integer in [1, ${MAX_TOKENS}], got ${describe(n)}`);
      }
      impl.ensureIntact();
      return impl.view(n);
    } finally {
      this.#leave();
    }
  }

  reseed(seed: Seed): void {
    this.#enter();
    try {
      this.#rng.reseed(seedToBigInt(seed));
    } finally {
      this.#leave();
    }
  }

  dispose(): void {
    if (this.#busy) throw new TypeError('dispose() was called from inside a call of the same sampler');
    this.#impl?.dispose();
    this.#impl = null;
  }

  #leave(): void {
    this.#busy = false;
    this.#source = NONE; // holds no caller's array between calls
  }

  #enter(): KernelBackend {
    if (this.#impl === null) throw new TypeError('this sampler was disposed: create another one');
    if (this.#busy) {
      throw new TypeError(
        're-entrant call: a getter or callback ran this sampler while it was already working on a call; call it afterwards, or use a second sampler',
      );
    }
    this.#busy = true;
    return this.#impl;
  }

  /** Step one for a number[]: its elements (which may be getters) converted into the kernels'
   *  input; returns its length, or -1 for anything else (checked in step two). */
  #readPlain(impl: KernelBackend, logits: Logits): number {
    if (!Array.isArray(logits)) return -1;
    const n = logits.length;
    checkLength(n);
    impl.reserve(n, 0);
    convert(impl.input(n), logits, n);
    return n;
  }

  /**
   * Step two: every check, with no user code from here to the kernels. Validates the logits
   * (unless a number[] was converted: `converted` is its length), the params and `out`
   * (replaced in slot.out by a view of the new memory if this call's growth detached it),
   * reserves memory and hands the logits to the backend; returns n.
   */
  #prepare(impl: KernelBackend, logits: Logits, converted: number, slot: { out?: Float32Array } | undefined): number {
    impl.ensureIntact();
    let n = converted;
    const kind = typedArrayKind(logits);
    if (converted < 0) {
      if (kind !== 'Float32Array' && kind !== 'Float64Array') {
        throw new TypeError(`logits must be a Float32Array, Float64Array or number[], got ${describe(logits)}`);
      }
      this.#checkAttached('logits', logits as Float32Array);
      n = typedArrayLength(logits as Float32Array);
      checkLength(n);
    }
    this.#n = n;
    this.#source = logits;
    const p = this.#p.resolve(n, this.#attached);
    let out = slot?.out;
    if (out !== undefined) {
      if (typedArrayKind(out) !== 'Float32Array')
        throw new TypeError(`out must be a Float32Array, got ${describe(out)}`);
      this.#checkAttached('out', out);
      const length = typedArrayLength(out);
      if (length !== n) throw new RangeError(`out must have the logits' length ${n}, got length ${length}`);
    }
    // A growth detaches every view of the old memory, the caller's arrays that lie in it among
    // them (a logitsView, or an array built on its buffer): their bytes do not move, so each is
    // taken again at the same place.
    const before = impl.buffer;
    const e = p.edits;
    const xAt = converted < 0 ? offsetIn(before, logits as Float32Array) : -1,
      outAt = offsetIn(before, out),
      maskAt = offsetIn(before, e.mask),
      idsAt = e.biasCount ? offsetIn(before, e.biasIds) : -1,
      valuesAt = e.biasCount ? offsetIn(before, e.biasValues) : -1,
      historyAt = e.historyCount ? offsetIn(before, e.history) : -1,
      historyLength = e.historyCount ? typedArrayLength(e.history) : 0;
    impl.reserve(n, e.biasCount + e.historyCount);
    let x = logits as Float32Array | Float64Array;
    if (impl.buffer !== before) {
      const now = impl.buffer;
      if (xAt >= 0) x = kind === 'Float32Array' ? new Float32Array(now, xAt, n) : new Float64Array(now, xAt, n);
      if (outAt >= 0) out = slot!.out = new Float32Array(now, outAt, n);
      if (maskAt >= 0) e.mask = new Uint32Array(now, maskAt, (n + 31) >>> 5);
      if (idsAt >= 0) e.biasIds = new Int32Array(now, idsAt, e.biasCount);
      if (valuesAt >= 0) e.biasValues = new Float32Array(now, valuesAt, e.biasCount);
      if (historyAt >= 0) e.history = new Int32Array(now, historyAt, historyLength);
    }
    if (converted >= 0) impl.place(impl.input(n));
    else if (kind === 'Float32Array') impl.place(x as Float32Array);
    else impl.place(convert(impl.input(n), x as Float64Array, n));
    return n;
  }

  /** Throws the documented error for a detached array or a stale view of this sampler's memory. */
  #checkAttached<T extends ArrayBufferView>(name: string, a: T): T {
    const impl = this.#impl!;
    if (impl.isRetired(typedArrayBuffer(a))) {
      throw new RangeError(
        `${possessive(name)} buffer is detached: a view of the sampler's memory from before it grew; call logitsView() again`,
      );
    }
    if (isDetached(a)) throw new RangeError(`${possessive(name)} buffer is detached (transferred?)`);
    return a;
  }

  /** Runs a draw with one value of the stream; a failure gives the value back. */
  #draw(impl: KernelBackend, n: number, flags: number, top: number): Results {
    this.#rng.mark();
    try {
      const r = impl.run(MODE_DRAW, this.#p, n, this.#rng.nextUnit(), flags, top);
      if (r.status !== S_OK) throw this.#error(impl, r);
      return r;
    } catch (e) {
      this.#rng.rewind();
      throw e;
    }
  }

  /** The error for a run that failed: which logit, and why. */
  #error(impl: KernelBackend, r: Results): RangeError {
    const n = this.#n;
    const probs = (this.#p.flags & F_PROBS) !== 0;
    if (r.status === S_ALL_MASKED) {
      return new RangeError(
        `every token is masked (-Infinity${probs ? ' or probability 0' : ''}, disallowed by allowed, or banned by logitBias), so none can be drawn (length ${n})`,
      );
    }
    if (r.status === S_BAD_BIAS) return this.#p.edits.badBias(r.token, n);
    // The caller's value where it is a number (a float32 of the kernels' copy prints long).
    const placed = impl.placed(n);
    const x = (i: number) => (typedArrayKind(this.#source) === 'Float32Array' ? placed[i] : this.#source[i]);
    if (r.status === S_EDIT_RANGE) {
      return new RangeError(
        `logitBias or a penalty pushed logits[${r.token}] (${describe(x(r.token))}) past the float32 range (±3.4e38)`,
      );
    }
    if (r.status === S_BAD_PROB) {
      return new RangeError(
        `logits[${r.token}] is ${describe(x(r.token))}; with input 'probs' every entry must be a finite probability ≥ 0`,
      );
    }
    if (r.status === S_RAW_INVALID) return new RangeError('the untouched logits are all -Infinity: no raw logprobs');
    for (let i = 0; i < n; i++) {
      const v = placed[i]!;
      if (v !== v || v === Infinity) {
        return new RangeError(`logits[${i}] is ${describe(x(i))}; logits must be finite numbers or -Infinity (masked)`);
      }
    }
    return new RangeError('the logits after the edits hold NaN or +Infinity');
  }
}

/** sampleDetailed()'s result from a run's numbers (log-probabilities in nats). */
function detailed(impl: KernelBackend, r: Results, raw: boolean, top: number): Detailed {
  const lnMass = Math.log(r.mass);
  const entropy = Math.max(0, lnMass - (LN2 * r.ez) / r.mass);
  const lnTop = raw ? Math.log(r.rawMass) : lnMass;
  const topLogprobs: { token: number; logprob: number }[] = [];
  // The kernels set topCount only when asked for a list: with none asked it still holds the
  // previous call's count.
  const listed = top > 0 ? r.topCount : 0;
  for (let i = 0; i < listed; i++) {
    topLogprobs.push({ token: impl.topToken(i), logprob: impl.topZ(i) * LN2 - lnTop });
  }
  const logprob = raw ? r.rawZ * LN2 - lnTop : r.z * LN2 - lnMass;
  return { token: r.token, logprob, topLogprobs, entropy, temperature: r.temperature };
}

/** The byte offset of `a` in `buffer`, or -1 when it is not a view of it. */
function offsetIn(buffer: ArrayBufferLike, a: ArrayBufferView | null | undefined): number {
  return a && typedArrayBuffer(a) === buffer ? typedArrayOffset(a) : -1;
}

function checkLength(n: number): void {
  if (n === 0) throw new RangeError('logits is empty: need one logit per vocabulary entry');
  if (n > MAX_TOKENS) throw new RangeError(`logits has ${n} entries; at most ${MAX_TOKENS} are supported`);
}

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
