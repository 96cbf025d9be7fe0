// The mass selection: the smallest prefix of positions, in the order of a key, whose mass
// reaches a target — what top-p (key: e descending) and typical-p (key: closeness to a centre)
// keep — found without sorting the vocabulary. Each round draws a small sample in proportion
// to mass (so a few heavy tokens are seen, not missed), sorts it, reads a band around the cut
// off it, measures the masses below, inside and at the top of the band in one vector pass, and
// keeps only the part that holds the cut. Every round removes at least one sampled key, and
// usually all but a few percent of the mass. The outcome is a cut (a key and a position for
// ties) that the stage turns into a rule of the kept set (kept.ts).

import { bandCenter, bandKeyOf, KEEP_ALL, keptAt, keptLanes, LEAST_POSITIVE, ONE_BITS } from './kept';
import {
  AI,
  AK,
  AM,
  AMASS,
  BLOCK,
  E,
  EMAX,
  PIVOT_SAMPLE,
  SMALL_SET,
  SORT_KEYS,
  SORT_KEYS2,
  SORT_VALS,
  SORT_VALS2,
  Z,
} from './layout';
import { sumBlock } from './mass';
import { blockMass } from './softmax';
import { sortPairs } from './sort';

/** Orders a selection can follow. */
export const BY_MASS = 0; // e descending, every position (nothing tightened the kept set yet)
export const BY_KEPT_MASS = 1; // e descending, the kept positions only
export const BY_BAND = 2; // |z − bandCenter| ascending, the kept positions only

function keyP(e: f32): i32 {
  return ONE_BITS - reinterpret<i32>(e);
}

/** Keys and masses in a selection's order, position by position (positions a stage does not
 *  consider weigh 0). */
class Key {
  @inline static of(kind: i32, i: i32, e: f32): i32 {
    return kind == BY_BAND ? bandKeyOf(load<f32>(Z + ((<usize>i) << 2))) : keyP(e);
  }
  @inline static mass(kind: i32, i: i32, e: f32): f32 {
    return kind == BY_MASS || keptAt(i, e) ? e : 0;
  }
  @inline static lanes(kind: i32, i: i32, e: v128): v128 {
    if (kind != BY_BAND) return i32x4.sub(i32x4.splat(ONE_BITS), e);
    return v128.and(f32x4.sub(v128.load(Z + ((<usize>i) << 2)), f32x4.splat(bandCenter)), i32x4.splat(0x7fffffff));
  }
  @inline static masses(kind: i32, i: i32, e: v128): v128 {
    return kind == BY_MASS ? e : v128.and(e, keptLanes(i, e));
  }
}

// ---- the mass selection ------------------------------------------------------------------

/** The result of select(): keep the positions whose key is below cutKey, and those whose
 *  key equals it up to position cutIndex; cutMass is the mass of that prefix as the selection
 *  summed it. */
export let cutKey: i32 = KEEP_ALL;
export let cutIndex: i32 = KEEP_ALL;
/** Whether no position after cutIndex has the cut key (the tie group ends at the cut). */
export let cutComplete = true;
export let cutMass: f64 = 0;

/** The least half-width, in sampled keys, of the band a round keeps (see halfWidth). */
const BAND_MIN: i32 = 2;

/** Regions of a round: key < kLo, kLo ≤ key ≤ kHi, key > kHi, and every key. */
const BELOW = 0;
const INSIDE = 1;
const ABOVE = 2;
const EVERY = 3;

/**
 * Finds the smallest prefix of the positions 0 … len-1, ordered by the stage's key then
 * position, whose mass reaches target; sets cutKey, cutIndex, cutComplete and cutMass.
 * Each round measures, in one pass, the mass below a band of keys and the mass up to its top,
 * and keeps the region that holds the cut. The first round reads E (and Z) directly,
 * skipping blocks whose mass in `blockMasses` is 0, and packs the band into AK/AM/AI as it
 * goes (the band is where the cut usually is); later rounds narrow AK/AM/AI in place. A round
 * that keeps everything is followed by one whose band is a single key, which always makes
 * progress or ends in that key's ties. When even all positions fall short of the target
 * (float rounding), keeps all.
 */
