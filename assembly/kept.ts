// The kept set: which positions 0 … len-1 of E (and Z) the truncation stages have kept so far,
// as one explicit record that every stage tightens and every pass over the kept set evaluates
// (mass.ts). Nothing is gathered, compacted or sorted at vocabulary scale to apply it.
//
// A position i with e = E[i] is kept when
//   e ≥ floor, or e = tieValue and i ≤ tieLast      (a prefix by e descending, then position)
// and, once a band is set,
//   key(z) < bandKey, or key(z) = bandKey and i ≤ bandIndex,  key(z) = bits(|z − bandCenter|)
//                                                    (a prefix by closeness to a centre)
// and, once a ceiling is set,
//   e < ceiling, or e = ceiling and i ≥ ceilingFirst  (a suffix by e descending, then position)
// Prefix stages (top-p, min-p, ε, η, p-less) move the threshold; a band stage (typical-p) sets
// the band; XTC, which removes the most likely tokens but one, sets the ceiling.
// `simple` says the threshold (and the ceiling, if any) is the whole rule: the vector passes
// then test it with a compare or two.
//
// A position whose e was flushed to 0 (z < EXP_CUTOFF, exp.ts) is judged by its z instead
// (mass.ts): kept when z ≥ floorZ — the floor's exact float64 threshold as log2, which the
// float32 floor can only round (to 1.4e-45 at least) — and, once set, below flushTop (XTC's
// ceiling when its threshold reaches them) and within minKeep's choice among them (flushZ).
import { Z } from './layout';

/** The least positive float32: e ≥ it means e > 0. */
export const LEAST_POSITIVE: f32 = reinterpret<f32>(1);
/** A key no position has: "keep every position" (selection.ts). */
export const KEEP_ALL: i32 = 0x7fffffff;
/** Key of a probability e ∈ (0, 1] in prefix order: smaller for larger e. */
export const ONE_BITS: i32 = 0x3f800000;

export let floor: f32 = LEAST_POSITIVE;
export let tieValue: f32 = 0;
export let tieLast: i32 = -1;
export let banded = false;
export let bandCenter: f32 = 0;
export let bandKey: i32 = KEEP_ALL;
export let bandIndex: i32 = KEEP_ALL;
export let capped = false;
export let ceiling: f32 = Infinity;
export let ceilingFirst: i32 = 0;
export let simple = true;
/** No stage has tightened the set since reset(): every position with e > 0 is kept. */
export let untouched = true;
/** Among the positions whose e was flushed to 0 (mass.ts): when set (not NaN), those with
 *  z > flushZ, or z = flushZ up to position flushLast — minKeep's choice among them. NaN: the
 *  floor alone decides. */
export let flushZ: f64 = NaN;
export let flushLast: i32 = KEEP_ALL;
/** The floor in z for the flushed positions: log2 of the exact threshold, -Infinity for none
 *  (every finite logit). Only read while the floor lies below 2^EXP_CUTOFF (mass.ts). */
export let floorZ: f64 = -Infinity;
/** XTC's ceiling among the flushed positions: z < flushTop, or z = flushTop from position
 *  flushTopFirst on. +Infinity: none. */
export let flushTop: f64 = Infinity;
export let flushTopFirst: i32 = 0;

/** Keeps every position with e ≥ least (and e > 0 whatever least is: such a position has
 *  nothing to draw, and its z may be -Infinity); a flushed one when z ≥ leastZ, the exact
 *  threshold's log2. */
export function reset(least: f32, leastZ: f64 = -Infinity): void {
  floor = max<f32>(least, LEAST_POSITIVE);
  floorZ = leastZ;
  flushTop = Infinity;
  flushTopFirst = 0;
  tieLast = -1;
  banded = false;
  bandKey = KEEP_ALL;
  bandIndex = KEEP_ALL;
  capped = false;
  ceiling = Infinity;
  ceilingFirst = 0;
  simple = true;
  untouched = least <= LEAST_POSITIVE;
  flushZ = NaN;
  flushLast = KEEP_ALL;
}

/** The rule as saveRule() left it (one record: a stage that must keep more than its own rule
 *  would starts again from what it received). */
const SAVED = memory.data(72, 8);

/** Remembers the rule, for restoreRule(). */
export function saveRule(): void {
  store<f32>(SAVED, floor);
  store<f32>(SAVED, tieValue, 4);
  store<i32>(SAVED, tieLast, 8);
  store<f32>(SAVED, bandCenter, 12);
  store<i32>(SAVED, bandKey, 16);
  store<i32>(SAVED, bandIndex, 20);
  store<f32>(SAVED, ceiling, 24);
  store<i32>(SAVED, ceilingFirst, 28);
  store<u8>(SAVED, banded ? 1 : 0, 32);
  store<u8>(SAVED, capped ? 1 : 0, 33);
  store<u8>(SAVED, untouched ? 1 : 0, 34);
  store<i32>(SAVED, flushLast, 36);
  store<f64>(SAVED, flushZ, 40);
  store<f64>(SAVED, floorZ, 48);
  store<f64>(SAVED, flushTop, 56);
  store<i32>(SAVED, flushTopFirst, 64);
}

/** Puts back the rule saveRule() remembered. */
export function restoreRule(): void {
  floor = load<f32>(SAVED);
  tieValue = load<f32>(SAVED, 4);
  tieLast = load<i32>(SAVED, 8);
  bandCenter = load<f32>(SAVED, 12);
  bandKey = load<i32>(SAVED, 16);
  bandIndex = load<i32>(SAVED, 20);
  ceiling = load<f32>(SAVED, 24);
  ceilingFirst = load<i32>(SAVED, 28);
  banded = load<u8>(SAVED, 32) != 0;
  capped = load<u8>(SAVED, 33) != 0;
  untouched = load<u8>(SAVED, 34) != 0;
  flushLast = load<i32>(SAVED, 36);
  flushZ = load<f64>(SAVED, 40);
  floorZ = load<f64>(SAVED, 48);
  flushTop = load<f64>(SAVED, 56);
  flushTopFirst = load<i32>(SAVED, 64);
  settleSimple();
}

