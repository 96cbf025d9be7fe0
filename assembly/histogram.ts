// The softmax pass. For every list position it stores e = exp2((x - max)·c) (float32) and
// adds e into a histogram of probability buckets (32 per octave). The bucket masses are the
// only sums of the pipeline: the total, the top-p boundary and the draw all walk them, so no
// pass ever sorts the vocabulary. Sums are float64: the histogram is scattered one lane at a
// time anyway, so double precision costs nothing here, and it keeps a 10^6-token cumulative
// mass exact to ~1e-13 instead of float32's ~1e-4. Lane l of each 4-token group feeds
// histogram copy l; the scalar build and the TypeScript twin do the same, which fixes the
// order of every addition.
import { exp2s, exp2v, EXP_CUTOFF } from "./exp";
import { BUCKET_SHIFT, CUM, E, HIST, NB, ONE_BITS } from "./layout";

/** bucketOf(0) = 4064; minus up to DUMMY_SPREAD stays above the last real bucket (64.5 octaves
 *  × 32 = 2064) and below NB. */
const DUMMY_SPREAD: i32 = 1023;

/** Bucket of e > 0: 0 for e ≈ 1, growing as e shrinks. */
// @ts-ignore: decorator
@inline export function bucketOf(e: f32): i32 {
  return (ONE_BITS - reinterpret<i32>(e)) >>> BUCKET_SHIFT;
}

/**
 * Fills E[0 .. len) from the logits at src (padded with -Infinity to a multiple of 4) and
 * the histogram; returns the highest non-empty bucket (bucket 0 always holds the maximum).
 */
export function expHistogram(src: usize, len: i32, m: f32, c: f32): i32 {
  const e = E, h = HIST;
  const laneBytes: usize = <usize>NB << 3;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m), vc = f32x4.splat(c), cut = f32x4.splat(EXP_CUTOFF);
    const one = i32x4.splat(ONE_BITS), zero = f32x4.splat(0);
    let top = i32x4.splat(0);
    for (let i = 0; i < len; i += 4) {
      const off = <usize>i << 2;
      const z = f32x4.mul(f32x4.sub(v128.load(src + off), vm), vc);
      // A group whose four lanes all underflow would yield exactly +0 anyway: skip the
      // polynomial. In peaked LM logits this is most of the vocabulary.
      if (!v128.any_true(f32x4.ge(z, cut))) {
        v128.store(e + off, zero);
        continue;
      }
      const v = exp2v(z);
      v128.store(e + off, v);
      const isZero = f32x4.eq(v, zero);
      let b = i32x4.shr_u(i32x4.sub(one, v), BUCKET_SHIFT);
      top = i32x4.max_s(top, v128.andnot(b, isZero));
      // Zero lanes add +0 — no sum changes — into spare slots above every real bucket
      // (DUMMY_LOW … NB-1), rotating so that they never queue on one memory cell.
      b = i32x4.sub(b, v128.and(isZero, i32x4.splat((i >> 2) & DUMMY_SPREAD)));
      let p = h + (<usize>i32x4.extract_lane(b, 0) << 3);
      store<f64>(p, load<f64>(p) + <f64>f32x4.extract_lane(v, 0));
      p = h + laneBytes + (<usize>i32x4.extract_lane(b, 1) << 3);
      store<f64>(p, load<f64>(p) + <f64>f32x4.extract_lane(v, 1));
      p = h + 2 * laneBytes + (<usize>i32x4.extract_lane(b, 2) << 3);
      store<f64>(p, load<f64>(p) + <f64>f32x4.extract_lane(v, 2));
      p = h + 3 * laneBytes + (<usize>i32x4.extract_lane(b, 3) << 3);
      store<f64>(p, load<f64>(p) + <f64>f32x4.extract_lane(v, 3));
    }
    return max<i32>(
      max<i32>(i32x4.extract_lane(top, 0), i32x4.extract_lane(top, 1)),
      max<i32>(i32x4.extract_lane(top, 2), i32x4.extract_lane(top, 3)),
    );
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
    const h0 = load<f64>(p), h1 = load<f64>(p + laneBytes);
    const h2 = load<f64>(p + 2 * laneBytes), h3 = load<f64>(p + 3 * laneBytes);
    // Most buckets of a peaked distribution are empty: nothing to add, nothing to clear.
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
