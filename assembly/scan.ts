// Passes that read the logits once, 64 at a time: their maximum (with the block maxima the
// softmax uses to skip blocks), the argmax, and the filters that list the few logits above a
// threshold. They double as input validation: NaN and +Infinity are invalid, -Infinity (a
// masked token) is not. None writes to the logits: the last partial block is read from TAIL.
import { BLOCK, BMAX, LIST, MASK, TAIL, XL } from './layout';
import { maskedLogit, NIBBLE_OFFSETS } from './mask-lanes';

/** Copies the last partial block of x[0 .. n) to TAIL, padded with -Infinity, so that every
 *  vector loop reads whole blocks and never past the caller's array. */
export function prepareTail(x: usize, n: i32): void {
  const full = n & ~(BLOCK - 1);
  let j = 0;
  for (let i = full; i < n; i++, j++) store<f32>(TAIL + ((<usize>j) << 2), load<f32>(x + ((<usize>i) << 2)));
  for (; j < BLOCK; j++) store<f32>(TAIL + ((<usize>j) << 2), -Infinity);
}

/** Where block b of x starts: in x itself, or TAIL for the last partial block. */
export function blockAt(x: usize, n: i32, b: i32): usize {
  return (b << 6) + BLOCK <= n ? x + ((<usize>b) << 8) : TAIL;
}

export function blockCount(n: i32): i32 {
  return (n + BLOCK - 1) >> 6;
}

// The vector passes run in two legs — the whole blocks of x, then TAIL — each one loop doing
// four vectors per iteration, with the per-block work under a branch every fourth iteration:
// in V8 that loop shape runs at the speed of the floor, where a loop per block with an inner
// loop (or a 16-vector body) costs 10-30% more. What a pass carries from one leg to the next
// lives in these globals and in STATE (v128 values cannot be globals in the scalar build).
const STATE = memory.data(32, 16);

/** Lane-wise running maximum (STATE) and NaN watch (STATE + 16), cleared by startPass. */
function startPass(): void {
  v128.store(STATE, f32x4.splat(-Infinity));
  v128.store(STATE, i32x4.splat(0), 16);
}

/** Whether a pass saw a NaN: a lane of a leg's running sum was NaN — which a NaN makes it,
 *  and also finite logits large enough (about 2^128 / n on average) that their sum overflows
 *  into ±Infinity and meets its opposite or a masked -Infinity; validate() tells the two
 *  apart, at about the cost of the pass itself. */
function passSawNaN(): bool {
  return v128.any_true(v128.load(STATE, 16));
}

/** The largest lane, by pmax: no branch, where V8's scalar f32.max branches on which operand
 *  is larger (a coin flip per block on random logits). For the per-block tests, whose outcome
 *  cannot depend on the sign of a zero; the pass's maximum itself comes from lanesMax(). */
function lanesPmax(v: v128): f32 {
  v = f32x4.pmax(v, v128.shuffle<f32>(v, v, 2, 3, 0, 1));
  v = f32x4.pmax(v, v128.shuffle<f32>(v, v, 1, 0, 3, 2));
  return f32x4.extract_lane(v, 0);
}

function lanesMax(v: v128): f32 {
  return max<f32>(
    max<f32>(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)),
    max<f32>(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)),
  );
}

/** True when no logit is NaN or +Infinity. The exact check behind the vector passes' cheap
 *  one, which may raise a false alarm. */
export function validate(x: usize, n: i32): bool {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    // v < +Infinity is false for NaN and +Infinity alone.
    const inf = f32x4.splat(Infinity);
    for (; i + 16 <= n; i += 16) {
      const p = x + ((<usize>i) << 2);
      const ok = v128.and(
        v128.and(f32x4.lt(v128.load(p), inf), f32x4.lt(v128.load(p, 16), inf)),
        v128.and(f32x4.lt(v128.load(p, 32), inf), f32x4.lt(v128.load(p, 48), inf)),
      );
      if (!i32x4.all_true(ok)) return false;
    }
  }
  for (; i < n; i++) {
    const v = load<f32>(x + ((<usize>i) << 2));
    if (v != v || v == Infinity) return false;
  }
  return true;
}

/** How many of x[0 .. n) are above -Infinity (not masked): dynamic temperature's V'. A pass
 *  of its own because only that one stage asks. */
