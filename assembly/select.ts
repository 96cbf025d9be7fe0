// Truncation without sorting the vocabulary.
// top-k: a strided sample of the logits gives a pivot that is below the k-th largest with
// overwhelming probability; one vector pass keeps the tokens above it (and finds the maximum
// on the way); an exact selection among those few finds the k-th largest logit. Only then is
// anything exponentiated.
// top-p / min-p: both keep a prefix of the tokens ordered by probability, so the kept set is
// "every bucket above a cut bucket, plus a prefix of the cut bucket". Only the cut bucket is
// sorted.
import { bucketHits, bucketOf, deadBlock, searchCum } from "./histogram";
import {
  COUNTS, CUM, E, IN_BUCKET_MASK, KEYS, LIST, ONE_BITS, POS, SAMPLE, SAMPLES, X, XL,
} from "./layout";
import { keyToFloat, orderKey, radixSelect, sortByKey } from "./radix";
import { collected, scan } from "./reduce";

/** Up to this rank, selection keeps a heap of the k largest instead of radix passes. */
const SMALL_RANK: i32 = 64;

/** Maximum of all n logits, found by buildTopK's filtering pass (NaN if any is NaN). */
export let seenMax: f32 = 0;

/** Result of cut(): what the draw and probs() need. */
export let cutBucket: i32 = 0; // buckets below are kept whole
export let keep: i32 = 0; // this many of the sorted cut bucket (POS[0 .. keep)) are kept too
export let base: f64 = 0; // mass of the whole buckets
export let kept: f64 = 0; // mass of the kept set: base + the sorted prefix, summed in order

/**
 * Builds LIST (token indices, ascending) of every token whose logit is ≥ the k-th largest
 * (ties kept) and gathers their logits into XL, padded with -Infinity to a multiple of 16.
 * 0 < k < n.
 */
export function buildTopK(n: i32, k: i32): i32 {
  const x = X, list = LIST, xl = XL;
  let count = 0;
  if (n >= SAMPLE * 4) {
    // About λ = k·SAMPLE/n sampled logits lie above the k-th largest. Aim a little above
    // that: fewer candidates make the filter pass cheaper, and the rare miss (under 1% of
    // calls) costs one more pass with a much lower pivot, not a pass over everything.
    const lambda = <f64>k * SAMPLE / n;
    const rank = <i32>Math.round(lambda + 2 * Math.sqrt(lambda) + 2);
    count = filterAtLeast(n, samplePivot(n, min<i32>(SAMPLE, rank)));
    if (count < k) count = filterAtLeast(n, samplePivot(n, min<i32>(SAMPLE, 4 * rank + 16)));
  }
  if (count < k) count = filterAtLeast(n, -Infinity);
  for (let j = 0; j < count; j++) {
    store<u32>(KEYS + (<usize>j << 2), orderKey(load<f32>(x + (<usize>load<i32>(list + (<usize>j << 2)) << 2))));
  }
  const threshold = keyToFloat(kthLargest(KEYS, count, k));
  let w = 0;
  for (let j = 0; j < count; j++) {
    const idx = load<i32>(list + (<usize>j << 2));
    const v = load<f32>(x + (<usize>idx << 2));
    if (v >= threshold) {
      store<i32>(list + (<usize>w << 2), idx);
      store<f32>(xl + (<usize>w << 2), v);
      w++;
    }
  }
  for (let j = w; j < ((w + 15) & ~15); j++) store<f32>(xl + (<usize>j << 2), -Infinity);
  return w;
}

/** The rank-th largest of SAMPLE logits taken at a fixed stride over the n ≥ 4·SAMPLE. */
function samplePivot(n: i32, rank: i32): f32 {
  const stride = n / SAMPLE;
  for (let s = 0; s < SAMPLE; s++) {
    store<u32>(SAMPLES + (<usize>s << 2), orderKey(load<f32>(X + (<usize>(s * stride) << 2))));
  }
  return keyToFloat(kthLargest(SAMPLES, SAMPLE, rank));
}

