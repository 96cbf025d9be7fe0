// Twin of assembly/sort.ts: ordering by unsigned keys, O(count) whatever the data.
import { bitsOf, floatOf } from '../../bits.js';
import type { Workspace } from './layout.js';

/** Unsigned key with the same order as the float (no NaN reaches here). */
export function orderKey(x: number): number {
  const u = bitsOf(x);
  return (u ^ ((u >> 31) | 0x80000000)) >>> 0;
}

export function keyToFloat(k: number): number {
  return floatOf(k & 0x80000000 ? k ^ 0x80000000 : ~k);
}

/** The k-th largest (1-based, k ≤ count) of count keys in buf, by MSD radix on bytes.
 *  Reorders and overwrites buf. */
export function radixSelect(w: Workspace, buf: Uint32Array, count: number, k: number): number {
  const counts = w.counts;
  for (let shift = 24; shift >= 0; shift -= 8) {
    counts.fill(0);
    for (let i = 0; i < count; i++) {
      const d = (buf[i]! >>> shift) & 255;
      counts[d] = counts[d]! + 1;
    }
    let d = 255;
    for (;;) {
      const c = counts[d]!;
      if (c >= k) break;
      k -= c;
      d--;
    }
    let out = 0;
    for (let i = 0; i < count; i++) {
      const key = buf[i]!;
      if (((key >>> shift) & 255) === d) buf[out++] = key;
    }
    count = out;
  }
  return buf[0]!;
}

/** Stable sort of count (key, payload) pairs by ascending unsigned key (keys2/vals2: scratch). */
export function sortPairs(
  w: Workspace,
  keys: Uint32Array,
  vals: Int32Array,
  count: number,
  keys2: Uint32Array,
  vals2: Int32Array,
): void {
  if (count <= 32) {
    for (let i = 1; i < count; i++) {
      const k = keys[i]!;
      const v = vals[i]!;
      let j = i - 1;
      while (j >= 0 && keys[j]! > k) {
        keys[j + 1] = keys[j]!;
        vals[j + 1] = vals[j]!;
        j--;
      }
      keys[j + 1] = k;
      vals[j + 1] = v;
    }
    return;
  }
  radixPass(w, keys, vals, keys2, vals2, count, 0);
  radixPass(w, keys2, vals2, keys, vals, count, 8);
  radixPass(w, keys, vals, keys2, vals2, count, 16);
  radixPass(w, keys2, vals2, keys, vals, count, 24);
}

function radixPass(
  w: Workspace,
  srcK: Uint32Array,
  srcV: Int32Array,
  dstK: Uint32Array,
  dstV: Int32Array,
  count: number,
  shift: number,
): void {
  const counts = w.counts;
  counts.fill(0);
  for (let i = 0; i < count; i++) {
    const d = (srcK[i]! >>> shift) & 255;
    counts[d] = counts[d]! + 1;
  }
  let sum = 0;
  for (let d = 0; d < 256; d++) {
    const c = counts[d]!;
    counts[d] = sum;
    sum += c;
  }
  for (let i = 0; i < count; i++) {
    const k = srcK[i]!;
    const d = (k >>> shift) & 255;
    const at = counts[d]!;
    counts[d] = at + 1;
    dstK[at] = k;
    dstV[at] = srcV[i]!;
  }
}
