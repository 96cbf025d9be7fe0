// Twin of assembly/select.ts: top-k by a sampled pivot and a filter; top-p and typical-p as a
// mass selection that leaves a rule per stage; the kept set is what every rule keeps.
import { bitsOf, float32AtMost, floatOf, nextUp } from '../../bits.js';
import { BLOCK, PIVOT_SAMPLE, SMALL_RANK, SMALL_SET, type Workspace } from './layout.js';
import { F32_MAX } from './scan.js';
import { blockMass, sumBlock } from './softmax.js';
import { keyToFloat, orderKey, radixSelect, sortPairs } from './sort.js';

const fround = Math.fround;
export const ONE_BITS = 0x3f800000;
export const KEEP_ALL = 0x7fffffff;
/** The least positive float32: e ≥ it means e > 0. */
export const LEAST_POSITIVE = 2 ** -149;

/** Twin of buildTopK() in assembly/select.ts: w.list/w.xl ← every logit ≥ the k-th largest
 *  (ties kept; never a masked one), ascending; returns how many. 0 < k < n; w.bmax from
 *  maxPass. */
export function buildTopK(w: Workspace, x: Float32Array, n: number, k: number): number {
  let count = filterBlocks(w, x, n, blockBound(w, n, k));
  if (count > k) {
    const keys = new Uint32Array(w.ak.buffer, 0, count);
    for (let j = 0; j < count; j++) keys[j] = orderKey(w.xl[j]!);
    const threshold = keyToFloat(kthLargest(w, keys, count, k));
    let out = 0;
    for (let j = 0; j < count; j++) {
      const v = w.xl[j]!;
      if (v >= threshold) {
        w.list[out] = w.list[j]!;
        w.xl[out] = v;
        out++;
      }
    }
    count = out;
  }
  return count;
}

/** Twin of blockBound() in assembly/select.ts: the k-th largest block maximum (w.bmax), or
 *  −F32_MAX when there are fewer than k blocks; never below −F32_MAX. */
function blockBound(w: Workspace, n: number, k: number): number {
  const blocks = Math.ceil(n / BLOCK);
  if (k > blocks) return -F32_MAX;
  const keys = new Uint32Array(w.ak.buffer, 0, blocks);
  for (let b = 0; b < blocks; b++) keys[b] = orderKey(w.bmax[b]!);
  return Math.max(keyToFloat(kthLargest(w, keys, blocks, k)), -F32_MAX);
}

/** Twin of filterBlocks() in assembly/select.ts: every logit ≥ t, from the blocks whose
 *  maximum reaches t. */
function filterBlocks(w: Workspace, x: Float32Array, n: number, t: number): number {
  let count = 0;
  for (let b = 0, blocks = Math.ceil(n / BLOCK); b < blocks; b++) {
    if (!(w.bmax[b]! >= t)) continue;
    for (let i = b * BLOCK, end = Math.min(n, i + BLOCK); i < end; i++) {
      const v = x[i]!;
      if (v >= t) {
        w.list[count] = i;
        w.xl[count] = v;
        count++;
      }
    }
  }
  return count;
}

/** Twin of topCandidates() in assembly/select.ts: every logit whose z can reach the k-th
 *  largest z, from the blocks reaching the widened k-th largest block maximum. */
export function topCandidates(w: Workspace, x: Float32Array, n: number, k: number, m: number, c: number): number {
  return filterBlocks(w, x, n, Math.max(widenedBound(blockBound(w, n, k), m, c), -F32_MAX));
}

/** Twin of widenedBound() in assembly/select.ts. */
function widenedBound(least: number, m: number, c: number): number {
  const zN = fround(fround(least - m) * c);
  return float32AtMost(m + (zN * (1 + 2 ** -21)) / c);
}

/** The k-th largest (1-based) of count keys in buf; may reorder buf. */
export function kthLargest(w: Workspace, buf: Uint32Array, count: number, k: number): number {
  if (k > SMALL_RANK) return radixSelect(w, buf, count, k);
  const heap = w.heap; // a min-heap of the k largest so far
  for (let i = 0; i < count; i++) {
    const key = buf[i]!;
    if (i < k) {
      let j = i;
      while (j > 0) {
        const parent = (j - 1) >> 1;
        const pk = heap[parent]!;
        if (pk <= key) break;
        heap[j] = pk;
        j = parent;
      }
      heap[j] = key;
    } else if (key > heap[0]!) {
      let j = 0;
      for (;;) {
        let c = 2 * j + 1;
        if (c >= k) break;
        let ck = heap[c]!;
        if (c + 1 < k && heap[c + 1]! < ck) ck = heap[++c]!;
        if (key <= ck) break;
        heap[j] = ck;
        j = c;
      }
      heap[j] = key;
    }
  }
  return heap[0]!;
}

