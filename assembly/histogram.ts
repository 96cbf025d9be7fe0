// The softmax pass. For every list position it stores e = exp2((x - max)·c) (float32) and
// adds e into a histogram of probability buckets (32 per octave). The bucket masses are the
// only sums of the pipeline: the total, the top-p boundary and the draw all walk them, so no
// pass ever sorts the vocabulary. Sums are float64: the histogram is scattered one lane at a
// time anyway, so double precision costs nothing here, and with float32 sums a top-p 0.95
// cut over 2^20 flat logits landed 263 tokens away from float64's. Lane l of each 4-token group feeds
// histogram copy l; the scalar build and the TypeScript twin do the same, which fixes the
// order of every addition.
import { exp2s, exp2v, EXP_CUTOFF } from "./exp";
import { ALIVE, BMAX, BUCKET_SHIFT, CUM, E, HIST, KEYS2, NB, ONE_BITS, POS2 } from "./layout";

/** Set when the last expHistogram marked ALIVE: a 0 there means 16 positions whose e is 0
 *  and whose E was not written. */
export let aliveValid = false;

/** Bucket of e > 0: 0 for e ≈ 1, growing as e shrinks. */
// @ts-ignore: decorator
@inline export function bucketOf(e: f32): i32 {
  return (ONE_BITS - reinterpret<i32>(e)) >>> BUCKET_SHIFT;
}

/**
 * E[p .. p+4) ← e for the logits at src + p, each non-zero e added to histogram copy
 * (position & 3) — its SIMD lane — in ascending position order; returns the updated top.
 */
// @ts-ignore: decorator
@inline function expScatter(src: usize, p: i32, vm: v128, vc: v128, top: i32): i32 {
  const off = <usize>p << 2;
  const h = HIST;
  const laneBytes: usize = <usize>NB << 3;
  const v = exp2v(f32x4.mul(f32x4.sub(v128.load(src + off), vm), vc));
  v128.store(E + off, v);
  let live = i32x4.bitmask(f32x4.ne(v, f32x4.splat(0)));
  if (live == 15) {
    // All four lanes live (the common case on flat logits): no loop.
    const b = i32x4.shr_u(i32x4.sub(i32x4.splat(ONE_BITS), v), BUCKET_SHIFT);
    let at = h + (<usize>i32x4.extract_lane(b, 0) << 3);
    store<f64>(at, load<f64>(at) + <f64>f32x4.extract_lane(v, 0));
    at = h + laneBytes + (<usize>i32x4.extract_lane(b, 1) << 3);
    store<f64>(at, load<f64>(at) + <f64>f32x4.extract_lane(v, 1));
    at = h + 2 * laneBytes + (<usize>i32x4.extract_lane(b, 2) << 3);
    store<f64>(at, load<f64>(at) + <f64>f32x4.extract_lane(v, 2));
    at = h + 3 * laneBytes + (<usize>i32x4.extract_lane(b, 3) << 3);
    store<f64>(at, load<f64>(at) + <f64>f32x4.extract_lane(v, 3));
    return max<i32>(top, max<i32>(
      max<i32>(i32x4.extract_lane(b, 0), i32x4.extract_lane(b, 1)),
      max<i32>(i32x4.extract_lane(b, 2), i32x4.extract_lane(b, 3)),
    ));
  }
  while (live) {
    const lane = ctz<i32>(live);
    live &= live - 1;
    const bits = load<i32>(E + off + (<usize>lane << 2));
    const b = (ONE_BITS - bits) >>> BUCKET_SHIFT;
    if (b > top) top = b;
    const at = h + <usize>lane * laneBytes + (<usize>b << 3);
    store<f64>(at, load<f64>(at) + <f64>reinterpret<f32>(bits));
  }
  return top;
}

/**
 * Fills E and the histogram from the logits at src (padded with -Infinity to a multiple of
 * 16); returns the highest non-empty bucket (bucket 0 always holds the maximum).
 * With blockMax, BMAX holds the lane-wise maximum of every 16 logits (from scanBlocks): a
 * block whose maximum underflows is marked dead in ALIVE and its E left unwritten — readers
 * of E skip dead blocks (aliveValid). Otherwise every position of E[0 .. len) is written.
 */
