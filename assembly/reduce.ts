// Passes that only read the logits: the maximum (which doubles as input validation: NaN and
// +Infinity propagate through max, an all -Infinity vector yields -Infinity) and the argmax.
import { X } from "./layout";

/** Pads X[n .. n rounded up to 16) with -Infinity so that vector loops need no tail. */
export function padLogits(n: i32): void {
  for (let i = n; i < ((n + 15) & ~15); i++) store<f32>(X + (<usize>i << 2), -Infinity);
}

/** Maximum of the (padded) logits. */
export function scanMax(n: i32): f32 {
  const x = X;
  const n4 = (n + 3) & ~3;
  if (ASC_FEATURE_SIMD) {
    // f32x4.pmax is one maxps; f32x4.max needs a multi-instruction sequence on x86 for its
    // NaN and ±0 rules. pmax drops NaN, so NaN is looked for separately (x ≠ x), which is
    // still cheaper. Four accumulators hide the latency.
    let a = f32x4.splat(-Infinity), b = a, c = a, d = a;
    let nan = f32x4.splat(0);
    let i = 0;
    for (; i + 16 <= n4; i += 16) {
      const p = x + (<usize>i << 2);
      const va = v128.load(p), vb = v128.load(p, 16), vc = v128.load(p, 32), vd = v128.load(p, 48);
      a = f32x4.pmax(a, va);
      b = f32x4.pmax(b, vb);
      c = f32x4.pmax(c, vc);
      d = f32x4.pmax(d, vd);
      nan = v128.or(nan, v128.or(
        v128.or(f32x4.ne(va, va), f32x4.ne(vb, vb)),
        v128.or(f32x4.ne(vc, vc), f32x4.ne(vd, vd)),
      ));
    }
    for (; i < n4; i += 4) {
      const v = v128.load(x + (<usize>i << 2));
      a = f32x4.pmax(a, v);
      nan = v128.or(nan, f32x4.ne(v, v));
    }
    if (v128.any_true(nan)) return NaN;
    a = f32x4.pmax(f32x4.pmax(a, b), f32x4.pmax(c, d));
    return max<f32>(
      max<f32>(f32x4.extract_lane(a, 0), f32x4.extract_lane(a, 1)),
      max<f32>(f32x4.extract_lane(a, 2), f32x4.extract_lane(a, 3)),
    );
  } else {
    let m: f32 = -Infinity;
    for (let i = 0; i < n; i++) m = max<f32>(m, load<f32>(x + (<usize>i << 2)));
    return m;
  }
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
