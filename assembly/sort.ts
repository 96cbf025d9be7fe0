// Ordering without comparisons: keys are u32 whose unsigned order is the order wanted. Every
// routine is O(count) whatever the data (all-equal keys included), which a quickselect or a
// quicksort cannot promise.
import { COUNTS, HEAP, SMALL_RANK } from './layout';

/** Unsigned key with the same order as the float (no NaN reaches here). */
export function orderKey(x: f32): u32 {
  const u = reinterpret<u32>(x);
  return u ^ (<u32>(<i32>u >> 31) | 0x80000000);
}

export function keyToFloat(k: u32): f32 {
  return reinterpret<f32>(k & 0x80000000 ? k ^ 0x80000000 : ~k);
}

/** The k-th largest (1-based, k ≤ count) of count keys in buf, by MSD radix on bytes: each
 *  pass keeps only the keys sharing the answer's next byte. Reorders and overwrites buf. */
export function radixSelect(buf: usize, count: i32, k: i32): u32 {
  for (let shift = 24; shift >= 0; shift -= 8) {
    memory.fill(COUNTS, 0, 256 << 2);
    for (let i = 0; i < count; i++) {
      const p = COUNTS + ((<usize>((load<u32>(buf + ((<usize>i) << 2)) >>> shift) & 255)) << 2);
      store<u32>(p, load<u32>(p) + 1);
    }
    let d = 255;
    for (;;) {
      const c = <i32>load<u32>(COUNTS + ((<usize>d) << 2));
      if (c >= k) break;
      k -= c;
      d--;
    }
    let w = 0;
    for (let i = 0; i < count; i++) {
      const key = load<u32>(buf + ((<usize>i) << 2));
      if (((key >>> shift) & 255) == <u32>d) {
        store<u32>(buf + ((<usize>w) << 2), key);
        w++;
      }
    }
    count = w;
  }
  return load<u32>(buf);
}

/**
 * Stable sort of count (u32 key, 32-bit payload) pairs by ascending key: insertion sort for
 * a handful, four LSD radix passes on bytes otherwise (keys2/vals2 hold count pairs of
 * scratch). Equal keys keep their order.
 */
export function sortPairs(keys: usize, vals: usize, count: i32, keys2: usize, vals2: usize): void {
  if (count <= 32) {
    for (let i = 1; i < count; i++) {
      const k = load<u32>(keys + ((<usize>i) << 2));
      const v = load<i32>(vals + ((<usize>i) << 2));
      let j = i - 1;
      while (j >= 0 && load<u32>(keys + ((<usize>j) << 2)) > k) {
        store<u32>(keys + ((<usize>(j + 1)) << 2), load<u32>(keys + ((<usize>j) << 2)));
        store<i32>(vals + ((<usize>(j + 1)) << 2), load<i32>(vals + ((<usize>j) << 2)));
        j--;
      }
      store<u32>(keys + ((<usize>(j + 1)) << 2), k);
      store<i32>(vals + ((<usize>(j + 1)) << 2), v);
    }
    return;
  }
  radixPass(keys, vals, keys2, vals2, count, 0);
  radixPass(keys2, vals2, keys, vals, count, 8);
  radixPass(keys, vals, keys2, vals2, count, 16);
  radixPass(keys2, vals2, keys, vals, count, 24);
}

function radixPass(srcK: usize, srcV: usize, dstK: usize, dstV: usize, count: i32, shift: i32): void {
  memory.fill(COUNTS, 0, 256 << 2);
  for (let i = 0; i < count; i++) {
    const p = COUNTS + ((<usize>((load<u32>(srcK + ((<usize>i) << 2)) >>> shift) & 255)) << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
  let sum: u32 = 0;
  for (let d = 0; d < 256; d++) {
    const p = COUNTS + ((<usize>d) << 2);
    const c = load<u32>(p);
    store<u32>(p, sum);
    sum += c;
  }
  for (let i = 0; i < count; i++) {
    const k = load<u32>(srcK + ((<usize>i) << 2));
    const slot = COUNTS + ((<usize>((k >>> shift) & 255)) << 2);
    const at = load<u32>(slot);
    store<u32>(slot, at + 1);
    store<u32>(dstK + ((<usize>at) << 2), k);
    store<i32>(dstV + ((<usize>at) << 2), load<i32>(srcV + ((<usize>i) << 2)));
  }
}

/** The k-th largest (1-based) of count keys in buf; may reorder buf. */
export function kthLargest(buf: usize, count: i32, k: i32): u32 {
  if (k > SMALL_RANK) return radixSelect(buf, count, k);
  // A min-heap of the k largest so far: most keys lose to its root at once.
  for (let i = 0; i < count; i++) {
    const key = load<u32>(buf + ((<usize>i) << 2));
    if (i < k) {
      let j = i; // sift up
      while (j > 0) {
        const parent = (j - 1) >> 1;
        const pk = load<u32>(HEAP + ((<usize>parent) << 2));
        if (pk <= key) break;
        store<u32>(HEAP + ((<usize>j) << 2), pk);
        j = parent;
      }
      store<u32>(HEAP + ((<usize>j) << 2), key);
    } else if (key > load<u32>(HEAP)) {
      let j = 0; // replace the root, sift down
      for (;;) {
        let c = 2 * j + 1;
        if (c >= k) break;
        let ck = load<u32>(HEAP + ((<usize>c) << 2));
        if (c + 1 < k) {
          const rk = load<u32>(HEAP + ((<usize>(c + 1)) << 2));
          if (rk < ck) {
            c++;
            ck = rk;
          }
        }
        if (key <= ck) break;
        store<u32>(HEAP + ((<usize>j) << 2), ck);
        j = c;
      }
      store<u32>(HEAP + ((<usize>j) << 2), key);
    }
  }
  return load<u32>(HEAP);
}
