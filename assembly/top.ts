// Top logprobs: the most likely tokens, ordered by z descending then token ascending, from a
// list of (token, z) candidates, without sorting the vocabulary.
import { MAX_TOP_N } from './abi';
import { topCandidates } from './candidates';
import { AK, AM, LIST, SORT_KEYS, SORT_KEYS2, SORT_VALS, SORT_VALS2, TOP, XL } from './layout';
import { kthLargest, orderKey, sortPairs } from './sort';

/**
 * TOP ← the `want` largest of `count` (token, z) pairs, ordered by z descending then token
 * ascending (the pairs come in ascending token order); returns how many were written
 * (≤ want). `scratch` holds count u32 for the selection.
 */
export function topPairs(tokens: usize, zs: usize, count: i32, want: i32, scratch: usize): i32 {
  if (want > count) want = count;
  if (want <= 0) return 0;
  for (let j = 0; j < count; j++) store<u32>(scratch + ((<usize>j) << 2), zKey(load<f32>(zs + ((<usize>j) << 2))));
  const kth = kthLargest(scratch, count, want);
  // Everything above the want-th largest z, then ties at it in token order, until want.
  let w = 0;
  for (let j = 0; j < count && w < want; j++) {
    if (zKey(load<f32>(zs + ((<usize>j) << 2))) > kth) w = topPut(w, j, tokens, zs);
  }
  for (let j = 0; j < count && w < want; j++) {
    if (zKey(load<f32>(zs + ((<usize>j) << 2))) == kth) w = topPut(w, j, tokens, zs);
  }
  // Rows with equal z were appended in token order, so one stable sort by descending z
  // orders them by (z descending, token ascending).
  for (let r = 0; r < w; r++) {
    store<u32>(SORT_KEYS + ((<usize>r) << 2), ~zKey(load<f32>(TOP + ((<usize>r) << 3), 4)));
    store<i32>(SORT_VALS + ((<usize>r) << 2), r);
  }
  sortPairs(SORT_KEYS, SORT_VALS, w, SORT_KEYS2, SORT_VALS2);
  for (let r = 0; r < w; r++) {
    store<i64>(
      SORT_KEYS2 + ((<usize>r) << 3),
      load<i64>(TOP + ((<usize>load<i32>(SORT_VALS + ((<usize>r) << 2))) << 3)),
    );
  }
  memory.copy(TOP, SORT_KEYS2, (<usize>w) << 3);
  return w;
}

/** The order key of a z, with −0 as +0: the SIMD maximum may be +0 where the scalar one is −0
 *  (f32x4.pmax picks either), and z = x − max then differs in sign only. Equal z are ties,
 *  ordered by token, on every build. */
function zKey(z: f32): u32 {
  return orderKey(z == 0 ? 0 : z);
}

function topPut(w: i32, j: i32, tokens: usize, zs: usize): i32 {
  store<i32>(TOP + ((<usize>w) << 3), load<i32>(tokens + ((<usize>j) << 2)));
  store<f32>(TOP + ((<usize>w) << 3), load<f32>(zs + ((<usize>j) << 2)), 4);
  return w + 1;
}

/** z of every listed logit, XL[0 .. count) → `out`. */
export function listedZ(count: i32, m: f32, c: f32, out: usize): void {
  for (let j = 0; j < count; j++) store<f32>(out + ((<usize>j) << 2), (load<f32>(XL + ((<usize>j) << 2)) - m) * c);
}

/**
 * TOP ← the `want` tokens of x with the largest z = (x - m)·c, ordered by z then token, among
 * those with z ≥ least; returns how many (BMAX from maxPass over x). `least` is EXP_CUTOFF for
 * the distribution drawn from (below it a token's probability is exactly 0, and it is never
 * listed), -F32.MAX_VALUE for raw logprobs (every unmasked token).
 */
export function topDense(x: usize, n: i32, m: f32, c: f32, want: i32, least: f32): i32 {
  if (want <= 0) return 0;
  if (want > MAX_TOP_N) want = MAX_TOP_N;
  let count = topCandidates(x, n, want, m, c);
  listedZ(count, m, c, AK);
  let w = 0;
  for (let j = 0; j < count; j++) {
    const z = load<f32>(AK + ((<usize>j) << 2));
    if (!(z >= least)) continue;
    store<f32>(AK + ((<usize>w) << 2), z);
    store<i32>(LIST + ((<usize>w) << 2), load<i32>(LIST + ((<usize>j) << 2)));
    w++;
  }
  count = w;
  return topPairs(LIST, AK, count, want, AM);
}
