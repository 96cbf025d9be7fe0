// What a Sampler and its streams share: one backend, the call machinery and its checks. Every
// call runs in two steps (params.ts): first every piece of user code its arguments hold runs —
// getters of the params and options, elements of plain arrays — then everything is checked and
// handed to the kernels with no user code in between, so that no array can be detached,
// resized or replaced between its check and its use. The random stream is an argument: the
// sampler's own, or a stream's.
import {
  F_PROBS,
  MAX_TOKENS,
  MODE_DRAW,
  MODE_PROBS,
  S_ALL_MASKED,
  S_BAD_BIAS,
  S_BAD_PROB,
  S_EDIT_RANGE,
  S_OK,
  S_RAW_INVALID,
  ST_DRY,
  ST_LOGIT_BIAS,
  ST_PENALTIES,
  ST_SEQUENCE_BIAS,
} from '../assembly/abi.js';
import { type EditRoom, type KernelBackend, NO_EDITS, type Results } from './backend/kernels.js';
import type { BackendName } from './backend/name.js';
import {
  describe,
  float32Text,
  isDetached,
  resizableBytes,
  typedArrayBuffer,
  typedArrayKind,
  typedArrayLength,
} from './describe.js';
import { type AttachedCheck, offsetIn } from './edits.js';
import { Resolved } from './params.js';
import type { Xoshiro128 } from './rng.js';

/** Logits for one step: one float per vocabulary entry. −Infinity masks a token. A
 *  Float32Array is read directly; a Float64Array or number[] is converted (one copy). */
export type Logits = Float32Array | Float64Array | readonly number[];

/** The edits that can push a logit past the float32 range, as the caller names them. */
const EDIT_NAMES: Readonly<Record<number, string>> = {
  [ST_LOGIT_BIAS]: 'logitBias',
  [ST_SEQUENCE_BIAS]: 'sequenceBias',
  [ST_PENALTIES]: 'a penalty (repetitionPenalty, presencePenalty or frequencyPenalty)',
  [ST_DRY]: 'dry',
};

/** `name's`, or `name'` for a name in s (logits'). */
const possessive = (name: string) => (name.endsWith('s') ? `${name}'` : `${name}'s`);

/** @internal */
export class Core {
  readonly backend: BackendName;
  #impl: KernelBackend | null;
  #busy = false;
  /** The streams this sampler made, and their random state (a stream is a few dozen bytes). */
  readonly streams = new WeakMap<object, Xoshiro128>();
  /** The current call's vocabulary size (of a row, in a batch), for messages. */
  #n = 0;
  /** Where `out` and the logits lie in the kernels' memory before a growth (-1: elsewhere). */
  #outAt = -1;
  #xAt = -1;
  readonly attached: AttachedCheck = (name, a) => this.checkAttached(name, a);
  /** Params records for calls that take one per row (sampleRows), grown as needed. */
  readonly rowParams: Resolved[] = [];
  /** The edit room of a batch's rows together (sampleRows), reused. */
  readonly rowsRoom: EditRoom = { ...NO_EDITS };
  /** Scratch for a probability vector (verifyDraft's residual), grown as needed. */
  scratch: Float32Array = new Float32Array(0);

  constructor(impl: KernelBackend) {
    this.#impl = impl;
    this.backend = impl.name;
  }

  get memoryBytes(): number {
    return this.#impl?.memoryBytes ?? 0;
  }