/** The k-th largest (1-based) of count keys in buf; may reorder buf. */
function kthLargest(buf: usize, count: i32, k: i32): u32 {
  if (k > SMALL_RANK) return radixSelect(buf, count, k);
  // A min-heap of the k largest so far (in COUNTS): most keys lose to its root at once.
  const heap = COUNTS;
  for (let i = 0; i < count; i++) {
    const key = load<u32>(buf + (<usize>i << 2));
    if (i < k) {
      let j = i; // sift up
      while (j > 0) {
        const parent = (j - 1) >> 1;
        const pk = load<u32>(heap + (<usize>parent << 2));
        if (pk <= key) break;
        store<u32>(heap + (<usize>j << 2), pk);
        j = parent;
      }
      store<u32>(heap + (<usize>j << 2), key);
    } else if (key > load<u32>(heap)) {
      let j = 0; // replace the root, sift down
      for (;;) {
        let c = 2 * j + 1;
        if (c >= k) break;
        let ck = load<u32>(heap + (<usize>c << 2));
        if (c + 1 < k) {
          const rk = load<u32>(heap + (<usize>(c + 1) << 2));
          if (rk < ck) {
            c++;
            ck = rk;
          }
        }
        if (key <= ck) break;
        store<u32>(heap + (<usize>j << 2), ck);
        j = c;
      }
      store<u32>(heap + (<usize>j << 2), key);
    }
  }
  return load<u32>(heap);
}

/** LIST ← indices i < n with X[i] ≥ t, ascending; returns how many; sets seenMax. */
function filterAtLeast(n: i32, t: f32): i32 {
  seenMax = scan(n, true, t, false);
  return collected;
}

/**
 * Applies top-p (topP < 1) and min-p (minP > 0: keep e ≥ minP, a float32) to the histogram
 * of len positions whose highest bucket is top and total mass total; sets cutBucket, keep,
 * base, kept.
 */
export function cut(len: i32, top: i32, total: f64, topP: f64, minP: f32): void {
  let qp = top + 1, qm = top + 1;
  const target = topP * total;
  if (topP < 1) qp = searchCum(top, target, true);
  if (minP > 0) qm = min<i32>(bucketOf(minP), top + 1);
  const q = min<i32>(qp, qm);
  cutBucket = q;
  keep = 0;
  base = q > 0 ? load<f64>(CUM + (<usize>(q - 1) << 3)) : 0;
  if (q > top) {
    kept = base;
    return;
  }
  const count = gatherBucket(len, q);
  sortByKey(KEYS, POS, count);
  let k = count;
  if (q == qm) {
    // Sorted by descending e, so the tokens with e ≥ minP (= minP · p_max, as p_max ↦ e = 1)
    // are a prefix.
    k = 0;
    while (k < count && load<f32>(E + (<usize>load<i32>(POS + (<usize>k << 2)) << 2)) >= minP) k++;
  }
  let acc = base;
  if (q == qp) {
    for (let r = 0; r < k; r++) {
      acc += <f64>load<f32>(E + (<usize>load<i32>(POS + (<usize>r << 2)) << 2));
      if (acc >= target) {
        k = r + 1;
        break;
      }
    }
  }
  acc = base;
  for (let r = 0; r < k; r++) acc += <f64>load<f32>(E + (<usize>load<i32>(POS + (<usize>r << 2)) << 2));
  keep = k;
  kept = acc;
}

/** POS ← positions in bucket q (ascending), KEYS ← their in-bucket order keys. */
function gatherBucket(len: i32, q: i32): i32 {
  let count = 0;
  if (ASC_FEATURE_SIMD) {
    const vq = i32x4.splat(q);
    for (let i = 0; i < len; i += 16) {
      if (deadBlock(i)) continue;
      let hit = bucketHits(i, vq);
      while (hit) {
        const j = i + ctz<i32>(hit);
        if (j >= len) break;
        store<i32>(POS + (<usize>count << 2), j);
        store<u32>(KEYS + (<usize>count << 2), (ONE_BITS - load<i32>(E + (<usize>j << 2))) & IN_BUCKET_MASK);
        count++;
        hit &= hit - 1;
      }
    }
  } else {
    for (let j = 0; j < len; j++) {
      const v = load<f32>(E + (<usize>j << 2));
      if (bucketOf(v) == q) {
        store<i32>(POS + (<usize>count << 2), j);
        store<u32>(KEYS + (<usize>count << 2), (ONE_BITS - reinterpret<i32>(v)) & IN_BUCKET_MASK);
        count++;
      }
    }
  }
  return count;
}
