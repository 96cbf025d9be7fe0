// Passes over the kept set (kept.ts): positions 0 … len-1 of E (and Z) that the record keeps.
// Its mass, the inverse-CDF draw over it in position order, its probabilities, its entropy
// term, its size, its largest logit and its most likely tokens. Masses are summed exactly as
// the softmax pass sums logits (softmax.ts), block by block.

import {
  banded,
  bandKeyOf,
  capped,
  ceiling,
  ceilingFirst,
  floor,
  floorZ,
  flushLast,
  flushTop,
  flushTopFirst,
  flushZ,
  KEEP_ALL,
  keepFlushed,
  keptAt,
  keptLanes,
  ONE_BITS,
  simple,
  tieLast,
  tieValue,
} from './kept';
import { AI, AK, AM, BLOCK, BMASS, E, EMAX, KMASS, LIST, XL, Z } from './layout';
import { blockMass } from './softmax';
import { kthLargest } from './sort';
import { topPairs } from './top';

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

/** What keptBlock sums over the kept positions. */
const SUM_E = 0; // e: the mass
const SUM_EZ = 1; // e·z: the entropy's term (needs Z)
const SUM_EE = 2; // e²: the collision probability's (p-less)

/** The sum of e (or e·z, or e²) over the kept positions of block b. */
function keptBlock(b: i32, what: i32): f64 {
  const q = (<usize>b) << 8;
  if (ASC_FEATURE_SIMD) {
    for (let o: usize = 0; o < 256; o += 16) {
      const e = v128.load(E + q + o);
      const k = keptLanes((b << 6) + <i32>(o >> 2), e);
      const v = what == SUM_E ? e : f32x4.mul(e, what == SUM_EZ ? v128.load(Z + q + o) : e);
      v128.store(KEPT + o, v128.and(v, k));
    }
  } else {
    for (let j = 0; j < BLOCK; j++) {
      const i = (b << 6) + j;
      const e = load<f32>(E + ((<usize>i) << 2));
      const v: f32 = what == SUM_E ? e : e * (what == SUM_EZ ? load<f32>(Z + ((<usize>i) << 2)) : e);
      store<f32>(KEPT + ((<usize>j) << 2), keptAt(i, e) ? v : 0);
    }
  }
  return sumBlock(KEPT);
}

/** Mass of the kept positions, block by block (KMASS[b]); returns the total. Blocks of mass 0
 *  (BMASS) are skipped. */
export function keptMass(len: i32): f64 {
  if (ASC_FEATURE_SIMD && simple) return walk(len, Infinity, false);
  const blocks = (len + BLOCK - 1) >> 6;
  let total: f64 = 0;
  for (let b = 0; b < blocks; b++) {
    const mass = load<f64>(BMASS + ((<usize>b) << 3)) != 0 ? keptBlock(b, SUM_E) : 0;
    store<f64>(KMASS + ((<usize>b) << 3), mass);
    total += mass;
  }
  return total;
}

/** The block where the running kept mass passes `target` (found by walk), -1 if none. */
let walkedTo = -1;
/** The running kept mass before that block. */
let walkedMass: f64 = 0;

/** The lanes at the ceiling that XTC keeps: from ceilingFirst on. */
function keptAtCeiling(e: v128, pos: v128): v128 {
  return v128.and(f32x4.eq(e, f32x4.splat(ceiling)), i32x4.ge_s(pos, i32x4.splat(ceilingFirst)));
}

/**
 * The kept mass block by block under the threshold rule (kept.simple) — and XTC's ceiling,
 * if set — a compare or two per vector, in the loop shape of softmax.ts: KMASS[b] for each block passed; stops at the
 * block where the running mass passes `target` (walkedTo, walkedMass) when `draw`. Returns
 * the total of the blocks summed.
 */
