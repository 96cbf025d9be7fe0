// Passes that read the logits once, 64 at a time: their maximum (with the block maxima the
// softmax uses to skip blocks), the argmax, and the filters that list the few logits above a
// threshold. They double as input validation: NaN and +Infinity are invalid, -Infinity (a
// masked token) is not. None writes to the logits: the last partial block is read from TAIL.
import { BLOCK, BMAX, LIST, TAIL, XL } from "./layout";

/** Copies the last partial block of x[0 .. n) to TAIL, padded with -Infinity, so that every
 *  vector loop reads whole blocks and never past the caller's array. */
export function prepareTail(x: usize, n: i32): void {
  const full = n & ~(BLOCK - 1);
  let j = 0;
  for (let i = full; i < n; i++, j++) store<f32>(TAIL + (<usize>j << 2), load<f32>(x + (<usize>i << 2)));
  for (; j < BLOCK; j++) store<f32>(TAIL + (<usize>j << 2), -Infinity);
}

/** Where block b of x starts: in x itself, or TAIL for the last partial block. */
export function blockAt(x: usize, n: i32, b: i32): usize {
  return (b << 6) + BLOCK <= n ? x + (<usize>b << 8) : TAIL;
}

export function blockCount(n: i32): i32 {
  return (n + BLOCK - 1) >> 6;
}

/** Lanes where a block held a NaN, or'ed over the blocks of a pass (see Block.max). */
const NAN_LANES = memory.data(16, 16);

export class Block {
  /** Lane-wise maximum of the 16 vectors at p (pmax: one instruction on x86; it drops NaN).
   *  NaN is caught in their lane-wise sum, or'ed into NAN_LANES: NaN when the block holds a
   *  NaN — or, rarely, when finite values near the float32 limit overflow into ±Infinity and
   *  meet their opposite, which validate() then tells apart. Inlined: a call per 64 logits
   *  costs more than the pass it feeds. */
  @inline static max(p: usize): v128 {
    const v0 = v128.load(p), v1 = v128.load(p, 16), v2 = v128.load(p, 32), v3 = v128.load(p, 48);
    const v4 = v128.load(p, 64), v5 = v128.load(p, 80), v6 = v128.load(p, 96), v7 = v128.load(p, 112);
    const v8 = v128.load(p, 128), v9 = v128.load(p, 144), va = v128.load(p, 160), vb = v128.load(p, 176);
    const vc = v128.load(p, 192), vd = v128.load(p, 208), ve = v128.load(p, 224), vf = v128.load(p, 240);
    const sum = f32x4.add(
      f32x4.add(f32x4.add(f32x4.add(v0, v1), f32x4.add(v2, v3)), f32x4.add(f32x4.add(v4, v5), f32x4.add(v6, v7))),
      f32x4.add(f32x4.add(f32x4.add(v8, v9), f32x4.add(va, vb)), f32x4.add(f32x4.add(vc, vd), f32x4.add(ve, vf))),
    );
    v128.store(NAN_LANES, v128.or(v128.load(NAN_LANES), f32x4.ne(sum, sum)));
    return f32x4.pmax(
      f32x4.pmax(f32x4.pmax(f32x4.pmax(v0, v1), f32x4.pmax(v2, v3)), f32x4.pmax(f32x4.pmax(v4, v5), f32x4.pmax(v6, v7))),
      f32x4.pmax(f32x4.pmax(f32x4.pmax(v8, v9), f32x4.pmax(va, vb)), f32x4.pmax(f32x4.pmax(vc, vd), f32x4.pmax(ve, vf))),
    );
  }
}

/** Starts a pass: no NaN seen. */
function clearNaN(): void {
  v128.store(NAN_LANES, i32x4.splat(0));
}

/** True when a block of the pass may have held a NaN. */
function sawNaN(): bool {
  return v128.any_true(v128.load(NAN_LANES));
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
  for (let i = 0; i < n; i++) {
    const v = load<f32>(x + (<usize>i << 2));
    if (v != v || v == Infinity) return false;
  }
  return true;
}

/** Set by maxPass and the filters: false when a logit is NaN or +Infinity. */
export let valid = true;

/** Maximum of x[0 .. n); leaves each block's lane-wise maximum in BMAX and sets `valid`.
 *  -Infinity when every logit is -Infinity. Call prepareTail first. */
