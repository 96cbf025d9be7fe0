// Twin of assembly/select.ts: top-k by a sampled pivot and a filter; top-p and typical-p as a
// mass selection that leaves a rule per stage; the kept set is what every rule keeps.
import { BLOCK, PIVOT_SAMPLE, SAMPLE, SMALL_RANK, SMALL_SET, type Workspace } from './layout.js';
import { F32_MAX, filterAtLeast } from './scan.js';
import { sumBlock } from './softmax.js';
import { keyToFloat, orderKey, radixSelect, sortPairs } from './sort.js';

const fround = Math.fround;
export const ONE_BITS = 0x3f800000;
export const KEEP_ALL = 0x7fffffff;

/** w.list/w.xl ← every logit ≥ the k-th largest (ties kept; never a masked one), ascending;
 *  returns how many. 0 < k < n. */
export function buildTopK(w: Workspace, x: Float32Array, n: number, k: number): number {
  let count = 0;
  if (n >= SAMPLE * 4) {
    const lambda = (k * SAMPLE) / n;
    const rank = Math.round(lambda + 2 * Math.sqrt(lambda) + 2);
    count = filterAtLeast(w, x, n, samplePivot(w, x, n, Math.min(SAMPLE, rank)));
    if (count < k) count = filterAtLeast(w, x, n, samplePivot(w, x, n, Math.min(SAMPLE, 4 * rank + 16)));
  }
  if (count < k) count = filterAtLeast(w, x, n, -F32_MAX);
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

function samplePivot(w: Workspace, x: Float32Array, n: number, rank: number): number {
  const stride = Math.floor(n / SAMPLE);
  for (let s = 0; s < SAMPLE; s++) w.samplesF[s] = x[s * stride]!;
  for (let s = 0; s < SAMPLE; s++) w.samples[s] = orderKey(w.samplesF[s]!);
  return Math.max(keyToFloat(kthLargest(w, w.samples, SAMPLE, rank)), -F32_MAX);
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
  w.keepAbove = Math.max(minP, 1.401298464324817e-45);
  w.tieLast = -1;
  w.typicalOn = false;
  w.tKey = KEEP_ALL;
  w.tIndex = KEEP_ALL;
}

const tBuf = new Float32Array(1);
const tBits = new Int32Array(tBuf.buffer);

function keyT(w: Workspace, z: number): number {
  tBuf[0] = Math.abs(fround(z - w.tCenter));
  return tBits[0]!;
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
  tBits[0] = ONE_BITS - w.cutKey;
  const eCut = tBuf[0]!;
  if (w.cutComplete) w.keepAbove = Math.max(w.keepAbove, eCut);
  else {
    const floor = w.keepAbove;
    tBits[0] = tBits[0]! + 1;
    w.keepAbove = Math.max(floor, tBuf[0]!);
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

const BAND = 8;
const BELOW = 0;
const INSIDE = 1;
const TIES = 2;
const ABOVE = 3;

function massSelect(w: Workspace, kind: number, len: number, blockMasses: Float64Array, total: number, target: number) {
  w.cutMass = total;
  w.cutComplete = true;
  if (total > 0) {
    samplePivots(w, kind, len, blockMasses, total, false);
    const at = bandCenter(target, total);
    const kLo = pivotBelow(w, at),
      kHi = pivotAbove(w, at);
    let n = firstRound(w, kind, len, blockMasses, kLo, kHi);
    let base = 0;
    const region = pickRegion(w, base, target);
    if (region === TIES) return tieWalkDense(w, kind, len, blockMasses, kHi, base + w.massBelow + w.massInside, target);
    if (region === BELOW) n = narrowDense(w, kind, len, blockMasses, BELOW, kLo, kHi);
    else if (region === ABOVE) {
      base += w.massBelow + w.massInside + w.massAt;
      n = narrowDense(w, kind, len, blockMasses, ABOVE, kLo, kHi);
    } else base += w.massBelow;
    for (;;) {
      if (n <= SMALL_SET) return finishSmall(w, n, base, target);
      const mass = activeMasses(w, n);
      if (!(mass > 0)) break;
      samplePivots(w, kind, n, w.kmass, mass, true);
      const at2 = bandCenter(target - base, mass);
      const lo = pivotBelow(w, at2),
        hi = pivotAbove(w, at2);
      bandMasses(w, n, lo, hi);
      const r = pickRegion(w, base, target);
      if (r === TIES) return tieWalk(w, n, hi, base + w.massBelow + w.massInside, target);
      if (r === INSIDE) base += w.massBelow;
      else if (r === ABOVE) base += w.massBelow + w.massInside + w.massAt;
      n = narrow(w, n, r, lo, hi);
      if (n === 0) break;
    }
  }
  w.cutKey = KEEP_ALL;
  w.cutIndex = KEEP_ALL;
}

function pickRegion(w: Workspace, base: number, target: number): number {
  if (base + w.massBelow >= target) return BELOW;
  if (base + w.massBelow + w.massInside >= target) return INSIDE;
  if (base + w.massBelow + w.massInside + w.massAt >= target) return TIES;
  return ABOVE;
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

function activeMasses(w: Workspace, n: number): number {
  const blocks = Math.ceil(n / BLOCK);
  let total = 0;
  for (let b = 0; b < blocks; b++) {
    const mass = sumBlock(w.part, w.am, b * BLOCK);
    w.kmass[b] = mass;
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
  for (let s = 0; s < PIVOT_SAMPLE; s++) {
    const t = (s + 0.5) * step;
    while (b < blocks - 1 && cum + blockMasses[b]! <= t) cum += blockMasses[b++]!;
    let acc = cum;
    let pick = -1;
    const end = blockMasses[b] !== 0 ? Math.min(n, (b + 1) * BLOCK) : 0;
    for (let i = b * BLOCK; i < end; i++) {
      const m = active ? w.am[i]! : stageMass(w, kind, i);
      if (m !== 0) {
        pick = i;
        acc += m;
        if (acc > t) break;
      }
    }
    w.sortKeys[s] = pick < 0 ? KEEP_ALL - 1 : active ? w.ak[pick]! : stageKey(w, kind, pick);
  }
  sortPairs(w, w.sortKeys, w.sortVals, PIVOT_SAMPLE, w.sortKeys2, w.sortVals2);
}

/** Accumulates lane (i & 3) partials of one block's three band masses. */
class Lanes {
  readonly below = new Float32Array(4);
  readonly inside = new Float32Array(4);
  readonly at = new Float32Array(4);
  clear(): void {
    this.below.fill(0);
    this.inside.fill(0);
    this.at.fill(0);
  }
  add(l: number, k: number, m: number, kLo: number, kHi: number): void {
    if (k < kLo) this.below[l] = fround(this.below[l]! + m);
    else if (k < kHi) this.inside[l] = fround(this.inside[l]! + m);
    else if (k === kHi) this.at[l] = fround(this.at[l]! + m);
  }
  flush(w: Workspace): void {
    const b = this.below,
      i = this.inside,
      a = this.at;
    w.massBelow += b[0]! + b[1]! + (b[2]! + b[3]!);
    w.massInside += i[0]! + i[1]! + (i[2]! + i[3]!);
    w.massAt += a[0]! + a[1]! + (a[2]! + a[3]!);
  }
}
const lanes = new Lanes();

function inRegion(region: number, k: number, m: number, kLo: number, kHi: number): boolean {
  if (m === 0) return false;
  return region === BELOW ? k < kLo : region === INSIDE ? k >= kLo && k < kHi : k > kHi;
}

function firstRound(
  w: Workspace,
  kind: number,
  len: number,
  blockMasses: Float64Array,
  kLo: number,
  kHi: number,
): number {
  w.massBelow = w.massInside = w.massAt = 0;
  let out = 0;
  const blocks = Math.ceil(len / BLOCK);
  for (let b = 0; b < blocks; b++) {
    if (blockMasses[b] === 0) continue;
    lanes.clear();
    const end = Math.min(len, (b + 1) * BLOCK);
    for (let i = b * BLOCK; i < end; i++) {
      const k = stageKey(w, kind, i),
        m = stageMass(w, kind, i);
      lanes.add(i & 3, k, m, kLo, kHi);
      if (inRegion(INSIDE, k, m, kLo, kHi)) {
        w.ak[out] = k;
        w.am[out] = m;
        w.ai[out] = i;
        out++;
      }
    }
    lanes.flush(w);
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
  w.massBelow = w.massInside = w.massAt = 0;
  const blocks = Math.ceil(n / BLOCK);
  for (let b = 0; b < blocks; b++) {
    lanes.clear();
    for (let i = b * BLOCK; i < (b + 1) * BLOCK; i++) lanes.add(i & 3, w.ak[i]!, w.am[i]!, kLo, kHi);
    lanes.flush(w);
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