export function unmaskedCount(x: usize, n: i32): i32 {
  let i = 0,
    count = 0;
  if (ASC_FEATURE_SIMD) {
    let lanes = i32x4.splat(0);
    for (; i + 4 <= n; i += 4)
      lanes = i32x4.sub(lanes, f32x4.ne(v128.load(x + ((<usize>i) << 2)), f32x4.splat(-Infinity)));
    count =
      i32x4.extract_lane(lanes, 0) +
      i32x4.extract_lane(lanes, 1) +
      i32x4.extract_lane(lanes, 2) +
      i32x4.extract_lane(lanes, 3);
  }
  for (; i < n; i++) if (load<f32>(x + ((<usize>i) << 2)) != -Infinity) count++;
  return count;
}

/** Set by maxPass, argmax and the filters: false when a logit is NaN or +Infinity. */
export let valid: bool = true;

/** For logits checked by another pass (sparse-mask.ts firstInvalid). */
export function trustLogits(): void {
  valid = true;
}

/** Runs a leg of a pass over the blocks of x[0 .. n): the whole ones, then TAIL. */
function legs(x: usize, n: i32, kind: i32): void {
  const full = n >> 6;
  if (kind == MASKED_ARGMAX) {
    maskedLeg(x, 0, full);
    if (n & (BLOCK - 1)) maskedLeg(TAIL, full, 1);
  } else {
    runLeg(kind, x, 0, full);
    if (n & (BLOCK - 1)) runLeg(kind, TAIL, full, 1);
  }
}

/** The masked argmax's leg, a function of its own: as a fourth loop in runLeg it made the
 *  min-p filter's loop there 12% slower. */
function maskedLeg(p: usize, b0: i32, blocks: i32): void {
  Leg.run(MASKED_ARGMAX, p, b0, blocks);
}

const MAX = 0;
const ARGMAX = 1;
const FILTER_MIN_P = 2;
const MASKED_ARGMAX = 3;

/** Whether argmax() reads the logits through the allowed-token mask (index.ts sets it around
 *  one chain run, when greedy is first and the mask dense). */
let argmaxMasked: bool = false;
export function maskArgmax(on: bool): void {
  argmaxMasked = on;
}

/** Pass state besides STATE. */
let best: f32 = -Infinity; // argmax: the best block maximum so far, and its block
let bestBlock = -1;
let threshold: f32 = 0; // the min-p filter: list logits ≥ threshold
let listed = 0;
let n_ = 0;
let runMax: f32 = -Infinity; // min-p filter: the running maximum the threshold follows
let minPc: f32 = 0;
let minPz: f32 = 0;

/** Runs Leg.run for a kind known only at run time. */
function runLeg(kind: i32, p: usize, b0: i32, blocks: i32): void {
  // One loop per kind, each with its constant folded in: the loop that tested `kind` every
  // block ran argmax at 1.87× the read floor, these at 1.75× (maxPass 1.74× → 1.63×).
  if (kind == MAX) Leg.run(MAX, p, b0, blocks);
  else if (kind == ARGMAX) Leg.run(ARGMAX, p, b0, blocks);
  else Leg.run(FILTER_MIN_P, p, b0, blocks);
}