export function select(kind: i32, len: i32, blockMasses: usize, total: f64, target: f64): void {
  cutMass = total;
  cutComplete = true;
  if (total > 0 && len <= SMALL_SET) {
    // A short list (top-k, min-p candidates): sort it outright.
    finishSmall(narrowDense(kind, len, blockMasses, EVERY, 0, 0), 0, target);
    return;
  }
  if (total > 0) {
    let base: f64 = 0; // mass of every position ordered before the ones still in play
    samplePivots(kind, len, blockMasses, total, false);
    let at = pivotIndex(target, total);
    let kLo = pivotBelow(at),
      kHi = pivotAbove(at);
    let n = firstRound(kind, len, blockMasses, kLo, kHi);
    let mass = activeMasses(n); // the band's
    if (base + massBelow >= target) {
      n = narrowDense(kind, len, blockMasses, BELOW, kLo, kHi);
      mass = activeMasses(n);
    } else if (base + massBelow + mass >= target) {
      if (kLo == kHi) {
        // The band is that one key's positions, listed in position order: walk the list.
        tieWalk(n, kHi, base + massBelow, target);
        return;
      }
      base += massBelow;
    } else {
      base += massBelow + mass;
      n = narrowDense(kind, len, blockMasses, ABOVE, kLo, kHi);
      mass = activeMasses(n);
    }
    let single = false; // the last round kept everything: split at one key next
    for (;;) {
      if (n <= SMALL_SET) {
        finishSmall(n, base, target);
        return;
      }
      if (!(mass > 0)) break;
      samplePivots(kind, n, AMASS, mass, true);
      at = pivotIndex(target - base, mass);
      kHi = pivotAbove(at);
      kLo = single ? kHi : pivotBelow(at);
      bandMasses(n, kLo, kHi);
      let region = INSIDE;
      if (base + massBelow >= target) region = BELOW;
      else if (base + massUpTo >= target) {
        if (kLo == kHi) {
          tieWalk(n, kHi, base + massBelow, target);
          return;
        }
        base += massBelow;
      } else {
        base += massUpTo;
        region = ABOVE;
      }
      const kept = narrow(n, region, kLo, kHi);
      single = kept == n;
      n = kept;
      if (n == 0) break;
      mass = activeMasses(n);
    }
  }
  // Every position together falls short of the target (rounding): keep them all.
  cutKey = KEEP_ALL;
  cutIndex = KEEP_ALL;
}

/** The sampled key the cut is expected at: the mass still wanted, in sample units. */
function pivotIndex(wanted: f64, total: f64): i32 {
  return min<i32>(max<i32>(<i32>Math.ceil((wanted / total) * PIVOT_SAMPLE) - 1, 0), PIVOT_SAMPLE - 1);
}
/**
 * Half-width, in sampled keys, of the band around sampled key `at`. The cut's position among
 * PIVOT_SAMPLE mass-weighted samples is binomial: its standard deviation is √(S·q(1 − q)) keys
 * at quantile q, 8 in the middle but 1.6 at top-p 0.99. A band of one standard deviation
 * holds the cut about as often everywhere; a fixed 8 made the tail bands (where the light
 * tokens are, tens of thousands per key at 128k) five times wider than they need be.
 */
function halfWidth(at: i32): i32 {
  const q = (<f64>at + 0.5) / <f64>PIVOT_SAMPLE;
  return max<i32>(BAND_MIN, <i32>Math.ceil(Math.sqrt(<f64>PIVOT_SAMPLE * q * (1 - q))));
}
function pivotBelow(at: i32): i32 {
  const h = halfWidth(at);
  return at - h <= 0 ? 0 : load<i32>(SORT_KEYS + ((<usize>(at - h)) << 2));
}
function pivotAbove(at: i32): i32 {
  return load<i32>(SORT_KEYS + ((<usize>min<i32>(at + halfWidth(at), PIVOT_SAMPLE - 1)) << 2));
}

