// Mirostat (Basu et al. 2021; llama.cpp's mirostat and mirostat_v2): a terminal stage that runs
// alone after the temperature and steers the surprise −log2 p of the tokens drawn towards tau,
// through a bound mu that each draw moves: mu −= eta·(−log2 p(token) − tau), p renormalised
// over the tokens kept. The slot is [tau, eta, m, mu]; m = 0 means version 2.
//  - Version 2 keeps the tokens with −log2 p ≤ mu, at least the most likely one. That is
//    e ≥ M·2^−mu, M the mass of every candidate: a floor on e, as min-p's, once M is known.
//    At most 2^mu tokens pass it: usually a handful, listed from the few blocks that reach it.
//  - Version 1 fits the exponent ŝ of a Zipf law to the top m probabilities and keeps the top
//    k, k = ⌊(ε̂·2^mu / (1 − V^−ε̂))^(1/ŝ)⌋ ≥ 1 with ε̂ = ŝ − 1 and V the vocabulary size:
//    a top-k whose k the state chooses. The fit and k are float64, in the kernels' own log2d and
//    exp2d, so every backend keeps the same tokens and writes the same mu.
import { ST_MIROSTAT } from '../abi';
import { param, setParam } from '../block';
import { buildTopK, listAtLeast, padList, topKOfList } from '../candidates';
import { EXP_CUTOFF, exp2d, lnd, log2d } from '../exp';
import { keepAtLeast, keepPrefix } from '../kept';
import { AI, AK, AM, BLOCK, BMASS, BMAX, E, LIST, XL } from '../layout';
import { blockAt, Hits, logitBound } from '../scan';
import { expSum } from '../softmax';
import { keyToFloat, orderKey, sortPairs } from '../sort';
import { temperature } from './temperature';

/** Version 2's floor on e for this call (0: none; the list or the record keeps what it
 *  should), applied once e is stored (keepMirostat). */
let floor2: f32 = 0;
/** Version 2 works on the dense candidates' stored e: the floor waits for their mass. */
let dense = false;

/**
 * Lists mirostat's candidates among the dense logits x[0 .. n) (maximum m, BMAX from maxPass)
 * at this c; `scale` is the power of two the logits were multiplied by. Returns how many; -1
 * when the dense logits stay the candidates (keepMirostat then applies the floor to their
 * stored e); -2 when every token with e > 0 is kept: the untruncated draw (which reuses the
 * mass pass made here, softmax.ts denseTotal).
 */
export function listMirostat(x: usize, n: i32, m: f32, c: f32, scale: f32): i32 {
  floor2 = 0;
  dense = false;
  const want = param(ST_MIROSTAT, 2);
  return want > 0 ? listV1(x, n, want, scale) : listV2(x, n, m, c);
}

/** Applies version 2's floor to the stored e of the `len` candidates, of mass `mass` (all of
 *  them: nothing truncates before mirostat); returns whether the kept set changed. */
export function keepMirostat(len: i32, mass: f64): bool {
  if (dense) {
    const bound = log2d(mass) - param(ST_MIROSTAT, 3);
    if (bound > 0) {
      keepPrefix(1, firstOne(len), false);
      return true;
    }
    floor2 = floorOf(mass);
  }
  return floor2 > 0 && keepAtLeast(floor2, log2d(<f64>floor2));
}

/**
 * Version 2: e ≥ M·2^−mu, M the mass of every candidate. Which representation is cheapest
 * depends on where the kept set lies, and the block maxima tell before any exponential: M ≥ 1
 * puts the floor at 2^−mu at the lowest.
 *  - Every token (mu far above log2 M, where it ends up whenever the model's surprise stays
 *    below tau): one mass pass is the whole work, as without mirostat.
 *  - A few blocks (at most 2^mu tokens pass: usually a handful): the mass pass, then those
 *    blocks listed.
 *  - Spread over most blocks: every e stored by the caller's softmax pass, then a floor, as
 *    min-p's. (A mass pass first would need a second pass over every exponential.)
 * Both ways keep the same tokens; only the cost differs.
 */