// ---- the kept set ------------------------------------------------------------------------

export function resetRules(w: Workspace, minP: number): void {
  w.keepAbove = Math.max(minP, LEAST_POSITIVE);
  w.tieLast = -1;
  w.typicalOn = false;
  w.tKey = KEEP_ALL;
  w.tIndex = KEEP_ALL;
}

function keyT(w: Workspace, z: number): number {
  return bitsOf(Math.abs(fround(z - w.tCenter)));
}

/** Whether position i (e = w.e[i]) is kept by every stage's rule. */
export function keptAt(w: Workspace, i: number, e: number): boolean {
  if (!(e >= w.keepAbove || (e === w.tieValue && i <= w.tieLast))) return false;
  if (!w.typicalOn) return true;
  const t = keyT(w, w.z[i]!);
  return t < w.tKey || (t === w.tKey && i <= w.tIndex);
}

// ---- stages ------------------------------------------------------------------------------

const BY_MASS = 0;
const BY_TYPICALITY = 1;

function stageKey(w: Workspace, kind: number, i: number): number {
  return kind === BY_MASS ? ONE_BITS - w.eBits[i]! : keyT(w, w.z[i]!);
}

function stageMass(w: Workspace, kind: number, i: number): number {
  const e = w.e[i]!;
  return kind === BY_MASS || keptAt(w, i, e) ? e : 0;
}

export function cutTopP(w: Workspace, len: number, target: number, total: number): void {
  massSelect(w, BY_MASS, len, w.bmass, total, target);
  if (w.cutKey === KEEP_ALL) return;
  const eCut = floatOf(ONE_BITS - w.cutKey);
  if (w.cutComplete) w.keepAbove = Math.max(w.keepAbove, eCut);
  else {
    const floor = w.keepAbove;
    w.keepAbove = Math.max(floor, nextUp(eCut));
    if (eCut >= floor) {
      w.tieValue = eCut;
      w.tieLast = w.cutIndex;
    }
  }
}

export function cutTypical(w: Workspace, len: number, center: number, target: number, total: number): void {
  w.tCenter = center;
  massSelect(w, BY_TYPICALITY, len, w.kmass, total, target);
  w.typicalOn = true;
  w.tKey = w.cutKey;
  w.tIndex = w.cutIndex;
}

// ---- the mass selection ------------------------------------------------------------------

export const BAND = 8;
const BELOW = 0;
const INSIDE = 1;
const ABOVE = 2;
const EVERY = 3;

/** Twin of massSelect() in assembly/select.ts. */
function massSelect(w: Workspace, kind: number, len: number, blockMasses: Float64Array, total: number, target: number) {
  w.cutMass = total;
  w.cutComplete = true;
  if (total > 0 && len <= SMALL_SET)
    return finishSmall(w, narrowDense(w, kind, len, blockMasses, EVERY, 0, 0), 0, target);
  if (total > 0) {
    let base = 0;
    samplePivots(w, kind, len, blockMasses, total, false);
    let at = bandCenter(target, total);
    let kLo = pivotBelow(w, at),
      kHi = pivotAbove(w, at);
    let n = firstRound(w, kind, len, blockMasses, kLo, kHi);
    let mass = activeMasses(w, n);
    if (base + w.massBelow >= target) {
      n = narrowDense(w, kind, len, blockMasses, BELOW, kLo, kHi);
      mass = activeMasses(w, n);
    } else if (base + w.massBelow + mass >= target) {
      if (kLo === kHi) return tieWalkDense(w, kind, len, blockMasses, kHi, base + w.massBelow, target);
      base += w.massBelow;
    } else {
      base += w.massBelow + mass;
      n = narrowDense(w, kind, len, blockMasses, ABOVE, kLo, kHi);
      mass = activeMasses(w, n);
    }
    let single = false;
    for (;;) {
      if (n <= SMALL_SET) return finishSmall(w, n, base, target);
      if (!(mass > 0)) break;
      samplePivots(w, kind, n, w.amass, mass, true);
      at = bandCenter(target - base, mass);
      kHi = pivotAbove(w, at);
      kLo = single ? kHi : pivotBelow(w, at);
      bandMasses(w, n, kLo, kHi);
      let region = INSIDE;
      if (base + w.massBelow >= target) region = BELOW;
      else if (base + w.massUpTo >= target) {
        if (kLo === kHi) return tieWalk(w, n, kHi, base + w.massBelow, target);
        base += w.massBelow;
      } else {
        base += w.massUpTo;
        region = ABOVE;
      }
      const kept = narrow(w, n, region, kLo, kHi);
      single = kept === n;
      n = kept;
      if (n === 0) break;
      mass = activeMasses(w, n);
    }
  }
  w.cutKey = KEEP_ALL;
  w.cutIndex = KEEP_ALL;
}

