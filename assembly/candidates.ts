// Candidate lists: the few logits a truncation can keep, listed (LIST: token ids ascending, XL:
// their logits) so that the exponential runs on them alone. Top-k reads the block maxima that
// the max pass left (BMAX): the k-th largest maximum of groups of blocks is a lower bound on the
// k-th largest logit (k groups each hold one that large), so only the blocks reaching it are
// read again, and an exact selection among their logits keeps k. Top logprobs use the same
// bound.
import { AK, BLOCK, BMAX, LIST, XL } from './layout';
import { blockAt, blockCount } from './scan';
import { keyToFloat, kthLargest, orderKey } from './sort';

/**
 * Lists (LIST, XL) every logit ≥ the k-th largest of x[0 .. n) (ties kept; masked tokens never),
 * ascending, with XL padded by -Infinity to a whole block; returns how many (fewer than k
 * only when fewer than k are unmasked: then all of them). 0 < k < n; BMAX from maxPass over
 * x. The candidates are the logits ≥ blockBound() — never fewer than k, and read from those
 * few blocks only — then an exact selection among them.
 */
export function buildTopK(x: usize, n: i32, k: i32): i32 {
  return topKOfList(filterBlocks(x, n, blockBound(n, k)), k);
}

/** Keeps the listed logits ≥ the k-th largest of the count listed (ties kept), in order, and
 *  pads the list; returns how many. */
export function topKOfList(count: i32, k: i32): i32 {
  if (count > k) {
    for (let j = 0; j < count; j++) store<u32>(AK + ((<usize>j) << 2), orderKey(load<f32>(XL + ((<usize>j) << 2))));
    count = keepListed(count, keyToFloat(kthLargest(AK, count, k)));
  }
  padList(count);
  return count;
}

/** Keeps the listed logits ≥ t, in order (in place: a write never passes the read); returns
 *  how many. */
export function keepListed(count: i32, t: f32): i32 {
  let w = 0;
  for (let j = 0; j < count; j++) {
    const v = load<f32>(XL + ((<usize>j) << 2));
    if (v >= t) {
      store<i32>(LIST + ((<usize>w) << 2), load<i32>(LIST + ((<usize>j) << 2)));
      store<f32>(XL + ((<usize>w) << 2), v);
      w++;
    }
  }
  return w;
}

