// Twin of assembly/exp.ts: the same polynomials, each float32 operation rounded with
// Math.fround exactly where the WASM code rounds — except where the result is provably exact
// already: k = round(z) and z − k (Sterbenz), and the final scaling by 2^k.
import { bitsOf, floatOf } from '../../bits.js';

const fround = Math.fround;

export const EXP_CUTOFF = -53;
export const C1 = fround(0.6931470036506653);
export const C2 = fround(0.24022242426872253);
export const C3 = fround(0.05550733953714371);
export const C4 = fround(0.009671513922512531);
export const C5 = fround(0.0013264719163998961);

/** Adding then subtracting 1.5·2^23 rounds a float32 |z| < 2^22 to an integer, ties to even. */
export const ROUNDER = 12582912;
/** 2^k for k = −127 … 0, indexed by k + 127 (exact doubles: multiplying by one is exact, as
 *  building its bits is in WASM). */
const POW2 = Float64Array.from({ length: 128 }, (_, i) => 2 ** (i - 127));

/** 2^z for a float32 z ≤ 0; exactly 0 below the cutoff (and for −Infinity); NaN for NaN. */
export function exp2(z: number): number {
  if (z < EXP_CUTOFF) return 0;
  const k = fround(z + ROUNDER) - ROUNDER; // an integer: exact
  const f = z - k; // |f| ≤ ½ and exact (Sterbenz)
  let q = fround(fround(C5 * f) + C4);
  q = fround(fround(q * f) + C3);
  q = fround(fround(q * f) + C2);
  q = fround(fround(q * f) + C1);
  const p = fround(fround(q * f) + 1);
  return p * POW2[k + 127]!; // exact: p·2^k is a normal float32 for k ≥ −53
}

export const LN2_HI = fround(0.693145751953125);
export const LN2_LO = fround(1.428606765330187e-6);
export const L3 = fround(0.3333333432674408);
export const L5 = fround(0.20000000298023224);
export const L7 = fround(0.1428571492433548);
export const L9 = fround(0.1111111119389534);
const SQRT2_MANTISSA = 0x3504f3;

/** ln p for a float32 p ≥ 0 (−Infinity at 0); callers have rejected NaN, +Infinity and p < 0. */
export function ln(p: number): number {
  if (p === 0) return -Infinity;
  let bits = bitsOf(p);
  let k = -127;
  if (bits < 0x00800000) {
    bits = bitsOf(p * 16777216);
    k = -151;
  }
  const mant = bits & 0x007fffff;
  const big = mant > SQRT2_MANTISSA ? 1 : 0;
  k += (bits >>> 23) + big;
  const m = floatOf(mant | ((127 - big) << 23));
  const t = fround(fround(m - 1) / fround(m + 1));
  const t2 = fround(t * t);
  let q = fround(fround(L9 * t2) + L7);
  q = fround(fround(q * t2) + L5);
  q = fround(fround(q * t2) + L3);
  q = fround(fround(q * t2) + 1);
  return fround(fround(k * LN2_HI) + fround(fround(k * LN2_LO) + fround(fround(t + t) * q)));
}