// Inlined into runLeg once per kind (a static-only class, as `@inline` wants).
class Leg {
  /**
   * One leg: `blocks` blocks from p, the first being block b0. Per block: the lane-wise
   * maximum (pmax: one instruction on x86; it drops NaN, which the lane-wise sum catches),
   * then what the pass does with it.
   */
  @inline static run(kind: i32, p: usize, b0: i32, blocks: i32): void {
    let a = v128.load(STATE),
      nan = v128.load(STATE, 16);
    const ninf = f32x4.splat(-Infinity),
      zero = f32x4.splat(0);
    let t0 = ninf,
      t1 = ninf,
      s0 = zero,
      s1 = zero;
    let vt = f32x4.splat(kind == ARGMAX || kind == MASKED_ARGMAX ? best : threshold);
    let b = b0;
    const end = p + ((<usize>blocks) << 8);
    let q = p;
    let bits = MASK + ((<usize>b0) << 3); // the mask's 16 bits for the next four vectors
    while (q < end) {
      let v0 = v128.load(q),
        v1 = v128.load(q, 16),
        v2 = v128.load(q, 32),
        v3 = v128.load(q, 48);
      if (kind == MASKED_ARGMAX) {
        // As the masked copy holds them (mask-lanes.ts), without writing the copy: greedy reads
        // the logits once, and a copy would cost it more than the pass.
        const w = <usize>load<u16>(bits);
        v0 = f32x4.sub(v0, v128.load(NIBBLE_OFFSETS + ((w << 4) & 0xf0)));
        v1 = f32x4.sub(v1, v128.load(NIBBLE_OFFSETS + (w & 0xf0)));
        v2 = f32x4.sub(v2, v128.load(NIBBLE_OFFSETS + ((w >> 4) & 0xf0)));
        v3 = f32x4.sub(v3, v128.load(NIBBLE_OFFSETS + ((w >> 8) & 0xf0)));
        bits += 2;
      }
      t0 = f32x4.pmax(t0, f32x4.pmax(v0, v1));
      t1 = f32x4.pmax(t1, f32x4.pmax(v2, v3));
      s0 = f32x4.add(s0, f32x4.add(v0, v1));
      s1 = f32x4.add(s1, f32x4.add(v2, v3));
      q += 64;
      if (((q - p) & 255) == 0) {
        const t = f32x4.pmax(t0, t1);
        if (kind == MAX) {
          // Only maxPass reads the running maximum: argmax keeps `best`, the filter `runMax`.
          a = f32x4.pmax(a, t);
          v128.store(BMAX + ((<usize>b) << 4), t);
        } else if (kind == ARGMAX || kind == MASKED_ARGMAX) {
          if (v128.any_true(f32x4.gt(t, vt))) {
            best = lanesPmax(t);
            bestBlock = b;
            vt = f32x4.splat(best);
          }
        } else if (v128.any_true(f32x4.ge(t, vt))) {
          // FILTER_MIN_P: the threshold follows the running maximum.
          const top = lanesPmax(t);
          if (top > runMax) {
            runMax = top;
            threshold = logitBound(top, minPc, minPz);
            vt = f32x4.splat(threshold);
          }
          listed = Hits.collect(q - 256, b << 6, n_, vt, listed);
        }
        t0 = ninf;
        t1 = ninf;
        b++;
      }
    }
    // The sums run over the whole leg: a test per block made greedy 2% and min-p 1% slower
    // (balanced paired A/B at 128,256 LM-like tokens).
    const s = f32x4.add(s0, s1);
    v128.store(STATE, a);
    v128.store(STATE, v128.or(nan, f32x4.ne(s, s)), 16);
  }
}

/** Maximum of x[0 .. n); leaves each block's lane-wise maximum in BMAX and sets `valid`.
 *  -Infinity when every logit is -Infinity. Call prepareTail first. */
export function maxPass(x: usize, n: i32): f32 {
  if (ASC_FEATURE_SIMD) {
    startPass();
    legs(x, n, MAX);
    const m = lanesMax(v128.load(STATE));
    valid = m != Infinity && (!passSawNaN() || validate(x, n));
    return m;
  } else {
    const blocks = blockCount(n);
    let m: f32 = -Infinity;
    let ok = true;
    for (let b = 0; b < blocks; b++) {
      const p = blockAt(x, n, b);
      let t: f32 = -Infinity;
      for (let j = 0; j < BLOCK; j++) {
        const v = load<f32>(p + ((<usize>j) << 2));
        if (!(v <= t)) {
          if (v != v) ok = false;
          else t = v;
        }
      }
      store<f32>(BMAX + ((<usize>b) << 4), t);
      if (t > m) m = t;
    }
    valid = ok && m != Infinity;
    return m;
  }
}

/** The argmax, lowest index on ties; -1 when every logit is -Infinity. Sets `valid`. One pass:
 *  a block whose maximum beats the best so far (rare after the first few) is remembered, and
 *  only that block is searched for the first index at the end. */
export function argmax(x: usize, n: i32): i32 {
  if (ASC_FEATURE_SIMD) {
    startPass();
    best = -Infinity;
    bestBlock = -1;
    legs(x, n, argmaxMasked ? MASKED_ARGMAX : ARGMAX);
    // Through the mask, any alarm is left to the caller (index.ts), which starts over from a
    // masked copy: the edits ran on the unmasked logits, and may have pushed a disallowed one
    // to +Infinity, which the copy would have masked first.
    valid = best != Infinity && (!passSawNaN() || (!argmaxMasked && validate(x, n)));
    if (bestBlock < 0) return -1;
    const p = blockAt(x, n, bestBlock);
    const first = bestBlock << 6;
    for (let j = 0; j < BLOCK; j++) {
      let v = load<f32>(p + ((<usize>j) << 2));
      if (argmaxMasked) v = maskedLogit(v, first + j);
      if (v == best) return first + j;
    }
    return -1;
  } else {
    let top: f32 = -Infinity;
    let at = -1;
    let ok = true;
    for (let i = 0; i < n; i++) {
      let v = load<f32>(x + ((<usize>i) << 2));
      if (argmaxMasked) v = maskedLogit(v, i);
      if (!(v <= top)) {
        if (v != v) ok = false;
        else {
          top = v;
          at = i;
        }
      }
    }
    valid = ok && top != Infinity;
    return at;
  }
}