function listV2(x: usize, n: i32, m: f32, c: f32): i32 {
  const mu = param(ST_MIROSTAT, 3);
  // M ≤ n: every e > 0 kept, whatever the mass.
  if (mu > log2d(<f64>n) - <f64>EXP_CUTOFF + 1) return -2;
  const blocks = (n + BLOCK - 1) >> 6;
  if (mu < -(<f64>EXP_CUTOFF) && reaching(n, logitBound(m, c, <f32>(-mu - 1))) > blocks >> 2) {
    dense = true;
    return -1;
  }
  const mass = expSum(x, n, m, c, false);
  // Kept: z ≥ log2(M) − mu. Below the exponential's cutoff that is every e > 0.
  const bound = log2d(mass) - param(ST_MIROSTAT, 3);
  if (bound < <f64>EXP_CUTOFF - 1) return -2;
  // A logit one z below the bound: none lower reaches the floor after float32 rounding. At
  // most that of z = −1, so that the maximum is always listed.
  const least = logitBound(m, c, <f32>(min<f64>(bound, 0) - 1));
  if (bound > 0) {
    // Not even the most likely token is within mu: keep it alone, the first of the maxima.
    listReaching(x, n, least);
    let j = 0;
    while (load<f32>(XL + ((<usize>j) << 2)) != m) j++;
    store<i32>(LIST, load<i32>(LIST + ((<usize>j) << 2)));
    store<f32>(XL, m);
    padList(1);
    return 1;
  }
  floor2 = floorOf(mass);
  if (reaching(n, least) > blocks >> 2) return -1;
  const count = listReaching(x, n, least);
  padList(count);
  return count;
}

/** The smallest float32 ≥ mass·2^−mu (≤ 1): e ≥ it ⟺ e ≥ mass·2^−mu for a float32 e. */
function floorOf(mass: f64): f32 {
  const t = mass * exp2d(-param(ST_MIROSTAT, 3));
  const f = <f32>t;
  return <f64>f < t ? reinterpret<f32>(reinterpret<i32>(f) + 1) : f;
}

/** The first position whose e is 1 (the largest: the maximum's e is exactly 1). */
function firstOne(len: i32): i32 {
  for (let i = 0; i < len; i++) {
    if (load<f64>(BMASS + ((<usize>(i >> 6)) << 3)) == 0) {
      i |= BLOCK - 1; // a block of mass 0 holds no e = 1 (nor any stored e)
      continue;
    }
    if (load<f32>(E + ((<usize>i) << 2)) == 1) return i;
  }
  return 0;
}

/** How many blocks of the dense logits have a maximum ≥ t (BMAX). */
function reaching(n: i32, t: f32): i32 {
  const blocks = (n + BLOCK - 1) >> 6;
  let count = 0;
  for (let b = 0; b < blocks; b++) if (reaches(b, t)) count++;
  return count;
}

function reaches(b: i32, t: f32): bool {
  if (ASC_FEATURE_SIMD) return v128.any_true(f32x4.ge(v128.load(BMAX + ((<usize>b) << 4)), f32x4.splat(t)));
  return load<f32>(BMAX + ((<usize>b) << 4)) >= t;
}

/** LIST, XL ← every logit of x[0 .. n) ≥ t, in order, reading only the blocks whose maximum
 *  reaches t; returns how many. */
function listReaching(x: usize, n: i32, t: f32): i32 {
  const blocks = (n + BLOCK - 1) >> 6;
  let count = 0;
  for (let b = 0; b < blocks; b++) {
    if (!reaches(b, t)) continue;
    const p = blockAt(x, n, b);
    if (ASC_FEATURE_SIMD) count = Hits.collect(p, b << 6, n, f32x4.splat(t), count);
    else {
      for (let j = 0; j < BLOCK; j++) {
        const v = load<f32>(p + ((<usize>j) << 2));
        if (v >= t && (b << 6) + j < n) {
          store<i32>(LIST + ((<usize>count) << 2), (b << 6) + j);
          store<f32>(XL + ((<usize>count) << 2), v);
          count++;
        }
      }
    }
  }
  return count;
}

