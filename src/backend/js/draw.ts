// Twin of assembly/draw.ts: the kept set's mass, the draw over it, its probabilities, its
// entropy term and its most likely tokens.
import { BLOCK, type Workspace } from './layout.js';
import { keptAt, kthLargest } from './select.js';
import { blockMass } from './softmax.js';
import { orderKey, sortPairs } from './sort.js';

const fround = Math.fround;

/** The mass (or with ez, Σ e·z) of the kept positions of block b. */
function keptBlock(w: Workspace, b: number, len: number, ez: boolean): number {
  const p = w.part,
    e = w.e,
    z = w.z;
  p.fill(0);
  const end = Math.min(len, (b + 1) * BLOCK);
  for (let i = b * BLOCK; i < end; i++) {
    const v = e[i]!;
    if (keptAt(w, i, v)) p[i & 15] = fround(p[i & 15]! + (ez ? fround(v * z[i]!) : v));
  }
  return blockMass(p);
}

export function keptMass(w: Workspace, len: number): number {
  const blocks = Math.ceil(len / BLOCK);
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    const mass = w.bmass[b] !== 0 ? keptBlock(w, b, len, false) : 0;
    w.kmass[b] = mass;
    total += mass;
  }
  return total;
}

export function keptEZ(w: Workspace, len: number): number {
  const blocks = Math.ceil(len / BLOCK);
  let total = 0;
  for (let b = 0; b < blocks; b++) if (w.bmass[b] !== 0) total += keptBlock(w, b, len, true);
  return total;
}

export function drawKept(w: Workspace, len: number, target: number): number {
  const blocks = Math.ceil(len / BLOCK);
  let cum = 0;
  let b = -1;
  for (let k = 0; k < blocks; k++) {
    if (w.bmass[k] === 0) continue;
    const m = keptBlock(w, k, len, false);
    if (m !== 0 && cum + m > target) {
      b = k;
      break;
    }
    cum += m;
  }
  if (b < 0) {
    // The target reached the total: the last block with kept mass.
    keptMass(w, len);
    cum = 0;
    for (let k = 0; k < blocks; k++) {
      if (w.kmass[k] === 0) continue;
      if (b >= 0) cum += w.kmass[b]!;
      b = k;
    }
    if (b < 0) return -1;
  }
  let acc = cum;
  let at = -1;
  const end = Math.min(len, (b + 1) * BLOCK);
  for (let i = b * BLOCK; i < end; i++) {
    const e = w.e[i]!;
    if (keptAt(w, i, e)) {
      acc += e;
      at = i;
      if (acc > target) return i;
    }
  }
  return at;
}

export function writeProbsKept(
  w: Workspace,
  len: number,
  listed: boolean,
  n: number,
  mass: number,
  out: Float32Array,
): void {
  out.fill(0, 0, n);
  for (let i = 0; i < len; i++) {
    const e = w.e[i]!;
    if (w.bmass[(i / BLOCK) | 0] !== 0 && keptAt(w, i, e)) out[listed ? w.list[i]! : i] = e / mass;
  }
}

/** The `want` most likely kept tokens into w.topTokens/w.topZ; returns how many. */
export function keptTop(w: Workspace, len: number, listed: boolean, want: number): number {
  const tokens = w.ai,
    zs = new Float32Array(w.ak.buffer);
  let count = 0;
  for (let i = 0; i < len; i++) {
    const e = w.e[i]!;
    if (w.bmass[(i / BLOCK) | 0] !== 0 && keptAt(w, i, e)) {
      tokens[count] = listed ? w.list[i]! : i;
      zs[count] = w.z[i]!;
      count++;
    }
  }
  return topPairs(w, tokens, zs, count, want);
}

/** w.topTokens/w.topZ ← the `want` largest of `count` (token, z) pairs (tokens ascending), by
 *  z descending then token ascending; returns how many. */
export function topPairs(w: Workspace, tokens: Int32Array, zs: Float32Array, count: number, want: number): number {
  if (want > count) want = count;
  if (want <= 0) return 0;
  const scratch = new Uint32Array(w.am.buffer, 0, count);
  for (let j = 0; j < count; j++) scratch[j] = orderKey(zs[j]!);
  const kth = kthLargest(w, scratch, count, want);
  const tt = w.topTokens,
    tz = w.topZ;
  let out = 0;
  for (let j = 0; j < count && out < want; j++) {
    if (orderKey(zs[j]!) > kth) {
      tt[out] = tokens[j]!;
      tz[out] = zs[j]!;
      out++;
    }
  }
  for (let j = 0; j < count && out < want; j++) {
    if (orderKey(zs[j]!) === kth) {
      tt[out] = tokens[j]!;
      tz[out] = zs[j]!;
      out++;
    }
  }
  for (let r = 0; r < out; r++) {
    w.sortKeys[r] = ~orderKey(tz[r]!) >>> 0;
    w.sortVals[r] = r;
  }
  sortPairs(w, w.sortKeys, w.sortVals, out, w.sortKeys2, w.sortVals2);
  const t2 = w.sortVals2,
    z2 = new Float32Array(w.sortKeys2.buffer);
  for (let r = 0; r < out; r++) {
    const row = w.sortVals[r]!;
    t2[r] = tt[row]!;
    z2[r] = tz[row]!;
  }
  tt.set(t2.subarray(0, out));
  tz.set(z2.subarray(0, out));
  return out;
}

/** z of every listed logit w.xl[0 .. count) into `out`. */
export function listedZ(w: Workspace, count: number, m: number, c: number, out: Float32Array): void {
  for (let j = 0; j < count; j++) out[j] = fround(fround(w.xl[j]! - m) * c);
}
