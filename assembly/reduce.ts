// Passes that only read the logits: the maximum (which doubles as input validation: NaN and
// +Infinity propagate through max, an all -Infinity vector yields -Infinity) and the argmax.
import { X } from "./layout";

/** Pads X[n .. n rounded up to 4) with -Infinity so vector loops need no tail, returns max. */
export function scanMax(n: i32): f32 {
  const x = X;
  const n4 = (n + 3) & ~3;
  for (let i = n; i < n4; i++) store<f32>(x + (<usize>i << 2), -Infinity);
  if (ASC_FEATURE_SIMD) {
    // Four independent accumulators hide the latency of f32x4.max.
    let a = f32x4.splat(-Infinity), b = a, c = a, d = a;
    let i = 0;
    for (; i + 16 <= n4; i += 16) {
      const p = x + (<usize>i << 2);
      a = f32x4.max(a, v128.load(p));
      b = f32x4.max(b, v128.load(p, 16));
      c = f32x4.max(c, v128.load(p, 32));
      d = f32x4.max(d, v128.load(p, 48));
    }
    for (; i < n4; i += 4) a = f32x4.max(a, v128.load(x + (<usize>i << 2)));
    a = f32x4.max(f32x4.max(a, b), f32x4.max(c, d));
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