/** AMASS ← the mass of AM's blocks (summed as softmax.ts sums a block); returns the total.
 *  Not KMASS: typical-p's selection still reads that (the kept mass of the stage's blocks). */
function activeMasses(n: i32): f64 {
  const blocks = (n + BLOCK - 1) >> 6;
  let total: f64 = 0;
  for (let b = 0; b < blocks; b++) {
    const mass = sumBlock(AM + ((<usize>b) << 8));
    store<f64>(AMASS + ((<usize>b) << 3), mass);
    total += mass;
  }
  return total;
}

class Pivot {
  /** The mass samplePivots weighs position i by. */
  @inline static mass(kind: i32, active: bool, i: i32): f32 {
    return active ? load<f32>(AM + ((<usize>i) << 2)) : Key.mass(kind, i, load<f32>(E + ((<usize>i) << 2)));
  }
}

/**
 * SORT_KEYS[0 .. PIVOT_SAMPLE) ← the keys of the positions where the running mass crosses
 * (i + ½)·total/PIVOT_SAMPLE, sorted: each sampled key stands for the same mass, so the i-th
 * sorted key estimates where the first (i + ½)/PIVOT_SAMPLE of the mass ends, however
 * unevenly the mass is spread (a strided sample would miss a few heavy tokens). Reads the
 * positions in play (AK/AM) when `active`, else the stage's own keys and masses.
 */
function samplePivots(kind: i32, n: i32, blockMasses: usize, total: f64, active: bool): void {
  const step = total / PIVOT_SAMPLE;
  const blocks = (n + BLOCK - 1) >> 6;
  // One forward walk: past every block whose mass ends at or below the next target, then
  // position by position inside the block where it ends; the targets ascend, so nothing is
  // visited twice.
  let b = 0;
  let cum: f64 = 0; // mass of the blocks before b
  let i = 0; // next position of block b to add
  let acc: f64 = 0; // cum plus the positions of block b before i
  let pick = -1;
  for (let s = 0; s < PIVOT_SAMPLE; s++) {
    const t = (<f64>s + 0.5) * step;
    while (acc <= t) {
      const bm = load<f64>(blockMasses + ((<usize>b) << 3));
      if ((bm == 0 || cum + bm <= t) && b < blocks - 1) {
        cum += bm;
        b++;
        i = b << 6;
        acc = cum;
        continue;
      }
      if (i >= min<i32>(n, (b + 1) << 6)) {
        if (b >= blocks - 1) break;
        cum += load<f64>(blockMasses + ((<usize>b) << 3));
        b++;
        i = b << 6;
        acc = cum;
        continue;
      }
      // Four positions at once while the target lies beyond them: one add to the running
      // mass instead of four in a row (its latency is what this walk waits on).
      if ((i & 3) == 0 && i + 4 <= n) {
        const m0 = Pivot.mass(kind, active, i),
          m1 = Pivot.mass(kind, active, i + 1),
          m2 = Pivot.mass(kind, active, i + 2),
          m3 = Pivot.mass(kind, active, i + 3);
        const four = <f64>m0 + <f64>m1 + (<f64>m2 + <f64>m3);
        if (acc + four <= t) {
          acc += four;
          if (m3 != 0) pick = i + 3;
          else if (m2 != 0) pick = i + 2;
          else if (m1 != 0) pick = i + 1;
          else if (m0 != 0) pick = i;
          i += 4;
          continue;
        }
      }
      const m = Pivot.mass(kind, active, i);
      if (m != 0) {
        pick = i;
        acc += <f64>m;
      }
      i++;
    }
    let key = KEEP_ALL - 1;
    if (pick >= 0) {
      key = active ? load<i32>(AK + ((<usize>pick) << 2)) : Key.of(kind, pick, load<f32>(E + ((<usize>pick) << 2)));
    }
    store<i32>(SORT_KEYS + ((<usize>s) << 2), key);
  }
  sortPairs(SORT_KEYS, SORT_VALS, PIVOT_SAMPLE, SORT_KEYS2, SORT_VALS2);
}

