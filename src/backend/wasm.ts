// The WASM backend: one instance of either build of assembly/, and its memory. Memory is sized
// to the largest vocabulary seen (not reserved up front), grown only after the kernel has said
// how much a layout needs, and views of it are re-derived after growth, which detaches every
// view of the old buffer.
import { typedArrayLength } from '../describe.js';
import { VIEW_EDITS } from '../limits.js';
import type { Resolved } from '../params.js';
import { type Backend, Results } from './types.js';
import * as B from './wasm-block.js';

interface Kernels {
  readonly memory: WebAssembly.Memory;
  readonly PARAMS: WebAssembly.Global;
  readonly VIEW: WebAssembly.Global;
  readonly TOP: WebAssembly.Global;
  simd(): number;
  bytesFor(capacity: number, edits: number): number;
  configure(capacity: number, edits: number): void;
  inputPtr(): number;
  maskPtr(): number;
  biasIdsPtr(): number;
  biasValsPtr(): number;
  historyPtr(): number;
  outputPtr(): number;
  run(mode: number): number;
}

const PAGE = 65536;

export class WasmBackend implements Backend {
  readonly name: 'wasm-simd' | 'wasm';
  private k: Kernels;
  private capacity = 0;
  private edits = 0;
  private readonly params: number;
  private readonly viewAt: number;
  private readonly topAt: number;
  private inputAt = 0;
  private src = 0;
  private i32 = new Int32Array(0);
  private u32 = new Uint32Array(0);
  private f32 = new Float32Array(0);
  private f64 = new Float64Array(0);
  private inputView = new Float32Array(0);
  private readonly retired = new WeakSet<ArrayBufferLike>();
  private readonly r = new Results();

  constructor(instance: WebAssembly.Instance) {
    const k = instance.exports as unknown as Kernels;
    if (typeof k.run !== 'function' || typeof k.bytesFor !== 'function' || !(k.memory instanceof WebAssembly.Memory)) {
      throw new TypeError('module is not a logit-sampler kernel build (missing exports)');
    }
    this.k = k;
    this.name = k.simd() ? 'wasm-simd' : 'wasm';
    this.params = k.PARAMS.value as number;
    this.viewAt = k.VIEW.value as number;
    this.topAt = k.TOP.value as number;
    this.refresh();
  }

  get memoryBytes(): number {
    return this.k.memory.buffer.byteLength;
  }

  private refresh(): void {
    const buf = this.k.memory.buffer;
    if (this.i32.buffer === buf) return;
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.f32 = new Float32Array(buf);
    this.f64 = new Float64Array(buf);
  }

  reserve(n: number, edits: number): void {
    if (n <= this.capacity && edits <= this.edits) return;
    const cap = Math.max(n, this.capacity);
    const ed = Math.max(edits, this.edits);
    const need = this.k.bytesFor(cap, ed) >>> 0;
    const memory = this.k.memory;
    const have = memory.buffer.byteLength;
    if (need > have) {
      const old = memory.buffer;
      try {
        memory.grow(Math.ceil((need - have) / PAGE));
      } catch (e) {
        throw new RangeError(
          `cannot grow WebAssembly memory to ${(need / 2 ** 20).toFixed(1)} MiB for ${n} tokens: ${(e as Error)?.message ?? e}`,
        );
      }
      this.retired.add(old);
    }
    this.k.configure(cap, ed);
    this.capacity = cap;
    this.edits = ed;
    this.inputAt = this.k.inputPtr() >>> 0;
    this.refresh();
    this.inputView = new Float32Array(memory.buffer, this.inputAt, cap);
  }

  view(n: number): Float32Array {
    // Room for a logit bias and history too, so that the first call with them does not grow
    // memory under the view it was handed (a growth detaches every view).
    this.reserve(n, Math.max(this.edits, Math.min(n, VIEW_EDITS)));
    return new Float32Array(this.k.memory.buffer, this.viewAt, n);
  }

  isDetached(a: Float32Array): boolean {
    return this.retired.has(a.buffer);
  }

  input(n: number): Float32Array {
    if (this.inputView.buffer !== this.k.memory.buffer)
      this.inputView = new Float32Array(this.k.memory.buffer, this.inputAt, this.capacity);
    return n === this.inputView.length ? this.inputView : this.inputView.subarray(0, n);
  }

