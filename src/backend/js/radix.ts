// Twin of assembly/radix.ts.

/** In place: float bit patterns (read through a Uint32Array alias) → order-preserving keys. */
export function toOrderKeys(keys: Uint32Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const u = keys[i]!;
    keys[i] = u ^ ((u >> 31) | 0x80000000);
  }
}

const keyBits = new Uint32Array(1);
const keyFloat = new Float32Array(keyBits.buffer);

export function keyToFloat(k: number): number {
  keyBits[0] = k & 0x80000000 ? k ^ 0x80000000 : ~k;
  return keyFloat[0]!;
}

/** The k-th largest (1-based) of count keys in buf; reorders and overwrites buf. */
export function radixSelect(buf: Uint32Array, count: number, k: number, counts: Uint32Array): number {
  for (let shift = 24; shift >= 0; shift -= 8) {
    counts.fill(0, 0, 256);
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
    let w = 0;
    for (let i = 0; i < count; i++) {
      const key = buf[i]!;
      if (((key >>> shift) & 255) === d) buf[w++] = key;
    }
    count = w;
  }
  return buf[0]!;
}

/** Stable sort of (key, position) pairs by ascending key < 2^(2·digitBits). */
export function sortByKey(
  keys: Uint32Array,
  pos: Int32Array,
  count: number,
  keys2: Uint32Array,
  pos2: Int32Array,
  counts: Uint32Array,
  digitBits: number,
): void {
  if (count <= 32) {
    for (let i = 1; i < count; i++) {
      const k = keys[i]!;
      const p = pos[i]!;
      let j = i - 1;
      while (j >= 0 && keys[j]! > k) {
        keys[j + 1] = keys[j]!;
        pos[j + 1] = pos[j]!;
        j--;
      }
      keys[j + 1] = k;
      pos[j + 1] = p;
    }
    return;
  }
  radixPass(keys, pos, keys2, pos2, count, 0, counts, digitBits);
  radixPass(keys2, pos2, keys, pos, count, digitBits, counts, digitBits);
}

function radixPass(
  srcK: Uint32Array,
  srcP: Int32Array,
  dstK: Uint32Array,
  dstP: Int32Array,
  count: number,
  shift: number,
  counts: Uint32Array,
  digitBits: number,
): void {
  const digits = 1 << digitBits;
  const mask = digits - 1;
  counts.fill(0, 0, digits);
  for (let i = 0; i < count; i++) {
    const d = (srcK[i]! >>> shift) & mask;
    counts[d] = counts[d]! + 1;
  }
  let sum = 0;
  for (let d = 0; d < digits; d++) {
    const c = counts[d]!;
    counts[d] = sum;
    sum += c;
  }
  for (let i = 0; i < count; i++) {
    const k = srcK[i]!;
    const d = (k >>> shift) & mask;
    const at = counts[d]!;
    counts[d] = at + 1;
    dstK[at] = k;
    dstP[at] = srcP[i]!;
  }
}