/** Set by the band passes: masses of the positions in play with key < kLo, and with
 *  key ≤ kHi, each summed block by block exactly as softmax.ts sums a block of e. */
let massBelow: f64 = 0;
let massUpTo: f64 = 0;

/** Byte shuffles that move the lanes picked by a 4-bit mask to the front (the rest 0). */
const PACK = memory.data<u8>(
  [
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 128, 128, 128, 128, 128,
    128, 128, 128, 128, 128, 128, 128, 4, 5, 6, 7, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2,
    3, 4, 5, 6, 7, 128, 128, 128, 128, 128, 128, 128, 128, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128, 128,
    128, 128, 128, 0, 1, 2, 3, 8, 9, 10, 11, 128, 128, 128, 128, 128, 128, 128, 128, 4, 5, 6, 7, 8, 9, 10, 11, 128, 128,
    128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 128, 128, 128, 128, 12, 13, 14, 15, 128, 128,
    128, 128, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128,
    128, 4, 5, 6, 7, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 4, 5, 6, 7, 12, 13, 14, 15,
    128, 128, 128, 128, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128, 128, 128, 128, 128, 0, 1, 2, 3, 8, 9, 10, 11,
    12, 13, 14, 15, 128, 128, 128, 128, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 128, 128, 128, 128, 0, 1, 2, 3, 4, 5,
    6, 7, 8, 9, 10, 11, 12, 13, 14, 15,
  ],
  16,
);

/** Appends the lanes of (key, mass, position) picked by `bits` at AK/AM/AI + w; returns the
 *  new count. Writes four lanes whatever the count: the regions have a block of slack. */
function pack(w: i32, bits: i32, k: v128, m: v128, pos: v128): i32 {
  const shuffle = v128.load(PACK + ((<usize>bits) << 4));
  const to = (<usize>w) << 2;
  v128.store(AK + to, i8x16.swizzle(k, shuffle));
  v128.store(AM + to, i8x16.swizzle(m, shuffle));
  v128.store(AI + to, i8x16.swizzle(pos, shuffle));
  return w + <i32>popcnt<u32>(bits);
}

/** True when a position (key k, mass m) of the region stays in play. */
function inRegion(region: i32, k: i32, m: f32, kLo: i32, kHi: i32): bool {
  if (m == 0) return false;
  if (region == EVERY) return true;
  return region == BELOW ? k < kLo : region == INSIDE ? k >= kLo && k <= kHi : k > kHi;
}

/** The scalar build's partial sums of one block: 16 for the mass below, 16 up to the top. */
const LANE_SUMS = memory.data(128, 16);

function addLane(i: i32, k: i32, m: f32, kLo: i32, kHi: i32): void {
  const at = LANE_SUMS + ((<usize>(i & 15)) << 2);
  if (k < kLo) store<f32>(at, load<f32>(at) + m);
  if (k <= kHi) store<f32>(at, load<f32>(at, 64) + m, 64);
}

function flushLanes(): void {
  massBelow += sumBlockOfPartials(LANE_SUMS);
  massUpTo += sumBlockOfPartials(LANE_SUMS + 64);
  memory.fill(LANE_SUMS, 0, 128);
}

/** blockMass of 16 partial sums stored at p. */
function sumBlockOfPartials(p: usize): f64 {
  let s: f64 = 0;
  let q0: f32 = 0;
  for (let l = 0; l < 4; l++) {
    const q =
      load<f32>(p + ((<usize>l) << 2)) +
      load<f32>(p + ((<usize>(l + 4)) << 2)) +
      (load<f32>(p + ((<usize>(l + 8)) << 2)) + load<f32>(p + ((<usize>(l + 12)) << 2)));
    if ((l & 1) == 0) q0 = q;
    else s += <f64>q0 + <f64>q;
  }
  return s;
}

