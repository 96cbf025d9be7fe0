// The benchmark's exp floor: the least work any exact sampler of this width does on a
// distribution where every token counts — find the max (the read floor's pass), then
// exponentiate every (x - max)·c with the library's own polynomial and add the results up.
// Nothing is stored, nothing is bucketed or drawn, so a full-distribution or top-p sample
// can approach this but not beat it. Compiled with the read floor by bench/lib/floor.mjs.

import { EXP_CUTOFF, exp2s, exp2v } from '../../assembly/exp';
import { max } from './max';

// Sum of exp2((x - max(x))·c) over n f32 at ptr (16-byte aligned). Four vectors per step
// with their own accumulators, so the polynomial's dependency chain does not serialise
// the loop; the sum is returned so that no engine can drop the work.
export function expSum(ptr: usize, n: i32, c: f32): f32 {
  const vm = f32x4.splat(max(ptr, n));
  const vc = f32x4.splat(c);
  let s0 = f32x4.splat(0);
  let s1 = s0;
  let s2 = s0;
  let s3 = s0;
  let p = ptr;
  const end16 = ptr + ((<usize>n & ~15) << 2);
  while (p < end16) {
    s0 = f32x4.add(s0, exp2v(f32x4.mul(f32x4.sub(v128.load(p), vm), vc)));
    s1 = f32x4.add(s1, exp2v(f32x4.mul(f32x4.sub(v128.load(p, 16), vm), vc)));
    s2 = f32x4.add(s2, exp2v(f32x4.mul(f32x4.sub(v128.load(p, 32), vm), vc)));
    s3 = f32x4.add(s3, exp2v(f32x4.mul(f32x4.sub(v128.load(p, 48), vm), vc)));
    p += 64;
  }
  const end4 = ptr + ((<usize>n & ~3) << 2);
  while (p < end4) {
    s0 = f32x4.add(s0, exp2v(f32x4.mul(f32x4.sub(v128.load(p), vm), vc)));
    p += 16;
  }
  s0 = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  let s = f32x4.extract_lane(s0, 0) + f32x4.extract_lane(s0, 1) + f32x4.extract_lane(s0, 2) + f32x4.extract_lane(s0, 3);
  const m = f32x4.extract_lane(vm, 0);
  const end = ptr + ((<usize>n) << 2);
  while (p < end) {
    s += exp2s((load<f32>(p) - m) * c);
    p += 4;
  }
  return s;
}

// The entropy floor: expSum's pass that also sums e·z (z clamped at the exponential's cutoff,
// where e is 0, so that a masked -Infinity gives 0, not NaN) — the least work of a sample
// that reports the distribution's entropy, as sampleDetailed() does.
export function expEntropy(ptr: usize, n: i32, c: f32): f32 {
  const vm = f32x4.splat(max(ptr, n));
  const vc = f32x4.splat(c);
  const cut = f32x4.splat(EXP_CUTOFF);
  let s0 = f32x4.splat(0);
  let s1 = s0;
  let s2 = s0;
  let s3 = s0;
  let t0 = s0;
  let t1 = s0;
  let t2 = s0;
  let t3 = s0;
  let p = ptr;
  const end16 = ptr + ((<usize>n & ~15) << 2);
  while (p < end16) {
    const z0 = f32x4.mul(f32x4.sub(v128.load(p), vm), vc),
      z1 = f32x4.mul(f32x4.sub(v128.load(p, 16), vm), vc),
      z2 = f32x4.mul(f32x4.sub(v128.load(p, 32), vm), vc),
      z3 = f32x4.mul(f32x4.sub(v128.load(p, 48), vm), vc);
    const e0 = exp2v(z0),
      e1 = exp2v(z1),
      e2 = exp2v(z2),
      e3 = exp2v(z3);
    s0 = f32x4.add(s0, e0);
    s1 = f32x4.add(s1, e1);
    s2 = f32x4.add(s2, e2);
    s3 = f32x4.add(s3, e3);
    t0 = f32x4.add(t0, f32x4.mul(e0, f32x4.pmax(z0, cut)));
    t1 = f32x4.add(t1, f32x4.mul(e1, f32x4.pmax(z1, cut)));
    t2 = f32x4.add(t2, f32x4.mul(e2, f32x4.pmax(z2, cut)));
    t3 = f32x4.add(t3, f32x4.mul(e3, f32x4.pmax(z3, cut)));
    p += 64;
  }
  const m = f32x4.extract_lane(vm, 0);
  const end = ptr + ((<usize>n) << 2);
  s0 = f32x4.add(f32x4.add(s0, s1), f32x4.add(s2, s3));
  t0 = f32x4.add(f32x4.add(t0, t1), f32x4.add(t2, t3));
  let s = f32x4.extract_lane(s0, 0) + f32x4.extract_lane(s0, 1) + f32x4.extract_lane(s0, 2) + f32x4.extract_lane(s0, 3);
  let t = f32x4.extract_lane(t0, 0) + f32x4.extract_lane(t0, 1) + f32x4.extract_lane(t0, 2) + f32x4.extract_lane(t0, 3);
  while (p < end) {
    const z = (load<f32>(p) - m) * c;
    const e = exp2s(z);
    s += e;
    t += e * Mathf.max(z, EXP_CUTOFF);
    p += 4;
  }
  return s + t;
}