  place(x: Float32Array): void {
    const off = x.byteOffset;
    if (x.buffer === this.k.memory.buffer) {
      // A logitsView, a part of one (a row of a batch) or the input copy itself: read in place.
      if (off >= this.viewAt && off + x.byteLength <= this.viewAt + this.capacity * 4) {
        this.src = off;
        return;
      }
      if (off === this.inputAt) {
        this.src = off;
        return;
      }
    }
    this.input(this.capacity).set(x);
    this.src = this.inputAt;
  }

  run(mode: number, p: Resolved, n: number, u: number, flags: number, topN: number): Results {
    const i32 = this.i32,
      f32 = this.f32,
      f64 = this.f64,
      P = this.params;
    i32[(P + B.P_N) >> 2] = n;
    i32[(P + B.P_SRC) >> 2] = this.src;
    i32[(P + B.P_FLAGS) >> 2] = flags | p.flags;
    i32[(P + B.P_TOP_K) >> 2] = p.topK;
    f32[(P + B.P_C) >> 2] = p.c;
    f64[(P + B.P_C64) >> 3] = p.c64;
    f32[(P + B.P_MIN_P) >> 2] = p.minP;
    f64[(P + B.P_TOP_P) >> 3] = p.topP;
    f64[(P + B.P_TYPICAL_P) >> 3] = p.typicalP;
    f64[(P + B.P_U) >> 3] = u;
    f32[(P + B.P_MIN_P_Z) >> 2] = p.minPZ;
    f32[(P + B.P_REPETITION) >> 2] = p.repetition;
    f32[(P + B.P_PRESENCE) >> 2] = p.presence;
    f32[(P + B.P_FREQUENCY) >> 2] = p.frequency;
    i32[(P + B.P_BIAS_COUNT) >> 2] = p.biasCount;
    i32[(P + B.P_HISTORY_COUNT) >> 2] = p.historyCount;
    i32[(P + B.P_TOP_N) >> 2] = topN;
    if (p.mask) this.u32.set(p.mask, this.k.maskPtr() >>> 2);
    if (p.biasCount) {
      copyInto(i32, this.k.biasIdsPtr() >>> 2, p.biasIds, p.biasCount);
      copyInto(f32, this.k.biasValsPtr() >>> 2, p.biasValues, p.biasCount);
    }
    if (p.historyCount) copyInto(i32, this.k.historyPtr() >>> 2, p.history, p.historyCount);
    const r = this.r;
    r.status = this.k.run(mode);
    r.token = i32[(P + B.R_TOKEN) >> 2]!;
    r.z = f32[(P + B.R_Z) >> 2]!;
    r.mass = f64[(P + B.R_MASS) >> 3]!;
    r.ez = f64[(P + B.R_EZ) >> 3]!;
    r.count = i32[(P + B.R_COUNT) >> 2]!;
    r.topCount = i32[(P + B.R_TOP_COUNT) >> 2]!;
    r.rawMass = f64[(P + B.R_RAW_MASS) >> 3]!;
    r.rawZ = f32[(P + B.R_RAW_Z) >> 2]!;
    return r;
  }

  output(n: number): Float32Array {
    return new Float32Array(this.k.memory.buffer, this.k.outputPtr() >>> 0, n);
  }

  topToken(i: number): number {
    return this.i32[(this.topAt >> 2) + 2 * i]!;
  }

  topZ(i: number): number {
    return this.f32[(this.topAt >> 2) + 2 * i + 1]!;
  }

  dispose(): void {
    this.k = DISPOSED;
  }
}

/** What a disposed backend holds instead of its instance, so that its memory can be freed. */
const DISPOSED = {
  memory: { buffer: new ArrayBuffer(0) },
} as unknown as Kernels;

/** dst[at ..] ← a[0 .. count): one set() when that is all of a (a caller's bias arrays),
 *  else a loop (our own scratch, longer than the count), so neither allocates. */
function copyInto(
  dst: Int32Array | Float32Array,
  at: number,
  a: Int32Array<ArrayBufferLike> | Float32Array<ArrayBufferLike>,
  count: number,
): void {
  if (typedArrayLength(a) === count) dst.set(a, at);
  else for (let j = 0; j < count; j++) dst[at + j] = a[j]!;
}