function walk(len: i32, target: f64, draw: bool): f64 {
  const blocks = (len + BLOCK - 1) >> 6;
  const vt = f32x4.splat(floor),
    vc = f32x4.splat(capped ? ceiling : Infinity),
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
    if (((q - E) & 255) == 0 && (load<f64>(BMASS + ((<usize>b) << 3)) == 0 || Emax.below(b, floor))) {
      store<f64>(KMASS + ((<usize>b) << 3), 0);
      b++;
      q += 256;
      continue;
    }
    const e0 = v128.load(q),
      e1 = v128.load(q, 16),
      e2 = v128.load(q, 32),
      e3 = v128.load(q, 48);
    let k0 = v128.and(f32x4.ge(e0, vt), f32x4.lt(e0, vc)),
      k1 = v128.and(f32x4.ge(e1, vt), f32x4.lt(e1, vc)),
      k2 = v128.and(f32x4.ge(e2, vt), f32x4.lt(e2, vc)),
      k3 = v128.and(f32x4.ge(e3, vt), f32x4.lt(e3, vc));
    // At the ceiling XTC keeps only from one position on: exact ties there are rare.
    if (
      capped &&
      v128.any_true(v128.or(v128.or(f32x4.eq(e0, vc), f32x4.eq(e1, vc)), v128.or(f32x4.eq(e2, vc), f32x4.eq(e3, vc))))
    ) {
      const pos = i32x4.add(i32x4.splat(<i32>((q - E) >> 2)), i32x4(0, 1, 2, 3));
      k0 = v128.or(k0, keptAtCeiling(e0, pos));
      k1 = v128.or(k1, keptAtCeiling(e1, i32x4.add(pos, i32x4.splat(4))));
      k2 = v128.or(k2, keptAtCeiling(e2, i32x4.add(pos, i32x4.splat(8))));
      k3 = v128.or(k3, keptAtCeiling(e3, i32x4.add(pos, i32x4.splat(12))));
    }
    a0 = f32x4.add(a0, v128.and(e0, k0));
    a1 = f32x4.add(a1, v128.and(e1, k1));
    a2 = f32x4.add(a2, v128.and(e2, k2));
    a3 = f32x4.add(a3, v128.and(e3, k3));
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
  return keptSum(len, SUM_EZ);
}

/** Σ e² over the kept positions (the collision probability times the mass squared). */
export function keptSquares(len: i32): f64 {
  return keptSum(len, SUM_EE);
}

function keptSum(len: i32, what: i32): f64 {
  const blocks = (len + BLOCK - 1) >> 6;
  let total: f64 = 0;
  for (let b = 0; b < blocks; b++) if (load<f64>(BMASS + ((<usize>b) << 3)) != 0) total += keptBlock(b, what);
  return total;
}

/** The position drawn for target = u·(kept mass): blocks are summed in order, as keptMass
 *  sums them, until the running mass passes the target; then that block's kept positions are
 *  walked in order. Stops early: on average half the blocks are summed. */