function bandCenter(wanted: number, total: number): number {
  return Math.min(Math.max(Math.ceil((wanted / total) * PIVOT_SAMPLE) - 1, 0), PIVOT_SAMPLE - 1);
}
function pivotBelow(w: Workspace, at: number): number {
  return at - BAND <= 0 ? 0 : w.sortKeys[at - BAND]!;
}
function pivotAbove(w: Workspace, at: number): number {
  return w.sortKeys[Math.min(at + BAND, PIVOT_SAMPLE - 1)]!;
}

/** Twin of activeMasses() in assembly/select.ts: w.amass, not w.kmass (typical-p reads that). */
function activeMasses(w: Workspace, n: number): number {
  const blocks = Math.ceil(n / BLOCK);
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    const mass = sumBlock(w.part, w.am, b * BLOCK);
    w.amass[b] = mass;
    total += mass;
  }
  return total;
}

function samplePivots(
  w: Workspace,
  kind: number,
  n: number,
  blockMasses: Float64Array,
  total: number,
  active: boolean,
): void {
  const step = total / PIVOT_SAMPLE;
  const blocks = Math.ceil(n / BLOCK);
  let b = 0;
  let cum = 0;
  let i = 0;
  let acc = 0;
  let pick = -1;
  for (let s = 0; s < PIVOT_SAMPLE; s++) {
    const t = (s + 0.5) * step;
    while (acc <= t) {
      const bm = blockMasses[b]!;
      if ((bm === 0 || cum + bm <= t) && b < blocks - 1) {
        cum += bm;
        b++;
        i = b * BLOCK;
        acc = cum;
        continue;
      }
      if (i >= Math.min(n, (b + 1) * BLOCK)) {
        if (b >= blocks - 1) break;
        cum += blockMasses[b]!;
        b++;
        i = b * BLOCK;
        acc = cum;
        continue;
      }
      const m = active ? w.am[i]! : stageMass(w, kind, i);
      if (m !== 0) {
        pick = i;
        acc += m;
      }
      i++;
    }
    w.sortKeys[s] = pick < 0 ? KEEP_ALL - 1 : active ? w.ak[pick]! : stageKey(w, kind, pick);
  }
  sortPairs(w, w.sortKeys, w.sortVals, PIVOT_SAMPLE, w.sortKeys2, w.sortVals2);
}

/** The band masses' partial sums of one block (partial i & 15, as softmax.ts sums a block). */
const below = new Float32Array(16);
const upTo = new Float32Array(16);

function addLane(i: number, k: number, m: number, kLo: number, kHi: number): void {
  const p = i & 15;
  if (k < kLo) below[p] = fround(below[p]! + m);
  if (k <= kHi) upTo[p] = fround(upTo[p]! + m);
}

function flushLanes(w: Workspace): void {
  w.massBelow += blockMass(below);
  w.massUpTo += blockMass(upTo);
  below.fill(0);
  upTo.fill(0);
}

function inRegion(region: number, k: number, m: number, kLo: number, kHi: number): boolean {
  if (m === 0) return false;
  if (region === EVERY) return true;
  return region === BELOW ? k < kLo : region === INSIDE ? k >= kLo && k <= kHi : k > kHi;
}

function firstRound(
  w: Workspace,
  kind: number,
  len: number,
  blockMasses: Float64Array,
  kLo: number,
  kHi: number,
): number {
  w.massBelow = w.massUpTo = 0;
  below.fill(0);
  upTo.fill(0);
  let out = 0;
  const blocks = Math.ceil(len / BLOCK);
  for (let b = 0; b < blocks; b++) {
    if (blockMasses[b] === 0) continue;
    const end = Math.min(len, (b + 1) * BLOCK);
    for (let i = b * BLOCK; i < end; i++) {
      const k = stageKey(w, kind, i),
        m = stageMass(w, kind, i);
      addLane(i, k, m, kLo, kHi);
      if (inRegion(INSIDE, k, m, kLo, kHi)) {
        w.ak[out] = k;
        w.am[out] = m;
        w.ai[out] = i;
        out++;
      }
    }
    flushLanes(w);
  }
  return padActive(w, out);
}

