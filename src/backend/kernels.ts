// The one backend: an instance of a build of assembly/ — WebAssembly with or without SIMD, or
// the JavaScript wasm2js generated from the scalar build — and its memory. Both kernel sources
// export the same functions, globals and a memory object with `buffer` and `grow()`, and both
// read the parameter block laid out in assembly/abi.ts, which this file writes. Memory is sized
// to the largest vocabulary seen (not reserved up front), grown only after the kernels have said
// how much a layout needs, and views of it are re-derived after growth, which detaches every
// view of the old buffer.
import {
  BLOCK_BYTES,
  F_DRAFT,
  MAX_ORDER,
  MAX_STAGES,
  MODE_RESIDUAL,
  P_BAD_WORDS_COUNT,
  P_BIAS_COUNT,
  P_BREAKER_COUNT,
  P_COIN,
  P_FLAGS,
  P_HISTORY_COUNT,
  P_N,
  P_ORDER,
  P_ORDER_LEN,
  P_SEQ_BIAS_COUNT,
  P_SLOTS,
  P_SRC,
  P_TOKEN,
  P_TOP_N,
  P_U,
  R_EDIT,
  R_EZ,
  R_MASS,
  R_PROB,
  R_RAW_MASS,
  R_RAW_Z,
  R_TEMPERATURE,
  R_TOKEN,
  R_TOP_COUNT,
  R_Z,
  SLOT,
  ST_DRY,
  ST_NO_REPEAT_NGRAM,
  ST_PENALTIES,
} from '../../assembly/abi.js';
import { typedArrayBuffer, typedArrayLength, typedArrayOffset } from '../describe.js';
import { VIEW_EDITS, VIEW_SEQUENCES } from '../limits.js';
import type { Resolved } from '../params.js';
import type { BackendName } from './name.js';

/** assembly/layout.ts bytesFor()/configure(): a view of `view` floats, runs over `capacity`
 *  tokens, and the edits' regions. */
type Layout<R> = (
  view: number,
  capacity: number,
  bias: number,
  history: number,
  sequences: number,
  tokens: number,
  edited: number,
) => R;

/** What a kernel build exports: a WebAssembly instance's exports, or the generated module's. */
export interface KernelExports {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
  readonly PARAMS: { readonly value: number };
  readonly VIEW: { readonly value: number };
  readonly TOP: { readonly value: number };
  simd(): number;
  bytesFor: Layout<number>;
  configure: Layout<void>;
  inputPtr(): number;
  maskPtr(): number;
  biasIdsPtr(): number;
  biasValsPtr(): number;
  historyPtr(): number;
  seqTokensPtr(): number;
  seqEndsPtr(): number;
  seqValsPtr(): number;
  outputPtr(): number;
  draftPtr(): number;
  run(mode: number): number;
  /** The kernels' own exponential and logarithms (exported for the tests). */
  exp2s(z: number): number;
  lns(p: number): number;
  log2d(x: number): number;
  exp2d(y: number): number;
}

/** How much edit data a call hands the kernels: the sizes of the edit regions (layout.ts). */
export interface EditRoom {
  /** Logit-bias entries. */
  bias: number;
  /** History tokens copied (the latest ones, as many as an edit reads). */
  history: number;
  /** Sequences of the sequence table (sequence bias, bad words, DRY's breakers). */
  sequences: number;
  /** Their tokens. */
  sequenceTokens: number;
  /** Tokens the edits may change, each recorded once to be put back: at most the bias entries,
   *  history tokens and sequences together, and the vocabulary. */
  edited: number;
}

/** A call without edit data. */
export const NO_EDITS: Readonly<EditRoom> = Object.freeze({
  bias: 0,
  history: 0,
  sequences: 0,
  sequenceTokens: 0,
  edited: 0,
});

