// The one exponential every backend uses, e = 2^z for z = (x - max)·log2(e)/T ≤ 0, and the
// one logarithm (for probability input). Both are a range reduction plus a polynomial, so the
// SIMD lanes, the scalar build and the JavaScript generated from it perform the very same float32
// operations in the same order: Math.exp and Math.log differ between engines, these do not.

/** Below this z the result is exactly 0 (and -Infinity logits land here too). Such a token
 *  cannot be drawn anyway: the draw adds masses in float64 to a running total that is ≥ 1
 *  once the most likely token (e = 1) is counted, and e < 2^-53 is under half an ulp of it.
 *  Flushing lets whole blocks of such tokens skip the polynomial. */
export const EXP_CUTOFF: f32 = -53.0;

/** Adding 1.5·2^23 rounds a float32 |z| < 2^22 to an integer, ties to even, and leaves that
 *  integer in the low mantissa bits, where 2^k can be read off directly. */
export const ROUNDER: f32 = 12582912.0;
const ROUNDER_BITS: i32 = 0x4b400000;

// 2^f ≈ 1 + f·(C1 + f·(C2 + f·(C3 + f·(C4 + f·C5)))) on f ∈ [-0.5, 0.5]; a relative-error fit
// with the constant pinned to 1 so that exp2(0) — the most likely token — is exactly 1.
// Max relative error 1.9e-7 in float32 Horner.
export const C1: f32 = 0.6931470036506653;
export const C2: f32 = 0.24022242426872253;
export const C3: f32 = 0.05550733953714371;
export const C4: f32 = 0.009671513922512531;
export const C5: f32 = 0.0013264719163998961;