function settleSimple(): void {
  simple = tieLast < 0 && !banded;
}

/** The smallest float32 ≥ v, for a threshold computed in float64: a float32 e is ≥ it exactly
 *  when e ≥ v. */
export function above(v: f64): f32 {
  const f = <f32>v;
  return <f64>f < v ? reinterpret<f32>(reinterpret<i32>(f) + (f >= 0 ? 1 : -1)) : f;
}

/** Keeps only e ≥ least, on top of the rule so far (min-p) — and, of the flushed positions,
 *  z ≥ leastZ (the exact threshold's log2); returns whether the stored e's rule changed (a
 *  flushed position weighs nothing: the kept mass stays). */
export function keepAtLeast(least: f32, leastZ: f64): bool {
  if (leastZ > floorZ) floorZ = leastZ;
  if (least <= floor) return false;
  floor = least;
  untouched = false;
  // The tied group of a prefix cut lies below the new threshold: it goes too.
  if (tieLast >= 0 && tieValue < floor) tieLast = -1;
  settleSimple();
  return true;
}

/**
 * Keeps only the prefix, by e descending then position, that ends at the kept position `last`
 * with e = eCut (top-p, minKeep): every e > eCut, and e = eCut up to `last` — all of them when
 * `complete` (no later kept position ties at eCut). A kept position lies at or above the
 * floor, or in the tied group just below it: the new cut is in one or the other.
 */
export function keepPrefix(eCut: f32, last: i32, complete: bool): void {
  untouched = false;
  if (eCut >= floor) {
    // Within the threshold: the old tied group lies below the cut and goes.
    if (complete) {
      floor = eCut;
      tieLast = -1;
    } else {
      floor = reinterpret<f32>(reinterpret<i32>(eCut) + 1);
      tieValue = eCut;
      tieLast = last;
    }
  } else if (tieLast >= 0 && eCut == tieValue && !complete) tieLast = min<i32>(tieLast, last);
  settleSimple();
}

/** Keeps only what follows the kept position `first` with e = eTop in the prefix order — every
 *  e < eTop, and e = eTop from `first` on (XTC: it removes what comes before). */
export function keepBelow(eTop: f32, first: i32): void {
  untouched = false;
  capped = true;
  ceiling = eTop;
  ceilingFirst = first;
}

/** Keeps no stored e, and of the flushed positions those with z < zTop, or z = zTop from
 *  position `first` on (XTC, when the tokens reaching its threshold include flushed ones: the
 *  one it keeps is flushed, every stored e reaches the threshold). */
export function keepBelowFlushed(zTop: f64, first: i32): void {
  keepBelow(LEAST_POSITIVE, KEEP_ALL);
  flushTop = zTop;
  flushTopFirst = first;
}

/** Keeps, of the flushed positions the rule keeps, those with z > zCut, or z = zCut up to
 *  position `last` (minKeep reaching past the stored e). +Infinity: none of them. */
export function keepFlushed(zCut: f64, last: i32): void {
  untouched = false;
  flushZ = zCut;
  flushLast = last;
}

/** Keeps only the positions closest to `center` in z, up to key `key` and position `index`
 *  within it (typical-p). */
export function keepBand(center: f32, key: i32, index: i32): void {
  untouched = false;
  banded = true;
  simple = false;
  bandCenter = center;
  bandKey = key;
  bandIndex = index;
}

/** The band's key of a z. */
export function bandKeyOf(z: f32): i32 {
  return reinterpret<i32>(abs<f32>(z - bandCenter));
}

export function keptAt(i: i32, e: f32): bool {
  if (!(e >= floor || (e == tieValue && i <= tieLast))) return false;
  if (capped && !(e < ceiling || (e == ceiling && i >= ceilingFirst))) return false;
  if (!banded) return true;
  const t = bandKeyOf(load<f32>(Z + ((<usize>i) << 2)));
  return t < bandKey || (t == bandKey && i <= bandIndex);
}

/** keptAt for the four positions i … i + 3 (i a multiple of 4), as a lane mask. */
export function keptLanes(i: i32, e: v128): v128 {
  const pos = i32x4.add(i32x4.splat(i), i32x4(0, 1, 2, 3));
  let kept = v128.or(
    f32x4.ge(e, f32x4.splat(floor)),
    v128.and(f32x4.eq(e, f32x4.splat(tieValue)), i32x4.le_s(pos, i32x4.splat(tieLast))),
  );
  if (capped) {
    const top = f32x4.splat(ceiling);
    kept = v128.and(
      kept,
      v128.or(f32x4.lt(e, top), v128.and(f32x4.eq(e, top), i32x4.ge_s(pos, i32x4.splat(ceilingFirst)))),
    );
  }
  if (banded) {
    const t = v128.and(f32x4.sub(v128.load(Z + ((<usize>i) << 2)), f32x4.splat(bandCenter)), i32x4.splat(0x7fffffff));
    const vt = i32x4.splat(bandKey);
    kept = v128.and(
      kept,
      v128.or(i32x4.lt_s(t, vt), v128.and(i32x4.eq(t, vt), i32x4.le_s(pos, i32x4.splat(bandIndex)))),
    );
  }
  return kept;
}

/** Sets the centre a band selection measures from, before the band applies (typical-p). */
export function aimBand(center: f32): void {
  bandCenter = center;
}