/** What a run leaves behind (abi.ts R_*), read back into one reused object. */
export class Results {
  status = 0;
  /** The token drawn; on a failure, the offending index or logit-bias entry (or -1). */
  token = 0;
  /** z = (x − max)·c of the token drawn. */
  z = 0;
  /** Mass (Σ e) of the kept set, and Σ e·z over it when entropy was asked. */
  mass = 0;
  ez = 0;
  /** The temperature used. */
  temperature = 1;
  /** (token, z) pairs written for the top logprobs. */
  topCount = 0;
  rawMass = 0;
  rawZ = 0;
  /** MODE_PROB: the probability of the token asked about. */
  prob = 0;
  /** S_EDIT_RANGE: the edit (abi.ts ST_*) that pushed a logit past the float32 range. */
  edit = 0;
}

const PAGE = 65536;
const SLOT_F64 = SLOT / 8;

export class KernelBackend {
  private k: KernelExports;
  /** Tokens a run can take (the kernels' per-token regions). */
  private capacity = 0;
  /** Floats of the view region (logitsView()): a batch of rows may hold many runs' worth. */
  private viewCapacity = 0;
  /** The edit regions' sizes now. */
  private readonly room: EditRoom = { ...NO_EDITS };
  /** What view() reserves (reused). */
  private readonly viewRoom: EditRoom = { ...NO_EDITS };
  private params = 0;
  private viewAt = 0;
  private topAt = 0;
  private inputAt = 0;
  private src = 0;
  private i32 = new Int32Array(0);
  private u32 = new Uint32Array(0);
  private u8 = new Uint8Array(0);
  private f32 = new Float32Array(0);
  private f64 = new Float64Array(0);
  private inputView = new Float32Array(0);
  private readonly retired = new WeakSet<ArrayBufferLike>();
  private readonly r = new Results();

  /** `instantiate` makes a fresh instance of the build; `name` is the build's. */
  constructor(
    private readonly instantiate: () => KernelExports,
    readonly name: BackendName,
  ) {
    this.k = this.start();
  }

  private start(): KernelExports {
    const k = this.instantiate();
    this.k = k;
    this.params = k.PARAMS.value;
    this.viewAt = k.VIEW.value;
    this.topAt = k.TOP.value;
    this.capacity = this.viewCapacity = this.inputAt = this.src = 0;
    Object.assign(this.room, NO_EDITS);
    this.inputView = new Float32Array(0);
    this.refresh();
    return k;
  }

  get memoryBytes(): number {
    return this.k.memory.buffer.byteLength;
  }

  /** The kernels' memory as it is now. */
  get buffer(): ArrayBuffer {
    return this.k.memory.buffer;
  }

  /** Whether `buffer` is memory this backend has left behind (a view of it is stale). */
  isRetired(buffer: ArrayBufferLike): boolean {
    return this.retired.has(buffer);
  }

  /**
   * The generated build's memory is a plain ArrayBuffer, which a caller holding a view of it can
   * transfer away. The instance is then lost: start a fresh one (logitsView() hands out new
   * views) and say so. WebAssembly memory cannot be transferred.
   */
  ensureIntact(): void {
    if (this.k.memory.buffer.byteLength !== 0) return;
    this.retired.add(this.k.memory.buffer);
    this.start();
    throw new RangeError(
      "the sampler's memory was transferred away (a logitsView()'s buffer was transferred); it starts afresh: call logitsView() again",
    );
  }

  private refresh(): void {
    const buf = this.k.memory.buffer;
    if (this.i32.buffer === buf) return;
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.u8 = new Uint8Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
  }

