// The TypeScript twin of assembly/layout.ts: the same constants and the same scratch regions,
// as typed arrays. Float32Array and Int32Array/Uint32Array views share one buffer where a
// kernel reads the bit pattern of a float (the WASM code uses reinterpret).

export const NB = 2048;
export const ONE_BITS = 0x3f800000;
export const BUCKET_SHIFT = 18;
export const IN_BUCKET_MASK = (1 << BUCKET_SHIFT) - 1;
export const SAMPLE = 1024;
export const DIGIT_BITS = 9;
export const DIGITS = 1 << DIGIT_BITS;

export class Workspace {
  capacity = 0;
  e = new Float32Array(0);
  eBits = new Int32Array(0);
  xl = new Float32Array(0);
  list = new Int32Array(0);
  keys = new Uint32Array(0);
  keysF = new Float32Array(0);
  keys2 = new Uint32Array(0);
  pos = new Int32Array(0);
  pos2 = new Int32Array(0);
  readonly hist = new Float64Array(4 * NB);
  readonly cum = new Float64Array(NB);
  readonly counts = new Uint32Array(DIGITS);
  readonly samples = new Uint32Array(SAMPLE);
  readonly samplesF = new Float32Array(this.samples.buffer);
  /** Min-heap of the small-rank selection (assembly/ uses COUNTS). */
  readonly heap = new Uint32Array(64);
  /** Maximum of all logits, found by buildTopK's filtering pass (NaN if any is NaN). */
  seenMax = 0;

  /** Grows every per-token region to hold n tokens; allocates only when n exceeds capacity. */
  ensure(n: number): void {
    if (n <= this.capacity) return;
    const cap = Math.max(n, 4096);
    const eBuf = new ArrayBuffer(cap * 4);
    this.e = new Float32Array(eBuf);
    this.eBits = new Int32Array(eBuf);
    this.xl = new Float32Array(cap);
    this.list = new Int32Array(cap);
    this.keys = new Uint32Array(cap);
    this.keysF = new Float32Array(this.keys.buffer);
    this.keys2 = new Uint32Array(cap);
    this.pos = new Int32Array(cap);
    this.pos2 = new Int32Array(cap);
    this.capacity = cap;
  }

  get bytes(): number {
    const own = [
      this.e,
      this.xl,
      this.list,
      this.keys,
      this.keys2,
      this.pos,
      this.pos2,
      this.hist,
      this.cum,
      this.counts,
      this.samples,
      this.heap,
    ];
    return own.reduce((sum, a) => sum + a.byteLength, 0);
  }
}