function narrowDense(
  w: Workspace,
  kind: number,
  len: number,
  blockMasses: Float64Array,
  region: number,
  kLo: number,
  kHi: number,
): number {
  let out = 0;
  const blocks = Math.ceil(len / BLOCK);
  for (let b = 0; b < blocks; b++) {
    if (blockMasses[b] === 0) continue;
    const end = Math.min(len, (b + 1) * BLOCK);
    for (let i = b * BLOCK; i < end; i++) {
      const k = stageKey(w, kind, i),
        m = stageMass(w, kind, i);
      if (inRegion(region, k, m, kLo, kHi)) {
        w.ak[out] = k;
        w.am[out] = m;
        w.ai[out] = i;
        out++;
      }
    }
  }
  return padActive(w, out);
}

function padActive(w: Workspace, n: number): number {
  w.am.fill(0, n, n + BLOCK);
  return n;
}

function bandMasses(w: Workspace, n: number, kLo: number, kHi: number): void {
  w.massBelow = w.massUpTo = 0;
  below.fill(0);
  upTo.fill(0);
  const blocks = Math.ceil(n / BLOCK);
  for (let b = 0; b < blocks; b++) {
    for (let i = b * BLOCK; i < (b + 1) * BLOCK; i++) addLane(i, w.ak[i]!, w.am[i]!, kLo, kHi);
    flushLanes(w);
  }
}

function narrow(w: Workspace, n: number, region: number, kLo: number, kHi: number): number {
  let out = 0;
  for (let j = 0; j < n; j++) {
    const k = w.ak[j]!,
      m = w.am[j]!;
    if (inRegion(region, k, m, kLo, kHi)) {
      w.ai[out] = w.ai[j]!;
      w.ak[out] = k;
      w.am[out] = m;
      out++;
    }
  }
  return padActive(w, out);
}

function tieWalk(w: Workspace, n: number, key: number, base: number, target: number): void {
  let acc = base;
  let last = -1;
  let found = false;
  for (let j = 0; j < n; j++) {
    if (w.ak[j] !== key) continue;
    const m = w.am[j]!;
    if (m === 0) continue;
    if (found) {
      w.cutComplete = false;
      break;
    }
    last = w.ai[j]!;
    acc += m;
    if (acc >= target) found = true;
  }
  w.cutKey = key;
  w.cutIndex = last;
  w.cutMass = acc;
}

function tieWalkDense(
  w: Workspace,
  kind: number,
  len: number,
  blockMasses: Float64Array,
  key: number,
  base: number,
  target: number,
): void {
  let acc = base;
  let last = -1;
  let found = false;
  const blocks = Math.ceil(len / BLOCK);
  outer: for (let b = 0; b < blocks; b++) {
    if (blockMasses[b] === 0) continue;
    const end = Math.min(len, (b + 1) * BLOCK);
    for (let i = b * BLOCK; i < end; i++) {
      if (stageKey(w, kind, i) !== key) continue;
      const m = stageMass(w, kind, i);
      if (m === 0) continue;
      if (found) {
        w.cutComplete = false;
        break outer;
      }
      last = i;
      acc += m;
      if (acc >= target) found = true;
    }
  }
  w.cutKey = key;
  w.cutIndex = last;
  w.cutMass = acc;
}

function finishSmall(w: Workspace, n: number, base: number, target: number): void {
  for (let j = 0; j < n; j++) {
    w.sortKeys[j] = w.ak[j]!;
    w.sortVals[j] = j;
  }
  sortPairs(w, w.sortKeys, w.sortVals, n, w.sortKeys2, w.sortVals2);
  let acc = base;
  for (let r = 0; r < n; r++) {
    const j = w.sortVals[r]!;
    acc += w.am[j]!;
    if (acc >= target) {
      w.cutKey = w.sortKeys[r]!;
      w.cutIndex = w.ai[j]!;
      w.cutMass = acc;
      w.cutComplete = r + 1 === n || w.sortKeys[r + 1] !== w.cutKey;
      return;
    }
  }
  w.cutKey = KEEP_ALL;
  w.cutIndex = KEEP_ALL;
}