  /** Makes room for runs over n tokens, the edit data `e` and a view of `view` floats. May grow
   *  memory, which detaches every view of the old memory; throws a RangeError when it cannot. */
  reserve(n: number, e: Readonly<EditRoom>, view: number): void {
    const room = this.room;
    if (
      n <= this.capacity &&
      view <= this.viewCapacity &&
      e.bias <= room.bias &&
      e.history <= room.history &&
      e.sequences <= room.sequences &&
      e.sequenceTokens <= room.sequenceTokens &&
      e.edited <= room.edited
    ) {
      return;
    }
    const cap = Math.max(n, this.capacity);
    const viewCap = Math.max(view, this.viewCapacity);
    const bias = Math.max(e.bias, room.bias),
      history = Math.max(e.history, room.history),
      sequences = Math.max(e.sequences, room.sequences),
      tokens = Math.max(e.sequenceTokens, room.sequenceTokens),
      edited = Math.max(e.edited, room.edited);
    const need = this.k.bytesFor(viewCap, cap, bias, history, sequences, tokens, edited) >>> 0;
    const memory = this.k.memory;
    const have = memory.buffer.byteLength;
    if (need > have) {
      const old = memory.buffer;
      const fail = (why: string) =>
        new RangeError(`cannot grow the sampler's memory to ${(need / 2 ** 20).toFixed(1)} MiB for ${n} tokens${why}`);
      try {
        memory.grow(Math.ceil((need - have) / PAGE));
      } catch (e) {
        throw fail(`: ${(e as Error)?.message ?? e}`);
      }
      // The generated build refuses a growth past 4 GiB by not growing.
      if (memory.buffer.byteLength < need) throw fail('');
      // The generated build's old buffer stays attached: detach it, so that a stale view fails as
      // it does on WebAssembly instead of reading memory the sampler no longer uses.
      detach(old);
      this.retired.add(old);
    }
    this.k.configure(viewCap, cap, bias, history, sequences, tokens, edited);
    this.capacity = cap;
    this.viewCapacity = viewCap;
    room.bias = bias;
    room.history = history;
    room.sequences = sequences;
    room.sequenceTokens = tokens;
    room.edited = edited;
    this.inputAt = this.k.inputPtr() >>> 0;
    this.refresh();
    this.inputView = new Float32Array(memory.buffer, this.inputAt, cap);
  }

  /** A Float32Array of length n the kernels read without copying (logitsView), with room for
   *  runs over `tokens` tokens. */
  view(n: number, tokens: number): Float32Array {
    // Room for a logit bias, history and a sequence table too, so that the first call with them
    // does not grow memory under the view it was handed (a growth detaches every view).
    const v = this.viewRoom;
    v.bias = v.history = Math.min(tokens, VIEW_EDITS);
    v.sequences = v.sequenceTokens = Math.min(tokens, VIEW_SEQUENCES);
    // A bias and history of VIEW_EDITS together, as before there were sequences.
    v.edited = Math.min(tokens, VIEW_EDITS + VIEW_SEQUENCES);
    this.reserve(tokens, v, n);
    return new Float32Array(this.k.memory.buffer, this.viewAt, n);
  }

  /** Where a number[] or Float64Array is converted to float32 (valid until the next reserve). */
  input(n: number): Float32Array {
    if (this.inputView.buffer !== this.k.memory.buffer)
      this.inputView = new Float32Array(this.k.memory.buffer, this.inputAt, this.capacity);
    return n === this.inputView.length ? this.inputView : this.inputView.subarray(0, n);
  }

  /** Makes x[0 .. n) the input of the next run: read in place when it is in the view or is the
   *  input copy, else copied. */
  place(x: Float32Array): void {
    this.placeRow(x, 0, typedArrayLength(x));
  }

  /** Whether x lies in the view region (read in place, never written by a call). */
  inView(x: ArrayBufferView): boolean {
    return typedArrayBuffer(x) === this.k.memory.buffer && this.viewHolds(typedArrayOffset(x), typedArrayLength(x));
  }

  /** Makes x[from .. from + n) the input of the next run, like place() (a row of a batch). */
  placeRow(x: Float32Array, from: number, n: number): void {
    const off = typedArrayOffset(x) + from * 4;
    // A logitsView, a part of one (a row of a batch) or the input copy itself: read in place.
    if (typedArrayBuffer(x) === this.k.memory.buffer && (this.viewHolds(off, n) || off === this.inputAt)) {
      this.src = off;
      return;
    }
    // A row as a view built from the buffer: x.subarray() would run the caller's
    // Symbol.species constructor, user code after the checks.
    this.input(n).set(from === 0 && n === typedArrayLength(x) ? x : new Float32Array(typedArrayBuffer(x), off, n));
    this.src = this.inputAt;
  }