/** 2^z, one lane. */
export function exp2s(z: f32): f32 {
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

/** exp2v's constants, one vector each, written once when the module starts. */
const EXP_K = memory.data(144, 16);
if (ASC_FEATURE_SIMD) {
  v128.store(EXP_K, f32x4.splat(ROUNDER));
  v128.store(EXP_K, f32x4.splat(C5), 16);
  v128.store(EXP_K, f32x4.splat(C4), 32);
  v128.store(EXP_K, f32x4.splat(C3), 48);
  v128.store(EXP_K, f32x4.splat(C2), 64);
  v128.store(EXP_K, f32x4.splat(C1), 80);
  v128.store(EXP_K, f32x4.splat(1.0), 96);
  v128.store(EXP_K, i32x4.splat(ROUNDER_BITS - 127), 112);
  v128.store(EXP_K, f32x4.splat(EXP_CUTOFF), 128);
}

/**
 * 2^z, four lanes; the same operations as exp2s. A NaN lane stays NaN. The constants are
 * loaded from EXP_K rather than written as v128.const: V8 rebuilds a vector constant on every
 * use inside a loop (several instructions each), and a load from memory is one; the passes
 * ran 8% faster.
 */
export function exp2v(z: v128): v128 {
  const rounder = v128.load(EXP_K);
  const r = f32x4.add(z, rounder);
  const k = f32x4.sub(r, rounder);
  const f = f32x4.sub(z, k);
  let q = f32x4.add(f32x4.mul(v128.load(EXP_K, 16), f), v128.load(EXP_K, 32));
  q = f32x4.add(f32x4.mul(q, f), v128.load(EXP_K, 48));
  q = f32x4.add(f32x4.mul(q, f), v128.load(EXP_K, 64));
  q = f32x4.add(f32x4.mul(q, f), v128.load(EXP_K, 80));
  const p = f32x4.add(f32x4.mul(q, f), v128.load(EXP_K, 96));
  const scale = i32x4.shl(i32x4.sub(r, v128.load(EXP_K, 112)), 23);
  // Lanes below the cutoff (including -Infinity, whose reduction is NaN) become +0.
  return v128.andnot(f32x4.mul(p, scale), f32x4.lt(z, v128.load(EXP_K, 128)));
}

// ln p = k·ln 2 + 2·atanh(t), t = (m - 1)/(m + 1), for p = m·2^k with m ∈ [√½, √2): |t| ≤ 0.172,
// and the odd series of atanh to t^9 leaves a relative error below 2e-8 before rounding.
// ln 2 is split so that k·LN2_HI is exact for every k a float32 can have.
export const LN2_HI: f32 = 0.693145751953125;
export const LN2_LO: f32 = 1.428606765330187e-6;
export const L3: f32 = 0.3333333432674408;
export const L5: f32 = 0.20000000298023224;
export const L7: f32 = 0.1428571492433548;
export const L9: f32 = 0.1111111119389534;
/** Mantissa bits of √2: a larger mantissa is halved into [√½, 1). */
const SQRT2_MANTISSA: i32 = 0x3504f3;

/** ln p for a float32 p ≥ 0 (-Infinity at 0); callers have rejected NaN, +Infinity and p < 0. */
export function lns(p: f32): f32 {
  if (p == 0) return -Infinity;
  let bits = reinterpret<i32>(p);
  let k = -127;
  if (bits < 0x00800000) {
    // Subnormal: 2^24·p is exact and normal.
    bits = reinterpret<i32>(p * 16777216.0);
    k = -151;
  }
  const mant = bits & 0x007fffff;
  const big = mant > SQRT2_MANTISSA ? 1 : 0;
  k += (bits >>> 23) + big;
  const m = reinterpret<f32>(mant | ((127 - big) << 23));
  const t = (m - 1.0) / (m + 1.0);
  const t2 = t * t;
  let q = L9 * t2 + L7;
  q = q * t2 + L5;
  q = q * t2 + L3;
  q = q * t2 + 1.0;
  const kf = <f32>k;
  return kf * LN2_HI + (kf * LN2_LO + (t + t) * q);
}

/** ln p, four lanes; the same operations as lns. */
export function lnv(p: v128): v128 {
  const zero = f32x4.splat(0);
  const sub = i32x4.lt_s(p, i32x4.splat(0x00800000));
  const bits = v128.bitselect(f32x4.mul(p, f32x4.splat(16777216.0)), p, sub);
  const mant = v128.and(bits, i32x4.splat(0x007fffff));
  const big = i32x4.gt_s(mant, i32x4.splat(SQRT2_MANTISSA)); // -1 where halved
  // k = (bits >>> 23) - 127 - (24 if subnormal) + (1 if halved)
  let k = i32x4.sub(i32x4.shr_u(bits, 23), big);
  k = i32x4.add(k, v128.bitselect(i32x4.splat(-151), i32x4.splat(-127), sub));
  const m = v128.or(mant, i32x4.add(i32x4.splat(127 << 23), i32x4.shl(big, 23)));
  const one = f32x4.splat(1.0);
  const t = f32x4.div(f32x4.sub(m, one), f32x4.add(m, one));
  const t2 = f32x4.mul(t, t);
  let q = f32x4.add(f32x4.mul(f32x4.splat(L9), t2), f32x4.splat(L7));
  q = f32x4.add(f32x4.mul(q, t2), f32x4.splat(L5));
  q = f32x4.add(f32x4.mul(q, t2), f32x4.splat(L3));
  q = f32x4.add(f32x4.mul(q, t2), one);
  const kf = f32x4.convert_i32x4_s(k);
  const r = f32x4.add(
    f32x4.mul(kf, f32x4.splat(LN2_HI)),
    f32x4.add(f32x4.mul(kf, f32x4.splat(LN2_LO)), f32x4.mul(f32x4.add(t, t), q)),
  );
  return v128.bitselect(f32x4.splat(-Infinity), r, f32x4.eq(p, zero));
}

// ---- float64, for the few scalar decisions a call makes (dynamic temperature, min-p's bound) ----
// AssemblyScript's own Math.log and Math.pow would do, but their lookup tables triple the size of
// the kernels; these are a range reduction and a series each, accurate to a few ulps.

/** log2(x) for a finite x > 0. x = m·2^k with m ∈ [√½, √2), and ln m = 2·atanh(t),
 *  t = (m − 1)/(m + 1), |t| ≤ 0.172: the odd series to t^23 leaves < 1e-17. */
export function log2d(x: f64): f64 {
  let bits = reinterpret<u64>(x);
  let k = 0;
  if (bits < 0x0010000000000000) {
    // Subnormal: 2^54·x is exact and normal.
    bits = reinterpret<u64>(x * 18014398509481984.0);
    k = -54;
  }
  k += <i32>(bits >> 52) - 1023;
  let mant = bits & 0x000fffffffffffff;
  // √2 has mantissa bits 0x6a09e667f3bcd: a larger mantissa is halved into [√½, 1).
  if (mant > 0x6a09e667f3bcd) {
    k += 1;
    mant |= (<u64>1022) << 52;
  } else mant |= (<u64>1023) << 52;
  const m = reinterpret<f64>(mant);
  const t = (m - 1) / (m + 1);
  const t2 = t * t;
  let q: f64 = 1.0 / 23;
  for (let j = 21; j >= 1; j -= 2) q = q * t2 + 1.0 / <f64>j;
  return <f64>k + 2 * t * q * Math.LOG2E;
}

/** 2^y for y ≤ 1024 (0 below -1075). y = k + f, f ∈ [−½, ½], 2^f = e^(f·ln 2) by its Taylor
 *  series to the 14th power (< 1e-17 relative). */
export function exp2d(y: f64): f64 {
  if (y < -1075) return 0;
  const k = <i32>Math.floor(y + 0.5);
  const r = (y - <f64>k) * Math.LN2;
  let q: f64 = 1;
  for (let j = 14; j >= 1; j--) q = 1 + (q * r) / <f64>j;
  // 2^k in two factors, so that k down to -1075 stays representable through the product.
  const half = k >> 1;
  return q * reinterpret<f64>((<u64>(half + 1023)) << 52) * reinterpret<f64>((<u64>(k - half + 1023)) << 52);
}

/** ln x for a finite x > 0. */
export function lnd(x: f64): f64 {
  return log2d(x) * Math.LN2;
}

/** b^e for b ∈ [0, 1] and a finite e ≥ 0 (0^0 = 1, as Math.pow has it). */
export function powd(b: f64, e: f64): f64 {
  if (e == 0) return 1;
  if (b == 0) return 0;
  return exp2d(e * log2d(b));
}

/** √v for a finite v ≥ 0, by Newton's iteration from a guess within √2 (the exponent halved):
 *  five steps reach full precision. Math.sqrt would be one instruction, but how JavaScript
 *  engines round it is theirs to say; this is +, / and * only. */
export function sqrtd(v: f64): f64 {
  if (v == 0) return 0;
  const e = <i32>(reinterpret<u64>(v) >> 52) - 1023;
  let y = reinterpret<f64>((<u64>((e >> 1) + 1023)) << 52);
  for (let i = 0; i < 6; i++) y = 0.5 * (y + v / y);
  return y;
}
