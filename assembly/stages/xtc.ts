// XTC, "exclude top choices" (llama.cpp, from text-generation-webui): with chance
// `probability`, remove every token with p ≥ threshold except the least likely of them — the
// last in the order p descending, token ascending — when at least two reach the threshold and
// minKeep tokens would remain. The coin is the call's second uniform (P_COIN, drawn before the
// draw's): XTC applies when it is below `probability`. probs() asks for both sides of the coin
// and mixes them (the wrapper); a draw asks for one.
//
// What it removes is an upper cut of the kept set: a ceiling on e with the position it starts
// from (kept.keepBelow). Over the dense logits with nothing else to truncate — XTC alone, or
// before a temperature (llama.cpp's order) — the kept set would cost a stored pass over the
// whole vocabulary; there the few removed tokens are listed instead (they are among the few
// above the threshold, found from the block maxima), and the draw and probs() skip them over
// the untruncated softmax's block masses: XTC then costs a few blocks, not a pass.
//
// A threshold below 2^-53 of the kept mass can reach tokens whose e was flushed to 0 (exp.ts):
// they are judged by z against the threshold's log2. Then every stored e reaches it too, and
// the one XTC keeps is the flushed token of least z: only flushed tokens remain
// (kept.keepBelowFlushed), and the chain lists them and measures them from their own maximum.
// That costs a pass over the positions, only at such a threshold; the dense path leaves it to
// the kept set.
import { P_COIN, ST_XTC } from '../abi';
import { getF64, param } from '../block';
import { listAtLeast } from '../candidates';
import { inPlace, Undo } from '../edits/undo';
import { exp2s, log2d } from '../exp';
import { keepBelow, keepBelowFlushed, keptAt } from '../kept';
import { BCUM, BLOCK, BMASS, E, EMAX, LIST, XL, XTC_BANS } from '../layout';
import { FLUSHED_E, flushedReaching, keptAtLeast, reachAt, reachZ, sumBlock } from '../mass';
import { blockAt, blockCount, logitBound } from '../scan';
import { minKeep } from './min-keep';

/** Whether this call's coin applies XTC. */
export function xtcApplies(): bool {
  return getF64(P_COIN) < param(ST_XTC, 0);
}

// The tokens that reach the threshold, as a scan meets them: how many, and the one XTC keeps.
let reached = 0;
let keepE: f32 = 0;
let keepAt = -1;

function startScan(): void {
  reached = 0;
  keepE = Infinity;
  keepAt = -1;
}

/** Counts a token at position i with e ≥ the threshold (positions ascending): the one kept is
 *  the least e, the last position among ties. */
function reach(i: i32, e: f32): void {
  reached++;
  if (e <= keepE) {
    keepE = e;
    keepAt = i;
  }
}

/** Whether removing all but one of the `reached` tokens leaves minKeep of the kept set. */
function leavesMinKeep(len: i32): bool {
  const k = minKeep();
  return k <= 1 || keptAtLeast(len, k + reached - 1);
}

/** Whether the last cutXtc() that applied kept only flushed tokens (the chain lists them). */
export let keptFlushed = false;

/** The e of the token the last cutXtc() that applied kept, where it stored one: the largest
 *  e it leaves. */
export function keptTopE(): f32 {
  return keepE;
}

/**
 * XTC over the kept set of `len` positions of mass `mass` (E, and EMAX in the SIMD build):
 * sets the ceiling when it applies; returns whether it did.
 */
