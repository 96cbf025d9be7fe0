// Twin of assembly/draw.ts.
import { bucketOfBits, searchCum } from './histogram.js';
import type { Workspace } from './layout.js';
import type { Cut } from './select.js';

/** Position drawn with u ∈ [0, 1) among len positions. */
export function draw(w: Workspace, len: number, cut: Cut, u: number): number {
  const target = u * cut.kept;
  const q = searchCum(w.cum, cut.bucket - 1, target, false);
  if (q < cut.bucket) return drawInBucket(w, len, q, target);
  const e = w.e,
    pos = w.pos;
  let acc = cut.base;
  for (let r = 0; r < cut.keep; r++) {
    const j = pos[r]!;
    acc += e[j]!;
    if (acc > target) return j;
  }
  return pos[cut.keep - 1]!;
}

function drawInBucket(w: Workspace, len: number, q: number, target: number): number {
  const e = w.e,
    bits = w.eBits;
  let acc = q > 0 ? w.cum[q - 1]! : 0;
  let last = -1;
  for (let j = 0; j < len; j++) {
    if (bucketOfBits(bits[j]!) === q) {
      acc += e[j]!;
      if (acc > target) return j;
      last = j;
    }
  }
  return last;
}

/** out[0 .. n) ← the normalised kept distribution. */
export function writeProbs(
  w: Workspace,
  n: number,
  len: number,
  list: Int32Array | null,
  cut: Cut,
  out: Float32Array,
): void {
  const e = w.e,
    bits = w.eBits,
    s = cut.kept,
    q = cut.bucket;
  if (list === null) {
    for (let i = 0; i < n; i++) out[i] = bucketOfBits(bits[i]!) < q ? e[i]! / s : 0;
  } else {
    out.fill(0, 0, n);
    for (let j = 0; j < len; j++) if (bucketOfBits(bits[j]!) < q) out[list[j]!] = e[j]! / s;
  }
  for (let r = 0; r < cut.keep; r++) {
    const j = w.pos[r]!;
    out[list === null ? j : list[j]!] = e[j]! / s;
  }
}