/** The maximum of blocks [b, b + count) of the logits (BMAX, from maxPass). */
function groupMax(b: i32, count: i32): f32 {
  if (ASC_FEATURE_SIMD) {
    // pmax across the lanes, not scalar max: V8's f32.max branches on which operand is larger,
    // a coin flip per block on random logits (a bound over 2,004 blocks took 33 µs that way).
    // BMAX holds no NaN; ±0 may come out either way, which no filter at this bound can tell.
    let v = v128.load(BMAX + ((<usize>b) << 4));
    for (let j = 1; j < count; j++) v = f32x4.pmax(v, v128.load(BMAX + ((<usize>(b + j)) << 4)));
    v = f32x4.pmax(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
    v = f32x4.pmax(v, v128.shuffle<f32>(v, v, 1, 0, 3, 2));
    return f32x4.extract_lane(v, 0);
  }
  let m = load<f32>(BMAX + ((<usize>b) << 4));
  for (let j = 1; j < count; j++) m = max<f32>(m, load<f32>(BMAX + ((<usize>(b + j)) << 4)));
  return m;
}

/**
 * LIST ← every i < n with x[i] ≥ t, ascending, and XL ← their logits; returns how many.
 * Reads only the blocks whose maximum (the lanes of BMAX) reaches t.
 */
function filterBlocks(x: usize, n: i32, t: f32): i32 {
  const blocks = blockCount(n);
  let count = 0;
  for (let b = 0; b < blocks; b++) {
    if (ASC_FEATURE_SIMD) {
      if (!v128.any_true(f32x4.ge(v128.load(BMAX + ((<usize>b) << 4)), f32x4.splat(t)))) continue;
    } else if (!(load<f32>(BMAX + ((<usize>b) << 4)) >= t)) continue;
    const p = blockAt(x, n, b);
    if (ASC_FEATURE_SIMD) {
      // Four at a time, then the lanes that reach t (padding is -Infinity: never).
      for (let j = 0; j < BLOCK; j += 4) {
        let hit = i32x4.bitmask(f32x4.ge(v128.load(p + ((<usize>j) << 2)), f32x4.splat(t)));
        while (hit) {
          const k = j + ctz<i32>(hit);
          store<i32>(LIST + ((<usize>count) << 2), b * BLOCK + k);
          store<f32>(XL + ((<usize>count) << 2), load<f32>(p + ((<usize>k) << 2)));
          count++;
          hit &= hit - 1;
        }
      }
      continue;
    }
    for (let j = 0; j < BLOCK; j++) {
      const v = load<f32>(p + ((<usize>j) << 2));
      if (v >= t) {
        store<i32>(LIST + ((<usize>count) << 2), b * BLOCK + j);
        store<f32>(XL + ((<usize>count) << 2), v);
        count++;
      }
    }
  }
  return count;
}

/** Lists every logit of x[0 .. n) that is ≥ t (BMAX from maxPass over x), reading only the
 *  blocks whose maximum reaches t; returns how many, the list padded. */
export function listAtLeast(x: usize, n: i32, t: f32): i32 {
  const count = filterBlocks(x, n, t);
  padList(count);
  return count;
}

/**
 * A lower bound on the k-th largest logit of x[0 .. n) (BMAX from maxPass): the k-th largest
 * maximum of groups of blocks (k groups each hold a logit that large), or -F32.MAX_VALUE when
 * there are fewer than k blocks — never below it, so that masked tokens never pass a filter at
 * the bound. While there are at least 32k blocks, a group is four of them: a quarter of the
 * keys to select from, and when k is that small beside the groups, nearly every one of the k
 * largest logits lies in a group of its own, so the bound is about as tight (an exact
 * selection among the candidates follows either way).
 */
function blockBound(n: i32, k: i32): f32 {
  const blocks = blockCount(n);
  if (k > blocks) return -F32.MAX_VALUE;
  const size = blocks >= k << 5 ? 4 : 1;
  let groups = 0;
  for (let b = 0; b < blocks; b += size) {
    store<u32>(AK + ((<usize>groups) << 2), orderKey(groupMax(b, min<i32>(size, blocks - b))));
    groups++;
  }
  return max<f32>(keyToFloat(kthLargest(AK, groups, k)), -F32.MAX_VALUE);
}

/**
 * LIST, XL ← every logit of x[0 .. n) (BMAX from maxPass over x) whose z can reach the k-th
 * largest z; returns how many. Only the blocks reaching blockBound(),
 * widened, are read: a few dozen, where a filter over the logits reads them all.
 */
export function topCandidates(x: usize, n: i32, k: i32, m: f32, c: f32): i32 {
  return filterBlocks(x, n, max<f32>(widenedBound(blockBound(n, k), m, c), -F32.MAX_VALUE));
}

/**
 * The least logit whose z = (x - m)·c can round to the z of `least` or above: z is ordered
 * by value then token, and distinct logits can share a z after rounding, so the bound sits
 * 2^-21 (relative, in z) below it — and 2^-148 (absolute) more, for a subnormal z, which
 * rounds by up to half its value (found with a largest logit of 0 and others at -1e-45:
 * the top log-probabilities dropped four tokens as likely as the first).
 */
function widenedBound(least: f32, m: f32, c: f32): f32 {
  const zN = (least - m) * c;
  const bound = <f64>m + (<f64>zN * (1 + 4.76837158203125e-7) - 2.802596928649634e-45) / <f64>c;
  const t = <f32>bound;
  if (<f64>t <= bound) return t;
  return t == 0 ? -reinterpret<f32>(1) : reinterpret<f32>(reinterpret<i32>(t) + (t > 0 ? -1 : 1));
}

/** XL[count .. whole block) ← -Infinity, so vector passes over the list read no stale logit. */
export function padList(count: i32): void {
  const end = (count + BLOCK - 1) & ~(BLOCK - 1);
  for (let j = count; j < end; j++) store<f32>(XL + ((<usize>j) << 2), -Infinity);
}
