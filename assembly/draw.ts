// The kept set: positions 0 … len-1 of E (and Z) that every stage's rule keeps (select.ts).
// Its mass, the inverse-CDF draw over it in position order, its probabilities, its entropy
// term and its most likely tokens. Masses are summed exactly as the softmax pass sums logits
// (softmax.ts), block by block.
import { BLOCK, BMASS, E, KMASS, LIST, SORT_KEYS, SORT_KEYS2, SORT_VALS, SORT_VALS2, TOP, XL, Z } from './layout';
import { keepAbove, keptAt, keptLanes, kthLargest, simpleRule } from './select';
import { blockMass } from './softmax';
import { orderKey, sortPairs } from './sort';

/** Mass of the 64 floats at p: partial sum i & 15 in float32, combined as in softmax.ts. */
export function sumBlock(p: usize): f64 {
  if (ASC_FEATURE_SIMD) {
    let a0 = v128.load(p),
      a1 = v128.load(p, 16),
      a2 = v128.load(p, 32),
      a3 = v128.load(p, 48);
    for (let o: usize = 64; o < 256; o += 64) {
      a0 = f32x4.add(a0, v128.load(p + o));
      a1 = f32x4.add(a1, v128.load(p + o, 16));
      a2 = f32x4.add(a2, v128.load(p + o, 32));
      a3 = f32x4.add(a3, v128.load(p + o, 48));
    }
    const q = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
    return (
      <f64>f32x4.extract_lane(q, 0) +
      <f64>f32x4.extract_lane(q, 1) +
      (<f64>f32x4.extract_lane(q, 2) + <f64>f32x4.extract_lane(q, 3))
    );
  }
  let s: f64 = 0;
  let q0: f32 = 0;
  for (let l = 0; l < 4; l++) {
    let a: f32 = load<f32>(p + ((<usize>l) << 2));
    let b: f32 = load<f32>(p + ((<usize>(l + 4)) << 2));
    let c: f32 = load<f32>(p + ((<usize>(l + 8)) << 2));
    let d: f32 = load<f32>(p + ((<usize>(l + 12)) << 2));
    for (let o = 16; o < BLOCK; o += 16) {
      a += load<f32>(p + ((<usize>(o + l)) << 2));
      b += load<f32>(p + ((<usize>(o + l + 4)) << 2));
      c += load<f32>(p + ((<usize>(o + l + 8)) << 2));
      d += load<f32>(p + ((<usize>(o + l + 12)) << 2));
    }
    const q = a + b + (c + d);
    if ((l & 1) == 0) q0 = q;
    else s += <f64>q0 + <f64>q;
  }
  return s;
}

/** Scratch block: the kept e (or e·z) of one block. */
const KEPT = memory.data(256, 16);

/** The mass (or with ez, Σ e·z) of the kept positions of block b. */
function keptBlock(b: i32, ez: bool): f64 {
  const q = (<usize>b) << 8;
  if (ASC_FEATURE_SIMD) {
    for (let o: usize = 0; o < 256; o += 16) {
      const e = v128.load(E + q + o);
      const k = keptLanes((b << 6) + <i32>(o >> 2), e);
      v128.store(KEPT + o, v128.and(ez ? f32x4.mul(e, v128.load(Z + q + o)) : e, k));
    }
  } else {
    for (let j = 0; j < BLOCK; j++) {
      const i = (b << 6) + j;
      const e = load<f32>(E + ((<usize>i) << 2));
      const v: f32 = ez ? e * load<f32>(Z + ((<usize>i) << 2)) : e;
      store<f32>(KEPT + ((<usize>j) << 2), keptAt(i, e) ? v : 0);
    }
  }
  return sumBlock(KEPT);
}

/** Mass of the kept positions, block by block (KMASS[b]); returns the total. Blocks of mass 0
 *  (BMASS) are skipped. */
export function keptMass(len: i32): f64 {
  if (ASC_FEATURE_SIMD && simpleRule) return walk(len, Infinity, false);
  const blocks = (len + BLOCK - 1) >> 6;
  let total: f64 = 0;
  for (let b = 0; b < blocks; b++) {
    const mass = load<f64>(BMASS + ((<usize>b) << 3)) != 0 ? keptBlock(b, false) : 0;
    store<f64>(KMASS + ((<usize>b) << 3), mass);
    total += mass;
  }
  return total;
}