/**
 * The first round, straight from E: the mass below the band (massBelow) and, since the band
 * is where the cut usually lies, its positions packed into AK/AM/AI; returns how many (their
 * mass is then summed from AM). Top-p compares e itself
 * with the band's edges (key < kLo ⟺ e > eLo, key ≤ kHi ⟺ e ≥ eHi), in the loop shape of
 * softmax.ts.
 */
function firstRound(kind: i32, len: i32, blockMasses: usize, kLo: i32, kHi: i32): i32 {
  massBelow = 0;
  let w = 0;
  const blocks = (len + BLOCK - 1) >> 6;
  if (ASC_FEATURE_SIMD && kind == BY_MASS) {
    const eLo = f32x4.splat(reinterpret<f32>(ONE_BITS - kLo));
    // A top key beyond every real one (an unsampled slot) stands for "every e > 0".
    const eHi = f32x4.splat(max<f32>(reinterpret<f32>(ONE_BITS - kHi), LEAST_POSITIVE));
    const zero = f32x4.splat(0);
    for (let b = 0; b < blocks; b++) {
      // Skipped whole: a block of mass 0, or whose every e is below the band (EMAX), which
      // adds nothing to massBelow and lists nothing — most blocks, for the nucleus of a real
      // model. (blockMasses is BMASS here, written with EMAX by expStore.)
      const top = v128.load(EMAX + ((<usize>b) << 4));
      if (load<f64>(blockMasses + ((<usize>b) << 3)) == 0 || !v128.any_true(f32x4.ge(top, eHi))) continue;
      const p = E + ((<usize>b) << 8);
      // The band's lanes as 64 bits, listed after the block: packing each group of 16 as it
      // comes costs a shuffle per lane and a branch that a band of a few percent of the
      // tokens makes unpredictable.
      let bits: u64 = 0;
      if (v128.any_true(f32x4.gt(top, eLo))) {
        let b0 = zero,
          b1 = zero,
          b2 = zero,
          b3 = zero;
        for (let o: usize = 0; o < 256; o += 64) {
          const e0 = v128.load(p + o),
            e1 = v128.load(p + o, 16),
            e2 = v128.load(p + o, 32),
            e3 = v128.load(p + o, 48);
          const g0 = f32x4.gt(e0, eLo),
            g1 = f32x4.gt(e1, eLo),
            g2 = f32x4.gt(e2, eLo),
            g3 = f32x4.gt(e3, eLo);
          b0 = f32x4.add(b0, v128.and(e0, g0));
          b1 = f32x4.add(b1, v128.and(e1, g1));
          b2 = f32x4.add(b2, v128.and(e2, g2));
          b3 = f32x4.add(b3, v128.and(e3, g3));
          bits |= Band.bits(
            v128.andnot(f32x4.ge(e0, eHi), g0),
            v128.andnot(f32x4.ge(e1, eHi), g1),
            v128.andnot(f32x4.ge(e2, eHi), g2),
            v128.andnot(f32x4.ge(e3, eHi), g3),
            o,
          );
        }
        massBelow += blockMass(b0, b1, b2, b3);
      } else {
        // No e above the band: nothing for massBelow (whose sum adding 0 leaves as it is),
        // and the band is every e that reaches its bottom edge.
        for (let o: usize = 0; o < 256; o += 64) {
          bits |= Band.bits(
            f32x4.ge(v128.load(p + o), eHi),
            f32x4.ge(v128.load(p + o, 16), eHi),
            f32x4.ge(v128.load(p + o, 32), eHi),
            f32x4.ge(v128.load(p + o, 48), eHi),
            o,
          );
        }
      }
      w = listBand(w, b, bits);
    }
    return padActive(w);
  }
  if (ASC_FEATURE_SIMD && kind == BY_BAND) return firstBandRound(len, blockMasses, kLo, kHi);
  return narrowDense(kind, len, blockMasses, INSIDE, kLo, kHi, true);
}

/** Appends the positions of block b whose bits are set to AK/AM/AI (key, e, position), in
 *  position order; returns the new count. */
