// top-nσ (Tang et al. 2024, llama.cpp --top-n-sigma): keep the tokens whose logit is
// ≥ max − n·σ, σ the population standard deviation of the finite logits still candidates. Dividing
// the logits by a temperature moves max − x and σ alike, so the cut is the same at any
// temperature: a cut on the logits, listing its candidates before any exponential is taken.
// When fewer than minKeep reach the cut, it keeps the top minKeep as top-k would (ties kept).
//
// The mean and the variance are two float64 passes, each summed in four partial sums by
// position (i & 3) and combined ((s0 + s1) + (s2 + s3)): the SIMD and scalar builds add the
// same numbers in the same order. The square root is the kernels' own (exp.ts).
import { ST_TOP_N_SIGMA } from '../abi';
import { param } from '../block';
import { buildTopK, keepListed, listAtLeast, padList, topKOfList } from '../candidates';
import { sqrtd } from '../exp';
import { above } from '../kept';
import { XL } from '../layout';
import { minKeep } from './min-keep';

/** Lists the dense logits x[0 .. n) (maximum m, BMAX from maxPass) within n·σ of m. */
export function listTopNSigma(x: usize, n: i32, m: f32): i32 {
  const count = listAtLeast(x, n, threshold(x, n, m));
  const k = minKeep();
  if (count >= k) return count;
  return k < n ? buildTopK(x, n, k) : listAtLeast(x, n, -F32.MAX_VALUE); // minKeep ≥ V: every token
}

/** Keeps the `count` listed candidates (maximum m) within n·σ of m; returns how many. */
export function narrowTopNSigma(count: i32, m: f32): i32 {
  const t = threshold(XL, count, m);
  let reached = 0;
  for (let j = 0; j < count; j++) if (load<f32>(XL + ((<usize>j) << 2)) >= t) reached++;
  if (reached < minKeep()) return topKOfList(count, minKeep());
  const w = keepListed(count, t);
  padList(w);
  return w;
}

/** The smallest float32 ≥ m − n·σ over the finite values of p[0 .. len). */
function threshold(p: usize, len: i32, m: f32): f32 {
  const total = sum(p, len, 0, false); // counts the finite values too
  const count = finite;
  const mean = total / <f64>count;
  const sigma = sqrtd(sum(p, len, mean, true) / <f64>count);
  const t = <f64>m - param(ST_TOP_N_SIGMA, 0) * sigma;
  if (!(t > -F32.MAX_VALUE)) return -F32.MAX_VALUE; // every finite logit
  return above(t);
}

/** How many finite values the last sum() over the values themselves (not squares) met. */
let finite = 0;

/** Σ x over the finite values (squares: Σ (x − mean)²), in four partial sums by i & 3; the
 *  first pass also counts them (`finite`), so that the mean costs one read of the logits. */
function sum(p: usize, len: i32, mean: f64, squares: bool): f64 {
  let i = 0;
  let count = 0;
  let s0: f64 = 0,
    s1: f64 = 0,
    s2: f64 = 0,
    s3: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    const ninf = f32x4.splat(-Infinity),
      vmean = f64x2.splat(mean),
      zero = f64x2.splat(0);
    let a01 = zero,
      a23 = zero,
      lanes = i32x4.splat(0);
    for (; i + 4 <= len; i += 4) {
      const v = v128.load(p + ((<usize>i) << 2));
      // A masked lane adds 0: its value is replaced by the mean (or 0) before the sum.
      const live = f32x4.ne(v, ninf);
      lanes = i32x4.sub(lanes, live);
      let lo = f64x2.promote_low_f32x4(v),
        hi = f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 0, 1));
      const liveLo = i64x2.extend_low_i32x4_s(live),
        liveHi = i64x2.extend_high_i32x4_s(live);
      if (squares) {
        lo = f64x2.sub(lo, vmean);
        hi = f64x2.sub(hi, vmean);
        lo = f64x2.mul(lo, lo);
        hi = f64x2.mul(hi, hi);
      }
      a01 = f64x2.add(a01, v128.and(lo, liveLo));
      a23 = f64x2.add(a23, v128.and(hi, liveHi));
    }
    s0 = f64x2.extract_lane(a01, 0);
    s1 = f64x2.extract_lane(a01, 1);
    s2 = f64x2.extract_lane(a23, 0);
    s3 = f64x2.extract_lane(a23, 1);
    count =
      i32x4.extract_lane(lanes, 0) +
      i32x4.extract_lane(lanes, 1) +
      i32x4.extract_lane(lanes, 2) +
      i32x4.extract_lane(lanes, 3);
  }
  for (; i < len; i++) {
    const v = load<f32>(p + ((<usize>i) << 2));
    if (v == -Infinity) continue;
    count++;
    let d = <f64>v;
    if (squares) {
      d -= mean;
      d *= d;
    }
    const lane = i & 3;
    if (lane == 0) s0 += d;
    else if (lane == 1) s1 += d;
    else if (lane == 2) s2 += d;
    else s3 += d;
  }
  if (!squares) finite = count;
  return s0 + s1 + (s2 + s3);
}