export function maxPass(x: usize, n: i32): f32 {
  const blocks = blockCount(n);
  if (ASC_FEATURE_SIMD) {
    let a = f32x4.splat(-Infinity);
    clearNaN();
    for (let b = 0; b < blocks; b++) {
      const t = Block.max(blockAt(x, n, b));
      v128.store(BMAX + (<usize>b << 4), t);
      a = f32x4.pmax(a, t);
    }
    const m = lanesMax(a);
    valid = m != Infinity && (!sawNaN() || validate(x, n));
    return m;
  } else {
    let m: f32 = -Infinity;
    let ok = true;
    for (let b = 0; b < blocks; b++) {
      const p = blockAt(x, n, b);
      let t: f32 = -Infinity;
      for (let j = 0; j < BLOCK; j++) {
        const v = load<f32>(p + (<usize>j << 2));
        if (!(v <= t)) {
          if (v != v) ok = false;
          else t = v;
        }
      }
      store<f32>(BMAX + (<usize>b << 4), t);
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
  const blocks = blockCount(n);
  let best: f32 = -Infinity;
  let at = -1;
  if (ASC_FEATURE_SIMD) {
    let vbest = f32x4.splat(best);
    clearNaN();
    for (let b = 0; b < blocks; b++) {
      const t = Block.max(blockAt(x, n, b));
      if (v128.any_true(f32x4.gt(t, vbest))) {
        best = lanesMax(t);
        vbest = f32x4.splat(best);
        at = b;
      }
    }
    valid = best != Infinity && (!sawNaN() || validate(x, n));
    if (at < 0) return -1;
    const p = blockAt(x, n, at);
    for (let j = 0; j < BLOCK; j++) if (load<f32>(p + (<usize>j << 2)) == best) return (at << 6) + j;
    return -1;
  } else {
    let ok = true;
    for (let i = 0; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      if (!(v <= best)) {
        if (v != v) ok = false;
        else {
          best = v;
          at = i;
        }
      }
    }
    valid = ok && best != Infinity;
    return at;
  }
}

/** Maximum seen by the last filter. */
export let filterMax: f32 = -Infinity;

/**
 * LIST ← every i < n with x[i] ≥ t (t > -Infinity, so masked tokens never qualify), ascending,
 * and XL ← their logits; returns how many. Also finds the maximum (filterMax) and sets
 * `valid`. A block's maximum is tested first: a hit among 64 is rare.
 */
export function filterAtLeast(x: usize, n: i32, t: f32): i32 {
  const blocks = blockCount(n);
  let count = 0;
  if (ASC_FEATURE_SIMD) {
    const vt = f32x4.splat(t);
    let a = f32x4.splat(-Infinity);
    clearNaN();
    for (let b = 0; b < blocks; b++) {
      const p = blockAt(x, n, b);
      const m = Block.max(p);
      a = f32x4.pmax(a, m);
      if (v128.any_true(f32x4.ge(m, vt))) count = collect(p, b << 6, n, vt, count);
    }
    filterMax = lanesMax(a);
    valid = filterMax != Infinity && (!sawNaN() || validate(x, n));
  } else {
    let m: f32 = -Infinity;
    let ok = true;
    for (let i = 0; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      if (!(v <= m)) {
        if (v != v) ok = false;
        else m = v;
      }
      if (v >= t) {
        store<i32>(LIST + (<usize>count << 2), i);
        store<f32>(XL + (<usize>count << 2), v);
        count++;
      }
    }
    filterMax = m;
    valid = ok && m != Infinity;
  }
  return count;
}

/** Appends the positions base + j (< n) of the block at p whose logit is ≥ vt to LIST/XL. */
function collect(p: usize, base: i32, n: i32, vt: v128, count: i32): i32 {
  for (let j = 0; j < BLOCK; j += 4) {
    const v = v128.load(p + (<usize>j << 2));
    let hit = i32x4.bitmask(f32x4.ge(v, vt));
    while (hit) {
      const lane = ctz<i32>(hit);
      const i = base + j + lane;
      if (i >= n) return count;
      store<i32>(LIST + (<usize>count << 2), i);
      store<f32>(XL + (<usize>count << 2), load<f32>(p + (<usize>(j + lane) << 2)));
      count++;
      hit &= hit - 1;
    }
  }
  return count;
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
    let vt = f32x4.splat(t);
    clearNaN();
    for (let b = 0; b < blocks; b++) {
      const p = blockAt(x, n, b);
      const bm = Block.max(p);
      if (v128.any_true(f32x4.ge(bm, vt))) {
        const top = lanesMax(bm);
        if (top > m) {
          m = top;
          t = minPThreshold(m, c, zBound);
          vt = f32x4.splat(t);
        }
        count = collect(p, b << 6, n, vt, count);
      }
    }
    filterMax = m;
    valid = m != Infinity && (!sawNaN() || validate(x, n));
  } else {
    let ok = true;
    for (let b = 0; b < blocks; b++) {
      const p = blockAt(x, n, b);
      let top: f32 = -Infinity;
      for (let j = 0; j < BLOCK; j++) {
        const v = load<f32>(p + (<usize>j << 2));
        if (!(v <= top)) {
          if (v != v) ok = false;
          else top = v;
        }
      }
      if (top >= t) {
        if (top > m) {
          m = top;
          t = minPThreshold(m, c, zBound);
        }
        for (let j = 0; j < BLOCK; j++) {
          const i = (b << 6) + j;
          const v = load<f32>(p + (<usize>j << 2));
          if (i < n && v >= t) {
            store<i32>(LIST + (<usize>count << 2), i);
            store<f32>(XL + (<usize>count << 2), v);
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
 *  reach z ≥ zBound + 1 after the float32 rounding of (x - m)·c. */
function minPThreshold(m: f32, c: f32, zBound: f32): f32 {
  const t = <f64>m + <f64>zBound / <f64>c;
  let f = <f32>t;
  if (<f64>f > t) f = reinterpret<f32>(reinterpret<i32>(f) + (f > 0 ? -1 : 1));
  return f < -F32.MAX_VALUE || f != f ? -F32.MAX_VALUE : f;
}