/** The block where the running kept mass passes `target` (found by walk), -1 if none. */
let walkedTo = -1;
/** The running kept mass before that block. */
let walkedMass: f64 = 0;

/**
 * The kept mass block by block under the threshold rule (simpleRule), one compare per
 * vector, in the loop shape of softmax.ts: KMASS[b] for each block passed; stops at the
 * block where the running mass passes `target` (walkedTo, walkedMass) when `draw`. Returns
 * the total of the blocks summed.
 */
function walk(len: i32, target: f64, draw: bool): f64 {
  const blocks = (len + BLOCK - 1) >> 6;
  const vt = f32x4.splat(keepAbove),
    zero = f32x4.splat(0);
  let a0 = zero,
    a1 = zero,
    a2 = zero,
    a3 = zero;
  let total: f64 = 0;
  let b = 0;
  walkedTo = -1;
  const end = E + ((<usize>blocks) << 8);
  let q = E;
  while (q < end) {
    if (((q - E) & 255) == 0 && load<f64>(BMASS + ((<usize>b) << 3)) == 0) {
      store<f64>(KMASS + ((<usize>b) << 3), 0);
      b++;
      q += 256;
      continue;
    }
    const e0 = v128.load(q),
      e1 = v128.load(q, 16),
      e2 = v128.load(q, 32),
      e3 = v128.load(q, 48);
    a0 = f32x4.add(a0, v128.and(e0, f32x4.ge(e0, vt)));
    a1 = f32x4.add(a1, v128.and(e1, f32x4.ge(e1, vt)));
    a2 = f32x4.add(a2, v128.and(e2, f32x4.ge(e2, vt)));
    a3 = f32x4.add(a3, v128.and(e3, f32x4.ge(e3, vt)));
    q += 64;
    if (((q - E) & 255) == 0) {
      const mass = blockMass(a0, a1, a2, a3);
      store<f64>(KMASS + ((<usize>b) << 3), mass);
      if (draw && mass != 0 && total + mass > target) {
        walkedTo = b;
        walkedMass = total;
        return total;
      }
      total += mass;
      b++;
      a0 = zero;
      a1 = zero;
      a2 = zero;
      a3 = zero;
    }
  }
  return total;
}

/** Σ e·z over the kept positions (for the entropy), summed like their mass. Needs Z. */
export function keptEZ(len: i32): f64 {
  const blocks = (len + BLOCK - 1) >> 6;
  let total: f64 = 0;
  for (let b = 0; b < blocks; b++) if (load<f64>(BMASS + ((<usize>b) << 3)) != 0) total += keptBlock(b, true);
  return total;
}

/** The position drawn for target = u·(kept mass): blocks are summed in order, as keptMass
 *  sums them, until the running mass passes the target; then that block's kept positions are
 *  walked in order. Stops early: on average half the blocks are summed. */
export function drawKept(len: i32, target: f64): i32 {
  const blocks = (len + BLOCK - 1) >> 6;
  let cum: f64 = 0;
  let b = -1;
  if (ASC_FEATURE_SIMD && simpleRule) {
    walk(len, target, true);
    b = walkedTo;
    cum = walkedMass;
  } else {
    for (let k = 0; k < blocks; k++) {
      if (load<f64>(BMASS + ((<usize>k) << 3)) == 0) continue;
      const m = keptBlock(k, false);
      if (m != 0 && cum + m > target) {
        b = k;
        break;
      }
      cum += m;
    }
  }
  if (b < 0) {
    // The target reached the total (the kept mass was summed in another order): the last
    // block with kept mass.
    keptMass(len);
    cum = 0;
    for (let k = 0; k < blocks; k++) {
      const m = load<f64>(KMASS + ((<usize>k) << 3));
      if (m == 0) continue;
      if (b >= 0) cum += load<f64>(KMASS + ((<usize>b) << 3));
      b = k;
    }
    if (b < 0) return -1;
  }
  let acc = cum;
  let at = -1;
  for (let j = 0; j < BLOCK; j++) {
    const i = (b << 6) + j;
    if (i >= len) break;
    const e = load<f32>(E + ((<usize>i) << 2));
    if (keptAt(i, e)) {
      acc += <f64>e;
      at = i;
      if (acc > target) return i;
    }
  }
  // Float rounding left the scan a hair short of the block's mass: its last kept position.
  return at;
}