export function cutXtc(len: i32, mass: f64): bool {
  const least = param(ST_XTC, 1) * mass;
  keptFlushed = false;
  startScan();
  const blocks = (len + BLOCK - 1) >> 6;
  for (let b = 0; b < blocks; b++) {
    if (load<f64>(BMASS + ((<usize>b) << 3)) == 0) continue;
    if (ASC_FEATURE_SIMD) {
      // A block whose largest e is below the threshold holds none of them: most blocks.
      const top = v128.load(EMAX + ((<usize>b) << 4));
      const t = max<f32>(
        max<f32>(f32x4.extract_lane(top, 0), f32x4.extract_lane(top, 1)),
        max<f32>(f32x4.extract_lane(top, 2), f32x4.extract_lane(top, 3)),
      );
      if (<f64>t < least) continue;
    }
    for (let j = 0; j < BLOCK; j++) {
      const i = (b << 6) + j;
      if (i >= len) break;
      const e = load<f32>(E + ((<usize>i) << 2));
      if (<f64>e >= least && keptAt(i, e)) reach(i, e);
    }
  }
  // Below 2^-53 the threshold may reach flushed tokens, by their z (every stored e reaches it).
  const flushed = least < <f64>FLUSHED_E ? flushedReaching(len, log2d(param(ST_XTC, 1)) + log2d(mass)) : 0;
  reached += flushed;
  if (reached < 2 || !leavesMinKeep(len)) return false;
  if (flushed > 0) keepBelowFlushed(reachZ, reachAt);
  else keepBelow(keepE, keepAt);
  keptFlushed = flushed > 0;
  return true;
}

// ---- over the dense logits -------------------------------------------------------------------

/** Most tokens the dense path removes; more (a threshold far below 1/64) take the kept set. */
const R_MAX = XTC_BANS;
/** The removed positions, ascending. */
const REMOVED = memory.data(R_MAX << 2, 16);
export let removedCount = 0;
/** The blocks holding removed tokens, ascending, and each one's mass minus its kept mass. */
const R_BLOCKS = memory.data(R_MAX << 2, 16);
const R_DELTA = memory.data(R_MAX << 3, 16);
let removedBlocks = 0;
/** One block's e, the removed ones zeroed or not, summed as the softmax pass sums a block. */
const ONE_BLOCK = memory.data(256, 16);

/** Forgets the last call's removed tokens. */
export function clearRemoved(): void {
  removedCount = 0;
  removedBlocks = 0;
}

/**
 * XTC over the dense logits x[0 .. n) (maximum m, BMAX from maxPass) at c, of total mass
 * `total`: lists the tokens it removes (none when it does not apply). False when they are more
 * than R_MAX, or the threshold lies below 2^-53 of the total: the caller then takes the kept
 * set's way. Needs minKeep ≤ 1.
 */
export function removeDense(x: usize, n: i32, m: f32, c: f32, total: f64): bool {
  clearRemoved();
  const least = param(ST_XTC, 1) * total;
  // It may reach tokens whose e is flushed: the kept set judges them (cutXtc).
  if (least < <f64>FLUSHED_E) return false;
  const count = listAtLeast(x, n, logitBound(m, c, <f32>(log2d(least) - 1)));
  startScan();
  for (let j = 0; j < count; j++) {
    const e = exp2s((load<f32>(XL + ((<usize>j) << 2)) - m) * c);
    if (<f64>e >= least) reach(load<i32>(LIST + ((<usize>j) << 2)), e);
  }
  if (reached < 2) return true;
  if (reached - 1 > R_MAX) return false;
  for (let j = 0; j < count; j++) {
    const i = load<i32>(LIST + ((<usize>j) << 2));
    const e = exp2s((load<f32>(XL + ((<usize>j) << 2)) - m) * c);
    if (<f64>e >= least && i != keepAt) {
      store<i32>(REMOVED + ((<usize>removedCount) << 2), i);
      removedCount++;
    }
  }
  return true;
}

/**
 * The kept mass of the dense logits at c (maximum m) once the removed tokens are left out,
 * from their total `total` (expSum, BCUM): each block holding removed tokens is summed again
 * with and without them, in the softmax pass's order, and the difference taken out — so no
 * float32 sum cancels against the removed mass. R_DELTA keeps the differences for the draw.
 */