/** After a draw of a token of weight e in a kept set of mass `mass` (its renormalised
 *  probability is e/mass): mu −= eta·(−log2 p − tau). */
export function mirostatDrawn(e: f64, mass: f64): void {
  const surprise = log2d(mass / e);
  const mu = param(ST_MIROSTAT, 3) - param(ST_MIROSTAT, 1) * (surprise - param(ST_MIROSTAT, 0));
  // A huge eta or tau can overflow: ±MAX_VALUE already means "keep all" / "keep the top token",
  // and a state written back must pass its own check on the next call.
  setParam(ST_MIROSTAT, 3, max<f64>(-F64.MAX_VALUE, min<f64>(F64.MAX_VALUE, mu)));
}

function listV1(x: usize, n: i32, want: f64, scale: f32): i32 {
  const top = <i32>min<f64>(want, <f64>n);
  // The top m (ties at the boundary too; masked tokens never), in token order.
  const count = top < n ? buildTopK(x, n, top) : listAtLeast(x, n, -F32.MAX_VALUE);
  const k = keepCount(min<i32>(top, count), count, n, scale);
  if (count < top && k >= count) return count; // every unmasked token is listed
  if (k >= n) return -2;
  return k <= count ? topKOfList(count, k) : buildTopK(x, n, k);
}

/**
 * Version 1's k from the `top` largest of the `count` listed logits. b_i = ln(p_i / p_(i+1)) =
 * (x_i − x_(i+1))/T between neighbours in descending order, t_i = ln((i + 2)/(i + 1)), and
 * ŝ = Σ t_i·b_i / Σ t_i² (a least-squares fit of ln p_i against ln i through the top). k is
 * worked out in log2 so that no power overflows however large mu grows: with ŝ = 0 (the top
 * all tied) its limit, every token or one. Fewer than two logits to fit: one token.
 */
function keepCount(top: i32, count: i32, n: i32, scale: f32): i32 {
  if (top < 2) return 1;
  // The listed logits in ascending order (keys only: AI is the unused payload).
  for (let j = 0; j < count; j++) store<u32>(AK + ((<usize>j) << 2), orderKey(load<f32>(XL + ((<usize>j) << 2))));
  sortPairs(AK, AI, count, AM, E);
  const unit = <f64>scale * temperature; // b_i in nats: logits were multiplied by scale
  let tb: f64 = 0,
    tt: f64 = 0;
  let hi = <f64>keyToFloat(load<u32>(AK + ((<usize>(count - 1)) << 2)));
  for (let i = 0; i < top - 1; i++) {
    const lo = <f64>keyToFloat(load<u32>(AK + ((<usize>(count - 2 - i)) << 2)));
    const t = lnd(<f64>(i + 2) / <f64>(i + 1));
    tb += t * ((hi - lo) / unit);
    tt += t * t;
    hi = lo;
  }
  const s = tb / tt;
  if (!(s < Infinity)) return 1; // (b overflowed at a vanishing temperature) the limit: k → 1
  const eps = s - 1;
  const lv = log2d(<f64>n);
  // ε̂ / (1 − V^−ε̂) > 0 for every ε̂ ≥ −1; at ε̂ = 0 (or where it rounds to 0) its limit 1/ln V.
  const d = 1 - exp2d(-eps * lv);
  const log2r = d == 0 ? -log2d(lnd(<f64>n)) : log2d(eps / d);
  const a = log2r + param(ST_MIROSTAT, 3);
  if (s == 0) return a > 0 ? I32.MAX_VALUE : 1;
  const log2k = a / s;
  if (log2k >= 31) return I32.MAX_VALUE;
  return max<i32>(1, <i32>Math.floor(exp2d(log2k)));
}