/** XL[0 .. n) ← the probability of each token: e/mass where kept, 0 elsewhere. */
export function writeProbsKept(len: i32, listed: bool, n: i32, mass: f64): void {
  memory.fill(XL, 0, (<usize>n) << 2);
  const blocks = (len + BLOCK - 1) >> 6;
  for (let b = 0; b < blocks; b++) {
    if (load<f64>(BMASS + ((<usize>b) << 3)) == 0) continue;
    for (let j = 0; j < BLOCK; j++) {
      const i = (b << 6) + j;
      if (i >= len) break;
      const e = load<f32>(E + ((<usize>i) << 2));
      if (keptAt(i, e)) {
        const t = listed ? load<i32>(LIST + ((<usize>i) << 2)) : i;
        store<f32>(XL + ((<usize>t) << 2), <f32>(<f64>e / mass));
      }
    }
  }
}

/** The `want` most likely kept tokens into TOP (see topPairs), from the kept positions listed
 *  in scratch buffers (tokens at `tokens`, their z at `zs`); returns how many. */
export function keptTop(len: i32, listed: bool, want: i32, tokens: usize, zs: usize, scratch: usize): i32 {
  let count = 0;
  const blocks = (len + BLOCK - 1) >> 6;
  for (let b = 0; b < blocks; b++) {
    if (load<f64>(BMASS + ((<usize>b) << 3)) == 0) continue;
    for (let j = 0; j < BLOCK; j++) {
      const i = (b << 6) + j;
      if (i >= len) break;
      const e = load<f32>(E + ((<usize>i) << 2));
      if (keptAt(i, e)) {
        store<i32>(tokens + ((<usize>count) << 2), listed ? load<i32>(LIST + ((<usize>i) << 2)) : i);
        store<f32>(zs + ((<usize>count) << 2), load<f32>(Z + ((<usize>i) << 2)));
        count++;
      }
    }
  }
  return topPairs(tokens, zs, count, want, scratch);
}

/**
 * TOP ← the `want` largest of `count` (token, z) pairs, ordered by z descending then token
 * ascending (the pairs come in ascending token order); returns how many were written
 * (≤ want). `scratch` holds count u32 for the selection.
 */
export function topPairs(tokens: usize, zs: usize, count: i32, want: i32, scratch: usize): i32 {
  if (want > count) want = count;
  if (want <= 0) return 0;
  for (let j = 0; j < count; j++) store<u32>(scratch + ((<usize>j) << 2), orderKey(load<f32>(zs + ((<usize>j) << 2))));
  const kth = kthLargest(scratch, count, want);
  // Everything above the want-th largest z, then ties at it in token order, until want.
  let w = 0;
  for (let j = 0; j < count && w < want; j++) {
    if (orderKey(load<f32>(zs + ((<usize>j) << 2))) > kth) w = topPut(w, j, tokens, zs);
  }
  for (let j = 0; j < count && w < want; j++) {
    if (orderKey(load<f32>(zs + ((<usize>j) << 2))) == kth) w = topPut(w, j, tokens, zs);
  }
  // Rows with equal z were appended in token order, so one stable sort by descending z
  // orders them by (z descending, token ascending).
  for (let r = 0; r < w; r++) {
    store<u32>(SORT_KEYS + ((<usize>r) << 2), ~orderKey(load<f32>(TOP + ((<usize>r) << 3), 4)));
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

function topPut(w: i32, j: i32, tokens: usize, zs: usize): i32 {
  store<i32>(TOP + ((<usize>w) << 3), load<i32>(tokens + ((<usize>j) << 2)));
  store<f32>(TOP + ((<usize>w) << 3), load<f32>(zs + ((<usize>j) << 2)), 4);
  return w + 1;
}

/** z of every listed logit, XL[0 .. count) → `out`. */
export function listedZ(count: i32, m: f32, c: f32, out: usize): void {
  for (let j = 0; j < count; j++) store<f32>(out + ((<usize>j) << 2), (load<f32>(XL + ((<usize>j) << 2)) - m) * c);
}