function listBand(w: i32, b: i32, bits: u64): i32 {
  while (bits != 0) {
    const i = (b << 6) + <i32>ctz<u64>(bits);
    const e = load<f32>(E + ((<usize>i) << 2));
    const to = (<usize>w) << 2;
    store<i32>(AK + to, keyP(e));
    store<f32>(AM + to, e);
    store<i32>(AI + to, i);
    w++;
    bits &= bits - 1;
  }
  return w;
}

/**
 * firstRound for typical-p's band order, four lanes at a time: the key |z − centre| and the
 * kept mass of each lane (Key.lanes/masses, what Key.of/mass give position by position), the
 * mass below the band summed lane by lane as addLane()/flushLanes() sum it in the scalar
 * build, and the band's positions packed in position order. No block is skipped by its EMAX:
 * the band's order is not e's.
 */
function firstBandRound(len: i32, blockMasses: usize, kLo: i32, kHi: i32): i32 {
  const vLo = i32x4.splat(kLo),
    vHi = i32x4.splat(kHi),
    zero = f32x4.splat(0),
    step = i32x4(0, 1, 2, 3);
  let w = 0;
  const blocks = (len + BLOCK - 1) >> 6;
  for (let b = 0; b < blocks; b++) {
    if (load<f64>(blockMasses + ((<usize>b) << 3)) == 0) continue;
    let b0 = zero,
      b1 = zero,
      b2 = zero,
      b3 = zero;
    for (let j = 0; j < BLOCK; j += 16) {
      const i = (b << 6) + j;
      const e0 = v128.load(E + ((<usize>i) << 2)),
        e1 = v128.load(E + ((<usize>i) << 2), 16),
        e2 = v128.load(E + ((<usize>i) << 2), 32),
        e3 = v128.load(E + ((<usize>i) << 2), 48);
      const k0 = Key.lanes(BY_BAND, i, e0),
        k1 = Key.lanes(BY_BAND, i + 4, e1),
        k2 = Key.lanes(BY_BAND, i + 8, e2),
        k3 = Key.lanes(BY_BAND, i + 12, e3);
      const m0 = Key.masses(BY_BAND, i, e0),
        m1 = Key.masses(BY_BAND, i + 4, e1),
        m2 = Key.masses(BY_BAND, i + 8, e2),
        m3 = Key.masses(BY_BAND, i + 12, e3);
      b0 = f32x4.add(b0, v128.and(m0, i32x4.lt_s(k0, vLo)));
      b1 = f32x4.add(b1, v128.and(m1, i32x4.lt_s(k1, vLo)));
      b2 = f32x4.add(b2, v128.and(m2, i32x4.lt_s(k2, vLo)));
      b3 = f32x4.add(b3, v128.and(m3, i32x4.lt_s(k3, vLo)));
      const pos = i32x4.add(i32x4.splat(i), step);
      w = Band.pack(w, k0, m0, pos, vLo, vHi, zero);
      w = Band.pack(w, k1, m1, i32x4.add(pos, i32x4.splat(4)), vLo, vHi, zero);
      w = Band.pack(w, k2, m2, i32x4.add(pos, i32x4.splat(8)), vLo, vHi, zero);
      w = Band.pack(w, k3, m3, i32x4.add(pos, i32x4.splat(12)), vLo, vHi, zero);
    }
    massBelow += blockMass(b0, b1, b2, b3);
  }
  return padActive(w);
}

class Band {
  /** The 16 lanes of four lane masks as bits, shifted to the group's place in its block (the
   *  group starts `o` bytes into it). */
  @inline static bits(m0: v128, m1: v128, m2: v128, m3: v128, o: usize): u64 {
    const bytes = i8x16.narrow_i16x8_s(i16x8.narrow_i32x4_s(m0, m1), i16x8.narrow_i32x4_s(m2, m3));
    return (<u64>i8x16.bitmask(bytes)) << (<u64>o >> 2);
  }
  /** Packs the lanes with kLo ≤ key ≤ kHi and a mass above 0 (inRegion's INSIDE). */
  @inline static pack(w: i32, k: v128, m: v128, pos: v128, vLo: v128, vHi: v128, zero: v128): i32 {
    const inside = v128.and(v128.andnot(i32x4.le_s(k, vHi), i32x4.lt_s(k, vLo)), f32x4.ne(m, zero));
    const bits = i32x4.bitmask(inside);
    return bits ? pack(w, bits, k, m, pos) : w;
  }
}