  /** Whether the n floats at byte offset `off` lie in the view region. */
  private viewHolds(off: number, n: number): boolean {
    return off >= this.viewAt && off + n * 4 <= this.viewAt + this.viewCapacity * 4;
  }

  /** The n logits the next run reads (after place()). */
  placed(n: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, this.src, n);
  }

  /** Runs the kernels (abi.ts MODE_*) with params p over n tokens and the uniform u. */
  run(mode: number, p: Resolved, n: number, u: number, flags: number, topN: number, coin = 0, token = 0): Results {
    const i32 = this.i32,
      f64 = this.f64,
      P = this.params,
      e = p.edits;
    // The caller's arrays first: one of them may lie in this memory, where the block is.
    if (e.mask) this.u32.set(e.mask, this.k.maskPtr() >>> 2);
    if (e.biasCount) {
      copyInto(i32, this.k.biasIdsPtr() >>> 2, e.biasIds, 0, e.biasCount);
      copyInto(this.f32, this.k.biasValsPtr() >>> 2, e.biasValues, 0, e.biasCount);
    }
    if (e.historyCount) copyInto(i32, this.k.historyPtr() >>> 2, e.history, e.historyFrom, e.historyCount);
    const sequences = e.sequenceCount;
    if (sequences) {
      copyInto(i32, this.k.seqTokensPtr() >>> 2, e.sequenceTokens, 0, e.sequenceTokenCount);
      copyInto(i32, this.k.seqEndsPtr() >>> 2, e.sequenceEnds, 0, sequences);
      copyInto(this.f32, this.k.seqValsPtr() >>> 2, e.sequenceValues, 0, sequences);
    }
    i32[(P + P_N) >> 2] = n;
    i32[(P + P_SRC) >> 2] = this.src;
    i32[(P + P_FLAGS) >> 2] = flags | p.flags;
    i32[(P + P_TOP_N) >> 2] = topN;
    f64[(P + P_U) >> 3] = u;
    f64[(P + P_COIN) >> 3] = coin;
    i32[(P + P_TOKEN) >> 2] = token;
    i32[(P + P_BIAS_COUNT) >> 2] = e.biasCount;
    i32[(P + P_HISTORY_COUNT) >> 2] = e.historyCount;
    i32[(P + P_SEQ_BIAS_COUNT) >> 2] = e.sequenceBiasCount;
    i32[(P + P_BAD_WORDS_COUNT) >> 2] = e.badWordsCount;
    i32[(P + P_BREAKER_COUNT) >> 2] = e.breakerCount;
    const stages = p.orderLength;
    i32[(P + P_ORDER_LEN) >> 2] = stages;
    for (let j = 0; j < stages; j++) {
      const id = p.order[j]!;
      this.u8[P + P_ORDER + j] = id;
      this.slot(p, id);
    }
    // Every call: the settings' slots, and the edits' (each holds its window, 0 = off, which
    // the kernels trust).
    for (let j = 0; j < p.settings.length; j++) this.slot(p, p.settings[j]!);
    this.slot(p, ST_PENALTIES);
    this.slot(p, ST_DRY);
    this.slot(p, ST_NO_REPEAT_NGRAM);
    const r = this.r;
    r.status = this.k.run(mode);
    r.token = i32[(P + R_TOKEN) >> 2]!;
    r.z = this.f32[(P + R_Z) >> 2]!;
    r.mass = f64[(P + R_MASS) >> 3]!;
    r.ez = f64[(P + R_EZ) >> 3]!;
    r.temperature = f64[(P + R_TEMPERATURE) >> 3]!;
    r.topCount = i32[(P + R_TOP_COUNT) >> 2]!;
    r.rawMass = f64[(P + R_RAW_MASS) >> 3]!;
    r.rawZ = this.f32[(P + R_RAW_Z) >> 2]!;
    r.prob = this.f32[(P + R_PROB) >> 2]!;
    r.edit = i32[(P + R_EDIT) >> 2]!;
    // A stateful stage's new state, for the wrapper to hand back to the caller.
    for (let i = 0; i < p.statefulLength; i++) {
      const id = p.stateful[i]!;
      const at = (P + P_SLOTS + id * SLOT) >> 3;
      for (let j = 0; j < SLOT_F64; j++) p.slots[id * SLOT_F64 + j] = f64[at + j]!;
    }
    return r;
  }

  /** Copies stage `id`'s slot into the block. */
  private slot(p: Resolved, id: number): void {
    const at = (this.params + P_SLOTS + id * SLOT) >> 3,
      from = id * SLOT_F64;
    for (let i = 0; i < SLOT_F64; i++) this.f64[at + i] = p.slots[from + i]!;
  }

  /** After a MODE_PROBS run: the distribution, n floats (a view, valid until the next call). */
  output(n: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, this.k.outputPtr() >>> 0, n);
  }

  /** Where the draft's distribution goes for residual() (n floats, valid until the next run). */
  draftInput(n: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, this.k.draftPtr() >>> 0, n);
  }

  /** After a MODE_PROBS run over n tokens (p, at output()): the token drawn with u from
   *  norm(max(0, p − q)), q the draft's distribution at draftInput() when `withDraft`, else
   *  one-hot at `token` (abi.ts MODE_RESIDUAL). -1 when p is all 0. */
  residual(n: number, u: number, token: number, withDraft: boolean): number {
    const P = this.params;
    this.i32[(P + P_N) >> 2] = n;
    this.f64[(P + P_U) >> 3] = u;
    this.i32[(P + P_TOKEN) >> 2] = token;
    this.i32[(P + P_FLAGS) >> 2] = withDraft ? F_DRAFT : 0;
    this.k.run(MODE_RESIDUAL);
    return this.i32[(P + R_TOKEN) >> 2]!;
  }

  /** After a run with F_TOP or F_RAW: the i-th most likely (token, z). */
  topToken(i: number): number {
    return this.i32[(this.topAt >> 2) + 2 * i]!;
  }
  topZ(i: number): number {
    return this.f32[(this.topAt >> 2) + 2 * i + 1]!;
  }

  /** Releases the memory; the backend is unusable afterwards. */
  dispose(): void {
    this.k = DISPOSED;
    this.i32 = new Int32Array(0);
    this.u32 = new Uint32Array(0);
    this.u8 = new Uint8Array(0);
    this.f32 = new Float32Array(0);
    this.f64 = new Float64Array(0);
    this.inputView = new Float32Array(0);
  }
}