export function keptDenseMass(x: usize, n: i32, m: f32, c: f32, total: f64): f64 {
  removedBlocks = 0;
  let out: f64 = 0;
  let r = 0;
  while (r < removedCount) {
    const b = load<i32>(REMOVED + ((<usize>r) << 2)) >> 6;
    const p = blockAt(x, n, b);
    for (let j = 0; j < BLOCK; j++)
      store<f32>(ONE_BLOCK + ((<usize>j) << 2), exp2s((load<f32>(p + ((<usize>j) << 2)) - m) * c));
    const all = sumBlock(ONE_BLOCK);
    for (; r < removedCount && load<i32>(REMOVED + ((<usize>r) << 2)) >> 6 == b; r++) {
      store<f32>(ONE_BLOCK + ((<usize>(load<i32>(REMOVED + ((<usize>r) << 2)) & (BLOCK - 1))) << 2), 0);
    }
    const delta = all - sumBlock(ONE_BLOCK);
    store<i32>(R_BLOCKS + ((<usize>removedBlocks) << 2), b);
    store<f64>(R_DELTA + ((<usize>removedBlocks) << 3), delta);
    removedBlocks++;
    out += delta;
  }
  return total - out;
}

/**
 * Bans the removed tokens in x (-Infinity, an edit that edits/undo.ts restores at the end of the
 * call when x is the caller's) and forgets them: for when nearly all the mass was removed, so
 * that keptDenseMass()'s difference has lost its bits and the kept e, measured from the removed
 * maximum, may be flushed to 0. The caller then starts again from the kept tokens' maximum.
 */
export function banRemoved(x: usize): void {
  for (let r = 0; r < removedCount; r++) {
    Undo.ban(x, load<i32>(REMOVED + ((<usize>r) << 2)), inPlace);
  }
  clearRemoved();
}

/** The kept mass of blocks 0 … b (BCUM less the removed mass up to b); 0 for b < 0. */
function keptUpTo(b: i32): f64 {
  if (b < 0) return 0;
  let cum = load<f64>(BCUM + ((<usize>b) << 3));
  for (let k = 0; k < removedBlocks && load<i32>(R_BLOCKS + ((<usize>k) << 2)) <= b; k++) {
    cum -= load<f64>(R_DELTA + ((<usize>k) << 3));
  }
  return cum;
}

/** The token drawn for target = u·(kept mass) from the dense logits at c (expSum's BCUM,
 *  keptDenseMass's differences): drawBlocks, skipping the removed tokens. */
export function drawDenseKept(x: usize, n: i32, m: f32, c: f32, target: f64): i32 {
  let lo = 0,
    hi = blockCount(n) - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keptUpTo(mid) > target) hi = mid;
    else lo = mid + 1;
  }
  let acc = keptUpTo(lo - 1);
  const p = blockAt(x, n, lo);
  let r = 0;
  while (r < removedCount && load<i32>(REMOVED + ((<usize>r) << 2)) < lo << 6) r++;
  let last = keepAt;
  for (let j = 0; j < BLOCK; j++) {
    const i = (lo << 6) + j;
    if (r < removedCount && load<i32>(REMOVED + ((<usize>r) << 2)) == i) {
      r++;
      continue;
    }
    const e = exp2s((load<f32>(p + ((<usize>j) << 2)) - m) * c);
    if (e == 0) continue;
    acc += <f64>e;
    last = i;
    if (acc > target) return i;
  }
  // Float rounding left the scan a hair short of the block's mass: its last kept token (the
  // one XTC keeps, should the block hold no other).
  return last;
}

/** XL[0 .. n) ← e/mass of every token, 0 for the removed ones (probs() over the dense logits). */
export function writeProbsDenseKept(x: usize, n: i32, m: f32, c: f32, mass: f64): void {
  let r = 0;
  for (let i = 0; i < n; i++) {
    let e = exp2s((load<f32>(x + ((<usize>i) << 2)) - m) * c);
    if (r < removedCount && load<i32>(REMOVED + ((<usize>r) << 2)) == i) {
      e = 0;
      r++;
    }
    store<f32>(XL + ((<usize>i) << 2), <f32>(<f64>e / mass));
  }
}