/** The positions of one region, packed from E into AK/AM/AI; returns how many. With `sums`
 *  (the first round's scalar path), also adds every position to massBelow and massUpTo. */
function narrowDense(
  kind: i32,
  len: i32,
  blockMasses: usize,
  region: i32,
  kLo: i32,
  kHi: i32,
  sums: bool = false,
): i32 {
  let w = 0;
  if (sums) memory.fill(LANE_SUMS, 0, 128);
  const blocks = (len + BLOCK - 1) >> 6;
  for (let b = 0; b < blocks; b++) {
    if (load<f64>(blockMasses + ((<usize>b) << 3)) == 0) continue;
    for (let j = 0; j < BLOCK; j++) {
      const i = (b << 6) + j;
      const e = load<f32>(E + ((<usize>i) << 2));
      const k = Key.of(kind, i, e),
        m = Key.mass(kind, i, e);
      if (sums) addLane(j, k, m, kLo, kHi);
      if (inRegion(region, k, m, kLo, kHi)) {
        store<i32>(AK + ((<usize>w) << 2), k);
        store<f32>(AM + ((<usize>w) << 2), m);
        store<i32>(AI + ((<usize>w) << 2), i);
        w++;
      }
    }
    if (sums) flushLanes();
  }
  return padActive(w);
}

/** Pads AM with 0 to a whole block past the w positions in play; returns w. */
function padActive(w: i32): i32 {
  memory.fill(AM + ((<usize>w) << 2), 0, (<usize>BLOCK) << 2);
  return w;
}

/** The band masses of the n positions in play (AK/AM), summed as firstRound sums them. */
function bandMasses(n: i32, kLo: i32, kHi: i32): void {
  massBelow = 0;
  massUpTo = 0;
  const blocks = (n + BLOCK - 1) >> 6;
  if (ASC_FEATURE_SIMD) {
    const vLo = i32x4.splat(kLo),
      vHi = i32x4.splat(kHi),
      zero = f32x4.splat(0);
    let b0 = zero,
      b1 = zero,
      b2 = zero,
      b3 = zero,
      u0 = zero,
      u1 = zero,
      u2 = zero,
      u3 = zero;
    const end = (<usize>blocks) << 8;
    let q: usize = 0;
    while (q < end) {
      const k0 = v128.load(AK + q),
        k1 = v128.load(AK + q, 16),
        k2 = v128.load(AK + q, 32),
        k3 = v128.load(AK + q, 48);
      const m0 = v128.load(AM + q),
        m1 = v128.load(AM + q, 16),
        m2 = v128.load(AM + q, 32),
        m3 = v128.load(AM + q, 48);
      b0 = f32x4.add(b0, v128.and(m0, i32x4.lt_s(k0, vLo)));
      b1 = f32x4.add(b1, v128.and(m1, i32x4.lt_s(k1, vLo)));
      b2 = f32x4.add(b2, v128.and(m2, i32x4.lt_s(k2, vLo)));
      b3 = f32x4.add(b3, v128.and(m3, i32x4.lt_s(k3, vLo)));
      u0 = f32x4.add(u0, v128.and(m0, i32x4.le_s(k0, vHi)));
      u1 = f32x4.add(u1, v128.and(m1, i32x4.le_s(k1, vHi)));
      u2 = f32x4.add(u2, v128.and(m2, i32x4.le_s(k2, vHi)));
      u3 = f32x4.add(u3, v128.and(m3, i32x4.le_s(k3, vHi)));
      q += 64;
      if ((q & 255) == 0) {
        massBelow += blockMass(b0, b1, b2, b3);
        massUpTo += blockMass(u0, u1, u2, u3);
        b0 = zero;
        b1 = zero;
        b2 = zero;
        b3 = zero;
        u0 = zero;
        u1 = zero;
        u2 = zero;
        u3 = zero;
      }
    }
    return;
  }
  memory.fill(LANE_SUMS, 0, 128);
  for (let b = 0; b < blocks; b++) {
    for (let j = b << 6; j < (b << 6) + BLOCK; j++) {
      addLane(j & 63, load<i32>(AK + ((<usize>j) << 2)), load<f32>(AM + ((<usize>j) << 2)), kLo, kHi);
    }
    flushLanes();
  }
}