  /** Starts a call: refuses a disposed sampler and a call from inside another. */
  enter(): KernelBackend {
    if (this.#impl === null) throw new TypeError('this sampler was disposed: create another one');
    if (this.#busy) {
      throw new TypeError(
        're-entrant call: a getter or callback ran this sampler while it was already working on a call; call it afterwards, or use a second sampler',
      );
    }
    this.#busy = true;
    return this.#impl;
  }

  leave(): void {
    this.#busy = false;
  }

  dispose(): void {
    if (this.#busy) throw new TypeError('dispose() was called from inside a call of the same sampler');
    this.#impl?.dispose();
    this.#impl = null;
  }

  /** Step one for a number[]: its elements (which may be getters) converted into the kernels'
   *  input; returns its length, or -1 for anything else (checked in step two). */
  readPlain(impl: KernelBackend, logits: Logits): number {
    if (!Array.isArray(logits)) return -1;
    const n = logits.length;
    checkLength('logits', n);
    impl.reserve(n, NO_EDITS, 0);
    convert(impl.input(n), logits, n, 0);
    return n;
  }

  /**
   * Step two for one row of logits: checks them (unless a number[] was converted: `converted` is
   * its length), resolves the params against their length, checks `out`, reserves memory and
   * hands the logits to the backend; returns n. A growth detaches the caller's arrays that are
   * views of the kernels' memory (a logitsView, or an array built on its buffer): their bytes
   * do not move, so each is taken again at the same place — `slot.out` too.
   */
  prepare(impl: KernelBackend, p: Resolved, logits: Logits, converted: number, slot?: { out?: Float32Array }): number {
    impl.ensureIntact();
    let n = converted;
    if (converted < 0) {
      n = this.checkLogits('logits', logits);
    }
    this.#n = n;
    p.resolve(n, this.attached);
    const out = slot?.out;
    if (out !== undefined) this.checkOut(out, n, "the logits' length");
    const before = impl.buffer;
    // Logits in the kernels' memory outside the view (an array built on its buffer) would be
    // overwritten by the call's own writes: copied out first. In the view they are read in place,
    // and a growth detaching them (or `out`) takes them again where their bytes are.
    let x = logits as Float32Array | Float64Array;
    if (converted < 0 && typedArrayBuffer(x) === before && !(typedArrayKind(x) === 'Float32Array' && impl.inView(x))) {
      x = this.ownCopy(x);
    }
    this.#xAt = converted < 0 ? offsetIn(before, x) : -1;
    this.#outAt = offsetIn(before, out);
    p.edits.ownViews(before);
    impl.reserve(n, p.edits.room, 0);
    if (impl.buffer !== before) {
      const now = impl.buffer;
      if (this.#xAt >= 0) x = new Float32Array(now, this.#xAt, n);
      if (this.#outAt >= 0) slot!.out = new Float32Array(now, this.#outAt, n);
    }
    if (converted >= 0) impl.place(impl.input(n));
    else if (typedArrayKind(x) === 'Float32Array') impl.place(x as Float32Array);
    else impl.place(convert(impl.input(n), x as Float64Array, n, 0));
    return n;
  }

  /** A copy of logits that lie where the call writes (see prepare()), float32 as the kernels
   *  read them. */
  ownCopy(x: Float32Array | Float64Array, name = 'logits'): Float32Array {
    const n = typedArrayLength(x);
    if (this.#copy.length < n) this.#copy = new Float32Array(n);
    const c = this.#copy.subarray(0, n);
    if (typedArrayKind(x) === 'Float32Array') c.set(x as Float32Array);
    else convert(c, x as Float64Array, n, 0, '', name);
    return c;
  }
  #copy = new Float32Array(0);

  /** A Float32Array or Float64Array of logits, attached, of a usable length; returns it. */
  checkLogits(name: string, logits: unknown): number {
    const kind = typedArrayKind(logits);
    if (kind !== 'Float32Array' && kind !== 'Float64Array') {
      throw new TypeError(`${name} must be a Float32Array, Float64Array or number[], got ${describe(logits)}`);
    }
    this.checkAttached(name, logits as Float32Array);
    const n = typedArrayLength(logits as Float32Array);
    const bytes = n === 0 ? resizableBytes(logits as Float32Array) : -1;
    if (bytes >= 0) {
      throw new RangeError(
        `${name} is empty: it is a view of a resizable buffer that now holds ${bytes} bytes, which may end before it; need one logit per vocabulary entry`,
      );
    }
    checkLength(name, n);
    return n;
  }

  /** `out`: a Float32Array (or, with `ints`, an Int32Array) of length n, attached. */
  checkOut(out: unknown, n: number, what: string, ints = false): void {
    const want = ints ? 'Int32Array' : 'Float32Array';
    if (typedArrayKind(out) !== want)
      throw new TypeError(`out must be a${ints ? 'n' : ''} ${want}, got ${describe(out)}`);
    this.checkAttached('out', out as Float32Array);
    // Outside the view the kernels' memory is their own: results written there would overwrite
    // the call's work or the kernels' constants. (In the view, out is written last.)
    const impl = this.#impl!;
    if (typedArrayBuffer(out as Float32Array) === impl.buffer && !impl.inView(out as Float32Array)) {
      throw new RangeError(
        "out lies in the sampler's own memory outside logitsView(), where the call works: pass an array of your own or a part of the view",
      );
    }
    const length = typedArrayLength(out as Float32Array);
    if (length !== n) throw new RangeError(`out must have ${what} ${n}, got length ${length}`);
  }

  /** Throws the documented error for a detached array or a stale view of this sampler's memory. */
  checkAttached<T extends ArrayBufferView>(name: string, a: T): T {
    if (this.#impl!.isRetired(typedArrayBuffer(a))) {
      throw new RangeError(
        `${possessive(name)} buffer is detached: a view of the sampler's memory from before it grew; call logitsView() again`,
      );
    }
    if (isDetached(a)) throw new RangeError(`${possessive(name)} buffer is detached (transferred?)`);
    return a;
  }

  /** Runs a draw with the stream's next value (two when a stage flips a coin: the coin first);
   *  a failure gives them back. A stateful stage's new state goes back to the caller. `read`
   *  takes what the call returns from the kernels' memory first. */
  draw<T>(
    impl: KernelBackend,
    rng: Xoshiro128,
    p: Resolved,
    n: number,
    flags: number,
    top: number,
    read: (r: Results) => T,
  ): T {
    rng.mark();
    let result: T;
    try {
      result = read(this.drawUnmarked(impl, rng, p, n, flags, top));
      // After every read of the kernels' memory: a setter here runs user code harmlessly (one
      // that detaches that memory finds nothing left to read, and one that throws gives the
      // stream's values back too).
      p.afterDraw();
    } catch (e) {
      rng.rewind();
      throw e;
    }
    return result;
  }

  /** draw() for a caller that marks and rewinds the stream itself (a batch: all or nothing),
   *  and hands the state back itself. */
  drawUnmarked(
    impl: KernelBackend,
    rng: Xoshiro128,
    p: Resolved,
    n: number,
    flags: number,
    top: number,
    where = '',
  ): Results {
    const coin = p.coin ? rng.nextUnit() : 0;
    const r = impl.run(MODE_DRAW, p, n, rng.nextUnit(), flags, top, coin);
    if (r.status !== S_OK) throw this.error(impl, p, r, where);
    return r;
  }

  /**
   * dst ← the distribution a draw follows (probs()). With a stage that flips a coin (XTC) a
   * draw follows one of two, so this is their mixture by the coin's chance: the run with the
   * stage applied (coin 0, below any chance) and the run without it (coin 1, below none) —
   * exactly the distribution of the token sample() returns. The first run waits in scratch, so
   * that a dst which is the logits themselves is written only at the end.
   */
  probsInto(impl: KernelBackend, p: Resolved, n: number, dst: Float32Array): void {
    let r = impl.run(MODE_PROBS, p, n, 0, 0, 0, 0);
    if (r.status !== S_OK) throw this.error(impl, p, r);
    if (!p.coin) {
      dst.set(impl.output(n));
      return;
    }
    if (this.scratch.length < n) this.scratch = new Float32Array(n);
    const applied = this.scratch;
    applied.set(impl.output(n));
    r = impl.run(MODE_PROBS, p, n, 0, 0, 0, 1);
    if (r.status !== S_OK) throw this.error(impl, p, r);
    const skipped = impl.output(n);
    const w = p.chance,
      v = 1 - w;
    for (let i = 0; i < n; i++) dst[i] = w * applied[i]! + v * skipped[i]!;
  }

  /** The params record for row r of a batch. */
  rowParamsAt(r: number): Resolved {
    while (this.rowParams.length <= r) this.rowParams.push(new Resolved());
    return this.rowParams[r]!;
  }

  /** The error for a run that failed: which logit, and why. */
  error(impl: KernelBackend, p: Resolved, r: Results, where = ''): RangeError {
    const n = this.#n;
    const probs = (p.flags & F_PROBS) !== 0;
    if (r.status === S_ALL_MASKED) {
      return new RangeError(
        `${where}every token is masked (-Infinity${probs ? ' or probability 0' : ''}, disallowed by allowed, or banned by logitBias, badWords or noRepeatNgramSize), so none can be drawn (length ${n})`,
      );
    }
    if (r.status === S_BAD_BIAS) return p.edits.badBias(r.token, n);
    // The value the kernels read, never the caller's array again (an element may be a getter),
    // in the fewest digits that name that float32.
    const placed = impl.placed(n);
    const x = (i: number) => float32Text(placed[i]!);
    if (r.status === S_EDIT_RANGE) {
      return new RangeError(
        `${where}${EDIT_NAMES[r.edit] ?? 'an edit'} pushed logits[${r.token}] (${x(r.token)}) past the float32 range (±3.4e38)`,
      );
    }
    if (r.status === S_BAD_PROB) {
      return new RangeError(
        `${where}logits[${r.token}] is ${x(r.token)}; with input 'probs' every entry must be a finite probability ≥ 0`,
      );
    }
    if (r.status === S_RAW_INVALID) return new RangeError('the untouched logits are all -Infinity: no raw logprobs');
    for (let i = 0; i < n; i++) {
      const v = placed[i]!;
      if (v !== v || v === Infinity) {
        return new RangeError(`${where}logits[${i}] is ${x(i)}; logits must be finite numbers or -Infinity (masked)`);
      }
    }
    return new RangeError(`${where}the logits after the edits hold NaN or +Infinity`);
  }

  /** Sets the length error messages report (a row's, in a batch). */
  reportLength(n: number): void {
    this.#n = n;
  }
}

export function checkLength(name: string, n: number): void {
  if (n === 0) throw new RangeError(`${name} is empty: need one logit per vocabulary entry`);
  if (n > MAX_TOKENS) throw new RangeError(`${name} has ${n} entries; at most ${MAX_TOKENS} are supported`);
}

/** dst ← src[from .. from + n) as float32, each element read once; rejects non-numbers and
 *  finite values the float32 range cannot hold, naming them `${where}${name}[i]` with i counted
 *  from `from` (a row's own index, as the kernels' errors name it). */
export function convert(
  dst: Float32Array,
  src: Float64Array | readonly number[],
  n: number,
  from: number,
  where = '',
  name = 'logits',
): Float32Array {
  const typed = typedArrayKind(src) === 'Float64Array';
  for (let i = 0; i < n; i++) {
    const v = src[from + i];
    if (!typed && typeof v !== 'number')
      throw new TypeError(`${where}${name}[${i}] must be a number, got ${describe(v)}`);
    dst[i] = v as number;
    const f = dst[i]!;
    if ((f === Infinity || f === -Infinity) && v !== f) {
      throw new RangeError(`${where}${name}[${i}] is ${v}, outside the float32 range (±3.4e38)`);
    }
  }
  return dst;
}
