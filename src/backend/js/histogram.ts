// Twin of assembly/histogram.ts. Position i feeds histogram copy i & 3, as SIMD lane i & 3
// does in the WASM build; additions land in each copy in ascending position order. Sums are
// float64 there too, so they need no Math.fround here.
import { exp2 } from './exp.js';
import { BUCKET_SHIFT, NB, ONE_BITS, type Workspace } from './layout.js';

const fround = Math.fround;

/** Bucket of a float32 e > 0 given its bit pattern. */
export function bucketOfBits(bits: number): number {
  return (ONE_BITS - bits) >>> BUCKET_SHIFT;
}

/** Fills w.e[0 .. len) and the histogram; returns the highest non-empty bucket. */
export function expHistogram(w: Workspace, src: Float32Array, len: number, m: number, c: number): number {
  const e = w.e,
    bits = w.eBits,
    h = w.hist;
  let top = 0;
  for (let i = 0; i < len; i++) {
    const v = exp2(fround(fround(src[i]! - m) * c));
    e[i] = v;
    if (v !== 0) {
      const b = bucketOfBits(bits[i]!);
      if (b > top) top = b;
      const k = (i & 3) * NB + b;
      h[k] = h[k]! + v;
    }
  }
  return top;
}

/** cum[q] = mass of buckets 0..q (lane copies merged pairwise); zeroes the histogram. */
export function cumulate(w: Workspace, top: number): number {
  const h = w.hist,
    cum = w.cum;
  let a = 0;
  for (let q = 0; q <= top; q++) {
    const h0 = h[q]!,
      h1 = h[NB + q]!,
      h2 = h[2 * NB + q]!,
      h3 = h[3 * NB + q]!;
    if (h0 === 0 && h1 === 0 && h2 === 0 && h3 === 0) {
      cum[q] = a;
      continue;
    }
    const mass = h0 + h1 + (h2 + h3);
    h[q] = 0;
    h[NB + q] = 0;
    h[2 * NB + q] = 0;
    h[3 * NB + q] = 0;
    a += mass;
    cum[q] = a;
  }
  return a;
}

/** First bucket q ≤ top with cum[q] ≥ t (ge) or > t (!ge); top + 1 if none. */
export function searchCum(cum: Float64Array, top: number, t: number, ge: boolean): number {
  let lo = 0,
    hi = top + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = cum[mid]!;
    if (ge ? v >= t : v > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