/** Keeps the positions in play of a region, in order, in AK/AM/AI (in place: a write never
 *  passes the read); returns how many. */
function narrow(n: i32, region: i32, kLo: i32, kHi: i32): i32 {
  let w = 0;
  if (ASC_FEATURE_SIMD) {
    const vLo = i32x4.splat(kLo),
      vHi = i32x4.splat(kHi),
      zero = f32x4.splat(0);
    for (let j = 0; j < n; j += 4) {
      const at = (<usize>j) << 2;
      const k = v128.load(AK + at),
        m = v128.load(AM + at);
      const inside =
        region == BELOW
          ? i32x4.lt_s(k, vLo)
          : region == INSIDE
            ? v128.andnot(i32x4.le_s(k, vHi), i32x4.lt_s(k, vLo))
            : i32x4.gt_s(k, vHi);
      const bits = i32x4.bitmask(v128.and(inside, f32x4.ne(m, zero)));
      w = pack(w, bits, k, m, v128.load(AI + at));
    }
  } else {
    for (let j = 0; j < n; j++) {
      const k = load<i32>(AK + ((<usize>j) << 2));
      const m = load<f32>(AM + ((<usize>j) << 2));
      if (inRegion(region, k, m, kLo, kHi)) {
        store<i32>(AI + ((<usize>w) << 2), load<i32>(AI + ((<usize>j) << 2)));
        store<i32>(AK + ((<usize>w) << 2), k);
        store<f32>(AM + ((<usize>w) << 2), m);
        w++;
      }
    }
  }
  return padActive(w);
}

/** The cut lies among the positions in play whose key is `key`: walk them in order from base. */
function tieWalk(n: i32, key: i32, base: f64, target: f64): void {
  let acc = base;
  let last = -1;
  let found = false;
  for (let j = 0; j < n; j++) {
    if (load<i32>(AK + ((<usize>j) << 2)) != key) continue;
    const m = load<f32>(AM + ((<usize>j) << 2));
    if (m == 0) continue;
    if (found) {
      cutComplete = false;
      break;
    }
    last = load<i32>(AI + ((<usize>j) << 2));
    acc += <f64>m;
    if (acc >= target) found = true;
  }
  cutKey = key;
  cutIndex = last;
  cutMass = acc;
}

/** Sorts the few positions in play by (key, position) and walks them from base. */
function finishSmall(n: i32, base: f64, target: f64): void {
  for (let j = 0; j < n; j++) {
    store<i32>(SORT_KEYS + ((<usize>j) << 2), load<i32>(AK + ((<usize>j) << 2)));
    store<i32>(SORT_VALS + ((<usize>j) << 2), j);
  }
  sortPairs(SORT_KEYS, SORT_VALS, n, SORT_KEYS2, SORT_VALS2);
  let acc = base;
  for (let r = 0; r < n; r++) {
    const j = load<i32>(SORT_VALS + ((<usize>r) << 2));
    acc += <f64>load<f32>(AM + ((<usize>j) << 2));
    if (acc >= target) {
      cutKey = load<i32>(SORT_KEYS + ((<usize>r) << 2));
      cutIndex = load<i32>(AI + ((<usize>j) << 2));
      cutMass = acc;
      cutComplete = r + 1 == n || load<i32>(SORT_KEYS + ((<usize>(r + 1)) << 2)) != cutKey;
      return;
    }
  }
  cutKey = KEEP_ALL;
  cutIndex = KEEP_ALL;
}
