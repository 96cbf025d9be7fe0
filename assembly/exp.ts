// The one exponential every backend uses: e = 2^z for z = (x - max) · log2(e)/T ≤ 0.
// Written as a range reduction plus a degree-5 polynomial so that the SIMD lanes, the scalar
// build and the TypeScript twin (src/backend/js/exp.ts) perform the very same float32
// operations in the same order: Math.exp/Mathf.exp differ between engines, this does not.

/** Below this z the result is exactly 0 (and -Infinity logits land here too). Such a token
 *  cannot be drawn anyway: the draw adds masses in float64 to a running total that is ≥ 1
 *  once the most likely token (e = 1) is counted, and e < 2^-53 is under half an ulp of
 *  it, so adding e changes nothing. Flushing here lets blocks of such tokens skip the
 *  polynomial — in peaked LM logits, most of the vocabulary. */
export const EXP_CUTOFF: f32 = -53.0;

/** Adding 1.5·2^23 rounds a float32 |z| < 2^22 to an integer, ties to even (f32.nearest),
 *  and leaves that integer in the low mantissa bits, where 2^k can be read off directly. */
export const ROUNDER: f32 = 12582912.0;
const ROUNDER_BITS: i32 = 0x4b400000;

// 2^f ≈ 1 + f·(C1 + f·(C2 + f·(C3 + f·(C4 + f·C5)))) on f ∈ [-0.5, 0.5]; a relative-error fit
// with the constant pinned to 1 so that exp2(0) — the most likely token — is exactly 1.
// Max relative error 1.9e-7 in float32 Horner; monotone on the interval.
export const C1: f32 = 0.6931470036506653;
export const C2: f32 = 0.24022242426872253;
export const C3: f32 = 0.05550733953714371;
export const C4: f32 = 0.009671513922512531;
export const C5: f32 = 0.0013264719163998961;

// @ts-ignore: decorator
@inline export function exp2s(z: f32): f32 {
  if (z < EXP_CUTOFF) return 0;
  const r = z + ROUNDER;
  const k = r - ROUNDER;
  const f = z - k;
  let q = C5 * f + C4;
  q = q * f + C3;
  q = q * f + C2;
  q = q * f + C1;
  const p = q * f + 1.0;
  return p * reinterpret<f32>((reinterpret<i32>(r) - ROUNDER_BITS + 127) << 23);
}

// @ts-ignore: decorator
@inline export function exp2v(z: v128): v128 {
  const r = f32x4.add(z, f32x4.splat(ROUNDER));
  const k = f32x4.sub(r, f32x4.splat(ROUNDER));
  const f = f32x4.sub(z, k);
  let q = f32x4.add(f32x4.mul(f32x4.splat(C5), f), f32x4.splat(C4));
  q = f32x4.add(f32x4.mul(q, f), f32x4.splat(C3));
  q = f32x4.add(f32x4.mul(q, f), f32x4.splat(C2));
  q = f32x4.add(f32x4.mul(q, f), f32x4.splat(C1));
  const p = f32x4.add(f32x4.mul(q, f), f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.sub(r, i32x4.splat(ROUNDER_BITS - 127)), 23);
  // Lanes below the cutoff (including -Infinity, whose reduction is NaN) become +0.
  return v128.and(f32x4.mul(p, scale), f32x4.ge(z, f32x4.splat(EXP_CUTOFF)));
}
