// The WASM backend: instantiates one of the two builds of assembly/ and owns its memory.
// The kernels never allocate; this class grows linear memory to fit the vocabulary and
// re-derives its views afterwards, since growing detaches every view of the old buffer.
import type { Backend } from './types.js';

interface Kernels {
  readonly memory: WebAssembly.Memory;
  configure(capacity: number): number;
  logitsPtr(): number;
  outPtr(): number;
  simd(): number;
  max(n: number): number;
  sample(n: number, c: number, topK: number, topP: number, minP: number, u: number): number;
  probs(n: number, c: number, topK: number, topP: number, minP: number): number;
}

/** Reserved at start so that vocabularies up to 256k never grow memory. */
export const INITIAL_CAPACITY = 262144;
const PAGE = 65536;

export class WasmBackend implements Backend {
  readonly name: 'wasm-simd' | 'wasm';
  private readonly k: Kernels;
  private capacity = 0;
  private ptr = 0;
  private x: Float32Array;
  private readonly retired = new WeakSet<ArrayBufferLike>();

  constructor(instance: WebAssembly.Instance) {
    this.k = instance.exports as unknown as Kernels;
    if (typeof this.k.sample !== 'function' || !(this.k.memory instanceof WebAssembly.Memory)) {
      throw new TypeError('module is not a logit-sampler kernel build (missing exports)');
    }
    this.name = this.k.simd() ? 'wasm-simd' : 'wasm';
    this.x = new Float32Array(0);
    this.ensure(INITIAL_CAPACITY);
  }

  get memoryBytes(): number {
    return this.k.memory.buffer.byteLength;
  }

  private ensure(n: number): void {
    if (n > this.capacity) {
      const need = this.k.configure(n);
      const memory = this.k.memory;
      const have = memory.buffer.byteLength;
      if (need > have) {
        const old = memory.buffer;
        memory.grow(Math.ceil((need - have) / PAGE));
        this.retired.add(old);
      }
      this.capacity = n;
      this.ptr = this.k.logitsPtr();
    }
    if (this.x.buffer !== this.k.memory.buffer || this.x.length < this.capacity) {
      this.x = new Float32Array(this.k.memory.buffer, this.ptr, this.capacity);
    }
  }

  view(n: number): Float32Array {
    this.ensure(n);
    return new Float32Array(this.k.memory.buffer, this.ptr, n);
  }

  isDetached(a: Float32Array): boolean {
    return this.retired.has(a.buffer);
  }

  load(logits: Float32Array): void {
    this.ensure(logits.length);
    // A logitsView (or a prefix of one) is already in place: zero copy.
    if (logits.buffer !== this.x.buffer || logits.byteOffset !== this.ptr) {
      this.x.set(logits);
    }
  }

  max(n: number): number {
    return this.k.max(n);
  }

  sample(n: number, c: number, topK: number, topP: number, minP: number, u: number): number {
    return this.k.sample(n, c, topK, topP, minP, u);
  }

  probs(n: number, c: number, topK: number, topP: number, minP: number, out: Float32Array): boolean {
    if (this.k.probs(n, c, topK, topP, minP) < 0) return false;
    out.set(new Float32Array(this.k.memory.buffer, this.k.outPtr(), n));
    return true;
  }
}
