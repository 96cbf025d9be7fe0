// The kept set: which positions 0 … len-1 of E (and Z) the truncation stages have kept so far,
// as one explicit record that every stage tightens and every pass over the kept set evaluates
// (mass.ts). Nothing is gathered, compacted or sorted at vocabulary scale to apply it.
//
// A position i with e = E[i] is kept when
//   e ≥ floor, or e = tieValue and i ≤ tieLast      (a prefix by e descending, then position)
// and, once a band is set,
//   key(z) < bandKey, or key(z) = bandKey and i ≤ bandIndex,  key(z) = bits(|z − bandCenter|)
//                                                    (a prefix by closeness to a centre)
// Prefix stages (top-p, min-p) move the threshold; a band stage (typical-p) sets the band.
// `simple` says the threshold alone is the rule: the vector passes then test it with one compare.
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
export let simple = true;
/** No stage has tightened the set since reset(): every position with e > 0 is kept. */
export let untouched = true;

/** Keeps every position with e ≥ least (and e > 0 whatever least is: such a position has
 *  nothing to draw, and its z may be -Infinity). */
export function reset(least: f32): void {
  floor = max<f32>(least, LEAST_POSITIVE);
  tieLast = -1;
  banded = false;
  bandKey = KEEP_ALL;
  bandIndex = KEEP_ALL;
  simple = true;
  untouched = least <= LEAST_POSITIVE;
}

/** Keeps only e ≥ least, on top of the rule so far (min-p); returns whether that changed it. */
export function keepAtLeast(least: f32): bool {
  if (least <= floor) return false;
  floor = least;
  untouched = false;
  // The tied group of a prefix cut lies below the new threshold: it goes too.
  if (tieLast >= 0 && tieValue < floor) {
    tieLast = -1;
    simple = !banded;
  }
  return true;
}

/**
 * Keeps only the prefix, by e descending then position, that ends at e = eCut, position
 * `last` (top-p): every e > eCut, and e = eCut up to `last` — all of them when `complete`
 * (no later position ties at eCut).
 */
export function keepPrefix(eCut: f32, last: i32, complete: bool): void {
  untouched = false;
  if (complete) {
    floor = max<f32>(floor, eCut);
    return;
  }
  const old = floor;
  floor = max<f32>(old, reinterpret<f32>(reinterpret<i32>(eCut) + 1));
  if (eCut >= old) {
    tieValue = eCut;
    tieLast = last;
    simple = false;
  }
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
