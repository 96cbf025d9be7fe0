// Ordering without comparisons: keys are u32 whose unsigned order is the order we want.
// Both routines are O(count) whatever the data (all-equal logits included), which a
// quickselect or quicksort cannot promise.
import { COUNTS, DIGITS, DIGIT_BITS, KEYS2, POS2 } from "./layout";

/** Unsigned key with the same order as the float (no NaN reaches here). */
// @ts-ignore: decorator
@inline export function orderKey(x: f32): u32 {
  const u = reinterpret<u32>(x);
  return u ^ (<u32>(<i32>u >> 31) | 0x80000000);
}

// @ts-ignore: decorator
@inline export function keyToFloat(k: u32): f32 {
  return reinterpret<f32>(k & 0x80000000 ? k ^ 0x80000000 : ~k);
}

/**
 * The k-th largest (1-based) of count keys in buf, by MSD radix on bytes: each pass keeps
 * only the keys sharing the answer's next byte. Reorders and overwrites buf.
 */
export function radixSelect(buf: usize, count: i32, k: i32): u32 {
  const counts = COUNTS;
  for (let shift = 24; shift >= 0; shift -= 8) {
    memory.fill(counts, 0, 256 << 2);
    for (let i = 0; i < count; i++) {
      const p = counts + (<usize>((load<u32>(buf + (<usize>i << 2)) >>> shift) & 255) << 2);
      store<u32>(p, load<u32>(p) + 1);
    }
    let d = 255;
    for (;;) {
      const c = <i32>load<u32>(counts + (<usize>d << 2));
      if (c >= k) break;
      k -= c;
      d--;
    }
    let w = 0;
    for (let i = 0; i < count; i++) {
      const key = load<u32>(buf + (<usize>i << 2));
      if (((key >>> shift) & 255) == <u32>d) store<u32>(buf + (<usize>(w++) << 2), key);
    }
    count = w;
  }
  return load<u32>(buf);
}

/**
 * Stable sort of count (key, position) pairs by ascending key < 2^(2·DIGIT_BITS): insertion
 * sort for a handful, two LSD radix passes otherwise. Ties keep their original order, so
 * positions gathered in ascending order stay ascending among equal keys.
 */
export function sortByKey(keys: usize, pos: usize, count: i32): void {
  if (count <= 32) {
    for (let i = 1; i < count; i++) {
      const k = load<u32>(keys + (<usize>i << 2));
      const p = load<i32>(pos + (<usize>i << 2));
      let j = i - 1;
      while (j >= 0 && load<u32>(keys + (<usize>j << 2)) > k) {
        store<u32>(keys + (<usize>(j + 1) << 2), load<u32>(keys + (<usize>j << 2)));
        store<i32>(pos + (<usize>(j + 1) << 2), load<i32>(pos + (<usize>j << 2)));
        j--;
      }
      store<u32>(keys + (<usize>(j + 1) << 2), k);
      store<i32>(pos + (<usize>(j + 1) << 2), p);
    }
    return;
  }
  radixPass(keys, pos, KEYS2, POS2, count, 0);
  radixPass(KEYS2, POS2, keys, pos, count, DIGIT_BITS);
}

function radixPass(srcK: usize, srcP: usize, dstK: usize, dstP: usize, count: i32, shift: i32): void {
  const counts = COUNTS;
  const mask: u32 = DIGITS - 1;
  memory.fill(counts, 0, <usize>DIGITS << 2);
  for (let i = 0; i < count; i++) {
    const p = counts + (<usize>((load<u32>(srcK + (<usize>i << 2)) >>> shift) & mask) << 2);
    store<u32>(p, load<u32>(p) + 1);
  }
  let sum: u32 = 0;
  for (let d = 0; d < DIGITS; d++) {
    const p = counts + (<usize>d << 2);
    const c = load<u32>(p);
    store<u32>(p, sum);
    sum += c;
  }
  for (let i = 0; i < count; i++) {
    const k = load<u32>(srcK + (<usize>i << 2));
    const slot = counts + (<usize>((k >>> shift) & mask) << 2);
    const at = load<u32>(slot);
    store<u32>(slot, at + 1);
    store<u32>(dstK + (<usize>at << 2), k);
    store<i32>(dstP + (<usize>at << 2), load<i32>(srcP + (<usize>i << 2)));
  }
}
