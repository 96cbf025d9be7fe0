// Passes that only read the logits: the maximum (which doubles as input validation: NaN is
// watched for, +Infinity wins the max, an all -Infinity vector yields -Infinity), the top-k
// filter riding on it, and the argmax.
import { BMAX, LIST, X } from "./layout";

/** Pads X[n .. n rounded up to 16) with -Infinity so that vector loops need no tail. */
export function padLogits(n: i32): void {
  for (let i = n; i < ((n + 15) & ~15); i++) store<f32>(X + (<usize>i << 2), -Infinity);
}

/** Maximum of the (padded) logits; NaN if any is NaN. */
export function scanMax(n: i32): f32 {
  return scan(n, false, 0, false);
}

/** scanMax that also leaves the lane-wise maximum of every 16 logits in BMAX, which lets
 *  the softmax pass skip blocks without reading them. */
export function scanBlocks(n: i32): f32 {
  return scan(n, false, 0, true);
}

/** How many indices the last collecting scan() wrote to LIST. */
export let collected: i32 = 0;

/**
 * The one pass over the logits: their maximum (NaN if any logit is NaN) and, when collect is
 * set, LIST ← the indices i < n with X[i] ≥ pivot, ascending — so the top-k path reads the
 * logits once; when blocks is set, BMAX ← the lane-wise maximum of every 16 logits.
 * Inlined with constant flags, so each caller carries only what it uses.
 */
// @ts-ignore: decorator
@inline export function scan(n: i32, collect: bool, pivot: f32, blocks: bool): f32 {
  const x = X, list = LIST;
  let count = 0;
  let m: f32 = -Infinity;
  if (ASC_FEATURE_SIMD) {
    // f32x4.pmax is one maxps; f32x4.max needs a multi-instruction sequence on x86 for its
    // NaN and ±0 rules. pmax drops NaN, so NaN is looked for separately: in the sum of the
    // 16, which is NaN when one of them is — or when +Infinity meets -Infinity, and
    // +Infinity is invalid anyway. The filter tests the block maximum first: a hit among
    // 16 logits is rare.
    const vt = f32x4.splat(pivot);
    let a = f32x4.splat(-Infinity);
    let nan = f32x4.splat(0);
    for (let i = 0; i < n; i += 16) {
      const p = x + (<usize>i << 2);
      const va = v128.load(p), vb = v128.load(p, 16), vc = v128.load(p, 32), vd = v128.load(p, 48);
      const t = f32x4.pmax(f32x4.pmax(va, vb), f32x4.pmax(vc, vd));
      if (blocks) v128.store(BMAX + <usize>i, t);
      a = f32x4.pmax(a, t);
      const sum = f32x4.add(f32x4.add(va, vb), f32x4.add(vc, vd));
      nan = v128.or(nan, f32x4.ne(sum, sum));
      if (collect && v128.any_true(f32x4.ge(t, vt))) {
        let hit = i32x4.bitmask(f32x4.ge(va, vt)) | (i32x4.bitmask(f32x4.ge(vb, vt)) << 4) |
          (i32x4.bitmask(f32x4.ge(vc, vt)) << 8) | (i32x4.bitmask(f32x4.ge(vd, vt)) << 12);
        while (hit) {
          const idx = i + ctz<i32>(hit);
          if (idx < n) store<i32>(list + (<usize>(count++) << 2), idx);
          hit &= hit - 1;
        }
      }
    }
    // "NaN" here may also mean +Infinity met -Infinity: either way the logits are invalid.
    m = v128.any_true(nan) ? NaN : max<f32>(
      max<f32>(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)),
      max<f32>(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)),
    );
  } else {
    for (let i = 0; i < n; i++) {
      const v = load<f32>(x + (<usize>i << 2));
      m = max<f32>(m, v);
      if (collect && v >= pivot) store<i32>(list + (<usize>(count++) << 2), i);
    }
  }
  if (collect) collected = count;
  return m;
}

/** Lowest index whose logit equals m (m is the maximum, so it exists). */
export function firstIndexOf(n: i32, m: f32): i32 {
  const x = X;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m);
    for (let i = 0; i < n; i += 4) {
      const hit = i32x4.bitmask(f32x4.eq(v128.load(x + (<usize>i << 2)), vm));
      if (hit) return i + ctz<i32>(hit);
    }
  } else {
    for (let i = 0; i < n; i++) if (load<f32>(x + (<usize>i << 2)) == m) return i;
  }
  return 0;
}