/** Maximum seen by filterMinP. */
export let filterMax: f32 = -Infinity;

// Inlined wherever it is called (a static-only class, as `@inline` wants): a call inside
// runLeg's loop makes V8 keep the loop's vectors on the stack — the max pass ran at twice its
// time when mirostat became a second caller and binaryen stopped inlining it.
export class Hits {
  /** Appends the positions base + j (< n) of the block at p whose logit is ≥ vt to LIST/XL. */
  @inline static collect(p: usize, base: i32, n: i32, vt: v128, count: i32): i32 {
    for (let j = 0; j < BLOCK; j += 4) {
      const v = v128.load(p + ((<usize>j) << 2));
      let hit = i32x4.bitmask(f32x4.ge(v, vt));
      while (hit) {
        const lane = ctz<i32>(hit);
        const i = base + j + lane;
        if (i >= n) return count;
        store<i32>(LIST + ((<usize>count) << 2), i);
        store<f32>(XL + ((<usize>count) << 2), load<f32>(p + ((<usize>(j + lane)) << 2)));
        count++;
        hit &= hit - 1;
      }
    }
    return count;
  }
}

/**
 * The min-p filter: one pass that finds the maximum m and lists (LIST/XL) every logit that
 * can survive min-p, i.e. every x with (x - m)·c ≥ zBound. The threshold rises with the
 * running maximum, updated once per block before its hits are collected, so the list is a
 * superset of the survivors in ascending order; the caller then applies the exact test.
 */
export function filterMinP(x: usize, n: i32, c: f32, zBound: f32): i32 {
  const blocks = blockCount(n);
  let count = 0;
  let m: f32 = -Infinity;
  let t: f32 = -F32.MAX_VALUE;
  if (ASC_FEATURE_SIMD) {
    startPass();
    threshold = t;
    runMax = m;
    minPc = c;
    minPz = zBound;
    listed = 0;
    n_ = n;
    legs(x, n, FILTER_MIN_P);
    count = listed;
    filterMax = runMax;
    valid = runMax != Infinity && (!passSawNaN() || validate(x, n));
  } else {
    let ok = true;
    for (let b = 0; b < blocks; b++) {
      const p = blockAt(x, n, b);
      let top: f32 = -Infinity;
      for (let j = 0; j < BLOCK; j++) {
        const v = load<f32>(p + ((<usize>j) << 2));
        if (!(v <= top)) {
          if (v != v) ok = false;
          else top = v;
        }
      }
      if (top >= t) {
        if (top > m) {
          m = top;
          t = logitBound(m, c, zBound);
        }
        for (let j = 0; j < BLOCK; j++) {
          const i = (b << 6) + j;
          const v = load<f32>(p + ((<usize>j) << 2));
          if (i < n && v >= t) {
            store<i32>(LIST + ((<usize>count) << 2), i);
            store<f32>(XL + ((<usize>count) << 2), v);
            count++;
          }
        }
      }
    }
    filterMax = m;
    valid = ok && m != Infinity;
  }
  return count;
}

/** The largest float32 ≤ m + zBound/c (in float64), and > -Infinity: no logit below it can
 *  reach z ≥ zBound + 1 after the float32 rounding of (x - m)·c (min-p's list, and the other
 *  floors' and XTC's, bound with zBound one unit below the z they need). */
export function logitBound(m: f32, c: f32, zBound: f32): f32 {
  const t = <f64>m + <f64>zBound / <f64>c;
  let f = <f32>t;
  if (<f64>f > t) f = reinterpret<f32>(reinterpret<i32>(f) + (f > 0 ? -1 : 1));
  return f < -F32.MAX_VALUE || f != f ? -F32.MAX_VALUE : f;
}