/** What a disposed backend holds instead of its instance, so that its memory can be freed. */
const DISPOSED = {
  memory: { buffer: new ArrayBuffer(0) },
} as unknown as KernelExports;

// The block must hold every slot, and the order must end before the results.
if (P_SLOTS + MAX_STAGES * SLOT > BLOCK_BYTES || P_ORDER + MAX_ORDER > R_TOKEN) throw new Error('abi.ts: overlap');

/** Detaches a buffer where the runtime can (structuredClone with transfer moves it, no copy);
 *  elsewhere (Hermes, QuickJS) the backend's record of retired buffers still catches a stale
 *  view. */
function detach(buffer: ArrayBufferLike): void {
  if (typeof structuredClone !== 'function') return;
  try {
    structuredClone(buffer, { transfer: [buffer as ArrayBuffer] });
  } catch {
    // Already detached (WebAssembly memory detaches its old buffer itself), or not transferable.
  }
}

/** dst[at ..] ← a[from .. from + count): one set() when that is all of a (a caller's arrays),
 *  else a loop (our own scratch, longer than the count), so neither allocates. */
function copyInto(
  dst: Int32Array | Float32Array,
  at: number,
  a: Int32Array<ArrayBufferLike> | Float32Array<ArrayBufferLike>,
  from: number,
  count: number,
): void {
  if (from === 0 && typedArrayLength(a) === count) dst.set(a, at);
  else for (let j = 0; j < count; j++) dst[at + j] = a[from + j]!;
}