export function drawKept(len: i32, target: f64): i32 {
  const blocks = (len + BLOCK - 1) >> 6;
  let cum: f64 = 0;
  let b = -1;
  if (ASC_FEATURE_SIMD && simple) {
    walk(len, target, true);
    b = walkedTo;
    cum = walkedMass;
  } else {
    for (let k = 0; k < blocks; k++) {
      if (load<f64>(BMASS + ((<usize>k) << 3)) == 0) continue;
      const m = keptBlock(k, SUM_E);
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

// What visitKept() does with each kept position, in position order.
const PROBS = 0; // XL[token] ← e/mass
const TOP = 1; // (token, z) pairs appended at `tokens`/`zs`
const LIST_KEPT = 3; // LIST/XL ← (token, logit · unscale), compacted in place
const MAX_E = 4; // the largest kept e

/** The least e exp2 does not flush to 0: 2^EXP_CUTOFF (2^-53). */
export const FLUSHED_E: f32 = 1.1102230246251565e-16;

/** Scratch of visitKept(): where its pairs go, and what it found. */
let visitTokens: usize = 0;
let visitZs: usize = 0;
let visitX: usize = 0;
let visitTop: f32 = 0;

/**
 * The one walk over the kept positions in position order (blocks of mass 0 skipped), doing
 * `op` with each; returns how many it visited. `listed`: positions index LIST/XL, else the
 * dense logits (`visitX`). `arg`: the mass (PROBS) or the exact power of two undoing a rescale
 * (LIST_KEPT). A switch per kept position costs less than the keptAt() test beside it.
 */
function visitKept(len: i32, listed: bool, op: i32, arg: f64): i32 {
  let w = 0;
  const blocks = (len + BLOCK - 1) >> 6;
  const least = leastKept();
  for (let b = 0; b < blocks; b++) {
    if (load<f64>(BMASS + ((<usize>b) << 3)) == 0) continue;
    if (ASC_FEATURE_SIMD && Emax.below(b, least)) continue;
    for (let j = 0; j < BLOCK; j++) {
      const i = (b << 6) + j;
      if (i >= len) break;
      const e = load<f32>(E + ((<usize>i) << 2));
      if (!keptAt(i, e)) continue;
      const at = (<usize>i) << 2;
      const token = listed ? load<i32>(LIST + at) : i;
      if (op == PROBS) store<f32>(XL + ((<usize>token) << 2), <f32>(<f64>e / arg));
      else if (op == TOP) {
        store<i32>(visitTokens + ((<usize>w) << 2), token);
        store<f32>(visitZs + ((<usize>w) << 2), load<f32>(Z + at));
      } else if (op == LIST_KEPT) {
        store<i32>(LIST + ((<usize>w) << 2), token);
        store<f32>(XL + ((<usize>w) << 2), load<f32>((listed ? XL : visitX) + at) * <f32>arg);
      } else if (op == MAX_E) visitTop = max<f32>(visitTop, e);
      w++;
    }
  }
  return w;
}

/** XL[0 .. n) ← the probability of each token: e/mass where kept, 0 elsewhere. */
export function writeProbsKept(len: i32, listed: bool, n: i32, mass: f64): void {
  memory.fill(XL, 0, (<usize>n) << 2);
  visitKept(len, listed, PROBS, mass);
}

/** The `want` most likely kept tokens into TOP (see topPairs), from the kept positions listed
 *  in scratch buffers (tokens at `tokens`, their z at `zs`); returns how many. */
export function keptTop(len: i32, listed: bool, want: i32, tokens: usize, zs: usize, scratch: usize): i32 {
  visitTokens = tokens;
  visitZs = zs;
  return topPairs(tokens, zs, visitKept(len, listed, TOP, 0), want, scratch);
}

class Emax {
  /** Whether every e of block b is below `least` (its EMAX lanes, SIMD build only): such a
   *  block keeps nothing at a threshold of `least` — after a truncation, most blocks. */
  @inline static below(b: i32, least: f32): bool {
    return !v128.any_true(f32x4.ge(v128.load(EMAX + ((<usize>b) << 4)), f32x4.splat(least)));
  }
}

/** The least e the rule keeps (keptAt: e reaches the floor, or is a tie kept at it). */
function leastKept(): f32 {
  return tieLast >= 0 ? min<f32>(floor, tieValue) : floor;
}

/** Whether at least k positions are kept: counts block by block, and stops there. */
export function keptAtLeast(len: i32, k: i32): bool {
  let count = 0;
  const blocks = (len + BLOCK - 1) >> 6;
  const least = leastKept();
  for (let b = 0; b < blocks; b++) {
    if (load<f64>(BMASS + ((<usize>b) << 3)) == 0) continue;
    if (ASC_FEATURE_SIMD) {
      if (Emax.below(b, least)) continue;
      for (let o: usize = 0; o < 256; o += 16) {
        const i = (b << 6) + <i32>(o >> 2);
        count += <i32>popcnt<u32>(i32x4.bitmask(keptLanes(i, v128.load(E + ((<usize>i) << 2)))));
      }
    } else {
      for (let j = 0; j < BLOCK; j++) {
        const i = (b << 6) + j;
        if (keptAt(i, load<f32>(E + ((<usize>i) << 2)))) count++;
      }
    }
    if (count >= k) return true;
  }
  // Too few with a stored e: the flushed ones the rule keeps count too (rare: a tiny floor).
  const zFloor = flushedFloor();
  if (zFloor == Infinity) return false;
  count = 0;
  for (let i = 0; i < len; i++) if (keptOrFlushed(i, zFloor) && ++count >= k) return true;
  return false;
}

/** What gatherKept lists for each kept position (minKeep's selection). */
export const BY_E = 0; // the prefix order's key: larger e first
export const BY_BAND = 1; // the band's key: closer to its centre first

/** AK ← the key (`what`) of each kept position with e ≥ `from`, AI ← the position, in
 *  position order; returns how many. */
export function gatherKept(len: i32, what: i32, from: f32 = 0): i32 {
  let w = 0;
  const blocks = (len + BLOCK - 1) >> 6;
  for (let b = 0; b < blocks; b++) {
    if (load<f64>(BMASS + ((<usize>b) << 3)) == 0) continue;
    if (ASC_FEATURE_SIMD && from > 0) {
      if (Emax.below(b, from)) continue;
    }
    for (let j = 0; j < BLOCK; j++) {
      const i = (b << 6) + j;
      if (i >= len) break;
      const e = load<f32>(E + ((<usize>i) << 2));
      if (e < from || !keptAt(i, e)) continue;
      const z = load<f32>(Z + ((<usize>i) << 2));
      const key = what == BY_E ? ONE_BITS - reinterpret<i32>(e) : bandKeyOf(z);
      store<i32>(AK + ((<usize>w) << 2), key);
      store<i32>(AI + ((<usize>w) << 2), i);
      w++;
    }
  }
  return w;
}

/** A lower bound on the k-th largest e (SIMD build, E from expStore): the k-th largest lane
 *  of EMAX, k positions each reaching it. 0 when there are fewer lanes, or no EMAX. */
export function kthLargestE(len: i32, k: i32): f32 {
  if (!ASC_FEATURE_SIMD) return 0;
  const blocks = (len + BLOCK - 1) >> 6;
  if (k > blocks << 2) return 0;
  for (let b = 0; b < blocks; b++) {
    for (let l = 0; l < 4; l++) {
      const e = load<f32>(EMAX + ((<usize>b) << 4) + ((<usize>l) << 2));
      // A block of mass 0 may hold a stale EMAX: it counts as 0.
      store<u32>(
        AK + ((<usize>((b << 2) + l)) << 2),
        load<f64>(BMASS + ((<usize>b) << 3)) != 0 ? reinterpret<u32>(e) : 0,
      );
    }
  }
  // e ≥ 0: its bits order as it does.
  return reinterpret<f32>(kthLargest(AK, blocks << 2, k));
}

// Positions whose e was flushed to 0 (z < EXP_CUTOFF, exp.ts) weigh nothing in a draw, but
// they are candidates still: a higher temperature after a cut can make them count (llama.cpp's
// order runs the temperature last), and they count toward minKeep and XTC. The kept-set rule
// keeps one when it would keep its true e, judged on z from the logits E came from: the floor
// by its exact threshold (kept.floorZ), minKeep's choice among them (flushZ), and XTC's ceiling
// when its threshold reaches them (flushTop). A tie group or a prefix cut sits at a stored e,
// above 2^EXP_CUTOFF, and keeps none of them; a band never keeps one.

/** The logits E was computed from (the dense logits, or XL when listed) and their m and c:
 *  z = (x − m)·c. Set by the chain after each expStore(). */
let fromX: usize = 0;
let fromM: f32 = 0;
let fromC: f32 = 0;
export function keptFrom(x: usize, m: f32, c: f32): void {
  fromX = x;
  fromM = m;
  fromC = c;
}

/** The least z of a flushed position the rule keeps (ties at it up to flushLast): +Infinity
 *  when it keeps none, -Infinity (every finite logit) when no floor below 2^EXP_CUTOFF is set. */
export function flushedFloor(): f64 {
  if (banded || floor >= FLUSHED_E) return Infinity;
  if (flushZ == flushZ) return flushZ; // minKeep's choice among them
  return floorZ;
}

/** Position i's e, 0 where flushed (a block of mass 0 stored none: all of it was). */
function storedE(i: i32): f32 {
  return load<f64>(BMASS + ((<usize>(i >> 6)) << 3)) == 0 ? 0 : load<f32>(E + ((<usize>i) << 2));
}

/** Whether flushed position i (its logit v) is kept, its z against zFloor (and XTC's flushTop). */
export function flushedKept(i: i32, v: f32, zFloor: f64): bool {
  if (v == -Infinity) return false;
  const z = <f64>((v - fromM) * fromC);
  if (!(z > zFloor || (z == zFloor && i <= flushLast))) return false;
  return z < flushTop || (z == flushTop && i >= flushTopFirst);
}

/** Whether position i is kept, with e its stored e — or, where flushed, its z against zFloor. */
function keptOrFlushed(i: i32, zFloor: f64): bool {
  const e = storedE(i);
  if (e > 0) return keptAt(i, e);
  return flushedKept(i, load<f32>(fromX + ((<usize>i) << 2)), zFloor);
}

/** flushedReaching()'s least z and the last position at it. */
export let reachZ: f64 = Infinity;
export let reachAt = -1;

/** How many flushed positions the rule keeps have z ≥ zLeast (XTC's threshold below
 *  2^EXP_CUTOFF); leaves the least z among them in reachZ, the last position at it in reachAt. */
export function flushedReaching(len: i32, zLeast: f64): i32 {
  reachZ = Infinity;
  reachAt = -1;
  const zFloor = flushedFloor();
  if (zFloor == Infinity) return 0;
  let count = 0;
  for (let i = 0; i < len; i++) {
    if (storedE(i) > 0) continue;
    const v = load<f32>(fromX + ((<usize>i) << 2));
    if (!flushedKept(i, v, zFloor)) continue;
    const z = <f64>((v - fromM) * fromC);
    if (!(z >= zLeast)) continue;
    count++;
    if (z <= reachZ) {
      reachZ = z;
      reachAt = i;
    }
  }
  return count;
}

/**
 * Keeps, of the flushed positions the rule keeps, the `need` of largest z, ties by position
 * (minKeep when fewer than it have a stored e); 0 keeps none of them.
 */
export function keepTopFlushed(len: i32, need: i32): void {
  const zFloor = flushedFloor();
  if (zFloor == Infinity) return;
  if (need <= 0) {
    keepFlushed(Infinity, KEEP_ALL);
    return;
  }
  // AK ← the key of each: the bits of −z (> 53, so they order as −z does), AI ← its position.
  let w = 0;
  for (let i = 0; i < len; i++) {
    if (storedE(i) > 0) continue;
    const v = load<f32>(fromX + ((<usize>i) << 2));
    if (!flushedKept(i, v, zFloor)) continue;
    store<i32>(AK + ((<usize>w) << 2), reinterpret<i32>(-((v - fromM) * fromC)));
    store<i32>(AI + ((<usize>w) << 2), i);
    w++;
  }
  if (w <= need) return; // all of them
  const key = cutKeys(w, need);
  keepFlushed(-(<f64>reinterpret<f32>(key)), cutWhole ? KEEP_ALL : cutLast);
}

/** cutKeys()'s last position taken at the cut key, and whether no later one ties there. */
export let cutLast = -1;
export let cutWhole = true;

/**
 * The first `least` of the `count` gathered positions (AK their keys, smaller first; AI their
 * positions, ascending), ties at the boundary key in position order: returns that key, and
 * leaves the last position taken at it in cutLast (cutWhole: none after it ties). AM is
 * scratch. minKeep's cut, among stored e or among the flushed ones.
 */
export function cutKeys(count: i32, least: i32): i32 {
  // The least-th smallest key: the least-th largest of their complements.
  for (let j = 0; j < count; j++) store<u32>(AM + ((<usize>j) << 2), ~load<u32>(AK + ((<usize>j) << 2)));
  const key = <i32>~kthLargest(AM, count, least);
  let before = 0;
  for (let j = 0; j < count; j++) if (load<i32>(AK + ((<usize>j) << 2)) < key) before++;
  cutLast = -1;
  cutWhole = true;
  for (let j = 0; j < count; j++) {
    if (load<i32>(AK + ((<usize>j) << 2)) != key) continue;
    if (before == least) {
      cutWhole = false;
      break;
    }
    cutLast = load<i32>(AI + ((<usize>j) << 2));
    before++;
  }
  return key;
}

/**
 * Lists the kept positions as candidates: LIST ← their tokens (ascending), XL ← their logits
 * times `unscale` (an exact power of two that undoes a rescale); returns how many. The logits
 * are those E came from (keptFrom): x (dense: position = token) or, when `listed`, XL itself,
 * compacted in place (a write never passes the read). A stage that needs the kept set as
 * logits again — a temperature after a truncation, or a logit-domain cut after a mass-domain
 * one — starts from this list. Flushed positions the rule keeps are listed too.
 */
export function listKept(len: i32, listed: bool, unscale: f32): i32 {
  visitX = fromX;
  const zFloor = flushedFloor();
  if (zFloor == Infinity) return visitKept(len, listed, LIST_KEPT, unscale);
  let w = 0;
  for (let i = 0; i < len; i++) {
    if (!keptOrFlushed(i, zFloor)) continue;
    const at = (<usize>i) << 2;
    store<i32>(LIST + ((<usize>w) << 2), listed ? load<i32>(LIST + at) : i);
    store<f32>(XL + ((<usize>w) << 2), load<f32>(fromX + at) * unscale);
    w++;
  }
  return w;
}

/** The largest kept e: 1 while the candidates' maximum is kept, less once a band dropped it. */
export function keptMaxE(len: i32): f32 {
  visitTop = 0;
  visitKept(len, false, MAX_E, 0);
  return visitTop;
}

/** The probability of `token` as writeProbsKept() would write it: e/mass where kept, else 0.
 *  Listed positions hold ascending tokens, searched by bisection. */
export function keptProb(len: i32, listed: bool, token: i32, mass: f64): f32 {
  let i = token;
  if (listed) {
    let lo = 0,
      hi = len;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (load<i32>(LIST + ((<usize>mid) << 2)) < token) lo = mid + 1;
      else hi = mid;
    }
    if (lo >= len || load<i32>(LIST + ((<usize>lo) << 2)) != token) return 0;
    i = lo;
  }
  if (i >= len || load<f64>(BMASS + ((<usize>(i >> 6)) << 3)) == 0) return 0;
  const e = load<f32>(E + ((<usize>i) << 2));
  return keptAt(i, e) ? <f32>(<f64>e / mass) : 0;
}
