// Twin of assembly/select.ts.
import { bucketOfBits, searchCum } from './histogram.js';
import { DIGIT_BITS, IN_BUCKET_MASK, ONE_BITS, SAMPLE, type Workspace } from './layout.js';
import { keyToFloat, radixSelect, sortByKey, toOrderKeys } from './radix.js';

const SMALL_RANK = 64;

/** What cut() decided; the draw and probs() read it. */
export class Cut {
  bucket = 0;
  keep = 0;
  base = 0;
  kept = 0;
}

/** w.list ← tokens with logit ≥ the k-th largest (ascending), w.xl ← their logits. 0 < k < n. */
export function buildTopK(w: Workspace, x: Float32Array, n: number, k: number): number {
  const list = w.list,
    xl = w.xl;
  let count = 0;
  if (n >= SAMPLE * 4) {
    const lambda = (k * SAMPLE) / n;
    const rank = Math.round(lambda + 2 * Math.sqrt(lambda) + 2);
    count = filterAtLeast(w, x, n, samplePivot(w, x, n, Math.min(SAMPLE, rank)));
    if (count < k) count = filterAtLeast(w, x, n, samplePivot(w, x, n, Math.min(SAMPLE, 4 * rank + 16)));
  }
  if (count < k) count = filterAtLeast(w, x, n, -Infinity);
  for (let j = 0; j < count; j++) w.keysF[j] = x[list[j]!]!;
  toOrderKeys(w.keys, count);
  const threshold = keyToFloat(kthLargest(w, w.keys, count, k));
  let out = 0;
  for (let j = 0; j < count; j++) {
    const idx = list[j]!;
    const v = x[idx]!;
    if (v >= threshold) {
      list[out] = idx;
      xl[out] = v;
      out++;
    }
  }
  return out;
}

function samplePivot(w: Workspace, x: Float32Array, n: number, rank: number): number {
  const stride = Math.floor(n / SAMPLE);
  for (let s = 0; s < SAMPLE; s++) w.samplesF[s] = x[s * stride]!;
  toOrderKeys(w.samples, SAMPLE);
  return keyToFloat(kthLargest(w, w.samples, SAMPLE, rank));
}

function kthLargest(w: Workspace, buf: Uint32Array, count: number, k: number): number {
  if (k > SMALL_RANK) return radixSelect(buf, count, k, w.counts);
  const heap = w.heap; // a min-heap of the k largest so far
  for (let i = 0; i < count; i++) {
    const key = buf[i]!;
    if (i < k) {
      let j = i;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        const pk = heap[parent]!;
        if (pk <= key) break;
        heap[j] = pk;
        j = parent;
      }
      heap[j] = key;
    } else if (key > heap[0]!) {
      let j = 0;
      for (;;) {
        let c = 2 * j + 1;
        if (c >= k) break;
        let ck = heap[c]!;
        if (c + 1 < k && heap[c + 1]! < ck) ck = heap[++c]!;
        if (key <= ck) break;
        heap[j] = ck;
        j = c;
      }
      heap[j] = key;
    }
  }
  return heap[0]!;
}

/** w.list ← indices i < n with x[i] ≥ t, ascending; sets w.seenMax on the way. */
function filterAtLeast(w: Workspace, x: Float32Array, n: number, t: number): number {
  const list = w.list;
  let count = 0;
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v > m) m = v;
    else if (v !== v) m = NaN;
    if (v >= t) list[count++] = i;
  }
  w.seenMax = m;
  return count;
}

/** Applies top-p (topP < 1) and min-p (minP > 0: keep e ≥ minP, a float32); fills cut. */
export function cut(w: Workspace, len: number, top: number, total: number, topP: number, minP: number, out: Cut): void {
  const e = w.e,
    pos = w.pos,
    cum = w.cum;
  let qp = top + 1,
    qm = top + 1;
  const target = topP * total;
  if (topP < 1) qp = searchCum(cum, top, target, true);
  if (minP > 0) qm = Math.min(bucketOfFloat(minP), top + 1);
  const q = Math.min(qp, qm);
  out.bucket = q;
  out.keep = 0;
  out.base = q > 0 ? cum[q - 1]! : 0;
  if (q > top) {
    out.kept = out.base;
    return;
  }
  const count = gatherBucket(w, len, q);
  sortByKey(w.keys, pos, count, w.keys2, w.pos2, w.counts, DIGIT_BITS);
  let k = count;
  if (q === qm) {
    k = 0;
    while (k < count && e[pos[k]!]! >= minP) k++;
  }
  let acc = out.base;
  if (q === qp) {
    for (let r = 0; r < k; r++) {
      acc += e[pos[r]!]!;
      if (acc >= target) {
        k = r + 1;
        break;
      }
    }
  }
  acc = out.base;
  for (let r = 0; r < k; r++) acc += e[pos[r]!]!;
  out.keep = k;
  out.kept = acc;
}

function gatherBucket(w: Workspace, len: number, q: number): number {
  const bits = w.eBits,
    pos = w.pos,
    keys = w.keys;
  let count = 0;
  for (let j = 0; j < len; j++) {
    const b = bits[j]!;
    if (bucketOfBits(b) === q) {
      pos[count] = j;
      keys[count] = (ONE_BITS - b) & IN_BUCKET_MASK;
      count++;
    }
  }
  return count;
}

const oneBits = new Int32Array(1);
const oneFloat = new Float32Array(oneBits.buffer);

function bucketOfFloat(v: number): number {
  oneFloat[0] = v;
  return bucketOfBits(oneBits[0]!);
}