export function expHistogram(src: usize, len: i32, m: f32, c: f32, blockMax: bool): i32 {
  const e = E, h = HIST;
  const laneBytes: usize = <usize>NB << 3;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m), vc = f32x4.splat(c), cut = f32x4.splat(EXP_CUTOFF);
    const zero = f32x4.splat(0);
    // 1. List what is worth a polynomial. Which blocks and vectors survive is data, so the
    //    lists are built without branches (append, then advance by 0 or 1): on peaked
    //    logits a branch per block or vector mispredicts more than it saves.
    const blocks = KEYS2, vectors = POS2;
    let top = 0;
    aliveValid = blockMax;
    if (!blockMax) {
      for (let v = 0; v < len; v += 4) top = expScatter(src, v, vm, vc, top);
      return top;
    }
    let nb = 0;
    for (let i = 0; i < len; i += 16) {
      // (x - m)·c is monotone in x, so the block maximum bounds all 16.
      const zb = f32x4.mul(f32x4.sub(v128.load(BMAX + <usize>i), vm), vc);
      const alive = <i32>v128.any_true(f32x4.ge(zb, cut));
      store<u8>(ALIVE + (<usize>i >> 4), <u8>alive);
      store<i32>(blocks + (<usize>nb << 2), i);
      nb += alive;
    }
    // 2. Exponentiate and scatter. When nearly every block lives (flat logits), checking
    //    vector by vector costs more than the few polynomials it saves; otherwise list the
    //    vectors with a live lane first. (A vector with no live lane yields zeros and
    //    scatters nothing, so both ways give the same result.)
    if (nb >= ((len + 15) >> 4) - ((len + 255) >> 8)) {
      for (let k = 0; k < nb; k++) {
        const i = load<i32>(blocks + (<usize>k << 2));
        top = expScatter(src, i, vm, vc, top);
        top = expScatter(src, i + 4, vm, vc, top);
        top = expScatter(src, i + 8, vm, vc, top);
        top = expScatter(src, i + 12, vm, vc, top);
      }
      return top;
    }
    let nv = 0;
    for (let k = 0; k < nb; k++) {
      const i = load<i32>(blocks + (<usize>k << 2));
      for (let v = i; v < i + 16; v += 4) {
        const z = f32x4.mul(f32x4.sub(v128.load(src + (<usize>v << 2)), vm), vc);
        v128.store(e + (<usize>v << 2), zero);
        store<i32>(vectors + (<usize>nv << 2), v);
        nv += <i32>v128.any_true(f32x4.ge(z, cut));
      }
    }
    for (let k = 0; k < nv; k++) top = expScatter(src, load<i32>(vectors + (<usize>k << 2)), vm, vc, top);
    return top;
  } else {
    let top = 0;
    for (let i = 0; i < len; i++) {
      const off = <usize>i << 2;
      const v = exp2s((load<f32>(src + off) - m) * c);
      store<f32>(e + off, v);
      if (v != 0) {
        const b = bucketOf(v);
        if (b > top) top = b;
        const p = h + <usize>(i & 3) * laneBytes + (<usize>b << 3);
        store<f64>(p, load<f64>(p) + <f64>v);
      }
    }
    return top;
  }
}

/**
 * CUM[q] = mass of buckets 0..q, summed bucket by bucket from the most likely; the lane
 * copies are merged pairwise. Zeroes the histogram for the next call. Returns the total.
 */
export function cumulate(top: i32): f64 {
  const h = HIST, cum = CUM;
  const laneBytes: usize = <usize>NB << 3;
  let a: f64 = 0;
  for (let q = 0; q <= top; q++) {
    const p = h + (<usize>q << 3);
    // Most buckets of a peaked distribution are empty: nothing to add, nothing to clear.
    // The vector build checks two buckets of all four copies at once (+0.0 is all zero bits).
    if (ASC_FEATURE_SIMD && q < top) {
      const any = v128.or(v128.or(v128.load(p), v128.load(p + laneBytes)),
        v128.or(v128.load(p + 2 * laneBytes), v128.load(p + 3 * laneBytes)));
      if (!v128.any_true(any)) {
        v128.store(cum + (<usize>q << 3), f64x2.splat(a));
        q++;
        continue;
      }
    }
    const h0 = load<f64>(p), h1 = load<f64>(p + laneBytes);
    const h2 = load<f64>(p + 2 * laneBytes), h3 = load<f64>(p + 3 * laneBytes);
    if (h0 == 0 && h1 == 0 && h2 == 0 && h3 == 0) {
      store<f64>(cum + (<usize>q << 3), a);
      continue;
    }
    const mass = (h0 + h1) + (h2 + h3);
    store<f64>(p, 0);
    store<f64>(p + laneBytes, 0);
    store<f64>(p + 2 * laneBytes, 0);
    store<f64>(p + 3 * laneBytes, 0);
    a += mass;
    store<f64>(cum + (<usize>q << 3), a);
  }
  return a;
}

/** True when positions i … i+15 (i a multiple of 16) are known to be 0 and unwritten. */
// @ts-ignore: decorator
@inline export function deadBlock(i: i32): bool {
  return aliveValid && !load<u8>(ALIVE + (<usize>i >> 4));
}

/** Bit l set when E[i + l] lies in bucket q (vq = splat(q)), for l < 16; i a multiple of 16.
 *  May flag positions ≥ len (unwritten or padding): callers stop there. */
// @ts-ignore: decorator
@inline export function bucketHits(i: i32, vq: v128): i32 {
  const p = E + (<usize>i << 2), one = i32x4.splat(ONE_BITS);
  const h0 = i32x4.eq(i32x4.shr_u(i32x4.sub(one, v128.load(p)), BUCKET_SHIFT), vq);
  const h1 = i32x4.eq(i32x4.shr_u(i32x4.sub(one, v128.load(p, 16)), BUCKET_SHIFT), vq);
  const h2 = i32x4.eq(i32x4.shr_u(i32x4.sub(one, v128.load(p, 32)), BUCKET_SHIFT), vq);
  const h3 = i32x4.eq(i32x4.shr_u(i32x4.sub(one, v128.load(p, 48)), BUCKET_SHIFT), vq);
  if (!v128.any_true(v128.or(v128.or(h0, h1), v128.or(h2, h3)))) return 0;
  return i32x4.bitmask(h0) | (i32x4.bitmask(h1) << 4) | (i32x4.bitmask(h2) << 8) | (i32x4.bitmask(h3) << 12);
}

/** First bucket q ≤ top with CUM[q] ≥ t (ge) or > t (!ge); top + 1 if none. CUM ascends. */
export function searchCum(top: i32, t: f64, ge: bool): i32 {
  const cum = CUM;
  let lo = 0, hi = top + 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const v = load<f64>(cum + (<usize>mid << 3));
    if (ge ? v >= t : v > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
