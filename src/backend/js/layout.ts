// The TypeScript twin of assembly/layout.ts: the same constants and the same scratch regions,
// as typed arrays, plus the module-level results the AssemblyScript files keep in globals.
// Float32Array and Int32Array views share one buffer where a kernel reads the bits of a float.

export const BLOCK = 64;
export const PIVOT_SAMPLE = 256;
export const SMALL_SET = 512;
export const SMALL_RANK = 64;
export const MAX_TOP_N = 1024;
export const SORT_MAX = 2048;
export const EXP_CUTOFF = -53;

/** Grows a Float32Array/Int32Array pair over one buffer. */
function pair(n: number): [Float32Array<ArrayBuffer>, Int32Array<ArrayBuffer>] {
  const buf = new ArrayBuffer(n * 4);
  return [new Float32Array(buf), new Int32Array(buf)];
}

export class Workspace {
  capacity = 0;
  // Per-token regions (sized by ensure()).
  /** Logits converted from number[]/Float64Array (or copied from shared memory): read only. */
  input = new Float32Array(0);
  /** Logits transformed before the pipeline (mask, probabilities, scale). */
  stage = new Float32Array(0);
  seen = new Int32Array(0);
  bmax = new Float32Array(0);
  bcum = new Float64Array(0);
  bmass = new Float64Array(0);
  list = new Int32Array(0);
  xl = new Float32Array(0);
  e = new Float32Array(0);
  eBits = new Int32Array(0);
  z = new Float32Array(0);
  ak = new Int32Array(0);
  am = new Float32Array(0);
  ai = new Int32Array(0);
  kmass = new Float64Array(0);
  amass = new Float64Array(0);
  undoIds = new Int32Array(16);
  undoValues = new Float32Array(16);
  // Fixed regions.
  readonly counts = new Uint32Array(256);
  readonly heap = new Uint32Array(SMALL_RANK);
  readonly sortKeys = new Uint32Array(SORT_MAX);
  readonly sortVals = new Int32Array(SORT_MAX);
  readonly sortKeys2 = new Uint32Array(SORT_MAX);
  readonly sortVals2 = new Int32Array(SORT_MAX);
  readonly topTokens = new Int32Array(MAX_TOP_N);
  readonly topZ = new Float32Array(MAX_TOP_N);
  /** The 16 partial sums of a block (softmax.ts). */
  readonly part = new Float32Array(16);
  // What the AssemblyScript files keep in module globals.
  valid = true;
  filterMax = -Infinity;
  sumEZ = 0;
  badIndex = -1;
  badEdit = -1;
  undone = 0;
  // The kept set's rules (select.ts).
  keepAbove = 0;
  tieValue = 0;
  tieLast = -1;
  typicalOn = false;
  tKey = 0x7fffffff;
  tIndex = 0x7fffffff;
  tCenter = 0;
  cutKey = 0x7fffffff;
  cutIndex = 0x7fffffff;
  cutMass = 0;
  cutComplete = true;
  massBelow = 0;
  massUpTo = 0;

  /** Grows every per-token region to hold n tokens (and `edits` edits); allocates only when
   *  the capacity grows. */
  ensure(n: number, edits: number): void {
    if (edits > this.undoIds.length) {
      this.undoIds = new Int32Array(edits);
      this.undoValues = new Float32Array(edits);
    }
    if (n <= this.capacity) return;
    const cap = Math.ceil(Math.max(n, 1024) / BLOCK) * BLOCK;
    const slack = cap + BLOCK;
    const blocks = cap / BLOCK + 1;
    this.input = new Float32Array(cap);
    this.stage = new Float32Array(cap);
    this.seen = new Int32Array(cap);
    this.bmax = new Float32Array(blocks);
    this.bcum = new Float64Array(blocks);
    this.bmass = new Float64Array(blocks);
    this.list = new Int32Array(slack);
    this.xl = new Float32Array(slack);
    [this.e, this.eBits] = pair(slack);
    this.z = new Float32Array(slack);
    this.ak = new Int32Array(slack);
    this.am = new Float32Array(slack);
    this.ai = new Int32Array(slack);
    this.kmass = new Float64Array(blocks);
    this.amass = new Float64Array(blocks);
    this.capacity = cap;
  }

  get bytes(): number {
    const arrays = [
      this.input,
      this.stage,
      this.seen,
      this.bmax,
      this.bcum,
      this.bmass,
      this.list,
      this.xl,
      this.e,
      this.z,
      this.ak,
      this.am,
      this.ai,
      this.kmass,
      this.amass,
      this.undoIds,
      this.undoValues,
      this.counts,
      this.heap,
      this.sortKeys,
      this.sortVals,
      this.sortKeys2,
      this.sortVals2,
      this.topTokens,
      this.topZ,
      this.part,
    ];
    return arrays.reduce((sum, a) => sum + a.byteLength, 0);
  }
}
