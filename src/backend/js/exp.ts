// Twin of assembly/exp.ts: the same polynomial, each float32 operation rounded with
// Math.fround exactly where the WASM code rounds.
const fround = Math.fround;

export const EXP_CUTOFF = -53;
export const C1 = fround(0.6931470036506653);
export const C2 = fround(0.24022242426872253);
export const C3 = fround(0.05550733953714371);
export const C4 = fround(0.009671513922512531);
export const C5 = fround(0.0013264719163998961);

/** Adding then subtracting 1.5·2^23 rounds a float32 |z| < 2^22 to an integer, ties to even:
 *  exactly what f32.nearest / f32x4.nearest do. */
const ROUNDER = 12582912;
/** 2^k for k = -127 … 0, indexed by k + 127 (exact doubles: multiplying by one is exact,
 *  as building its bits is in WASM). */
const POW2 = Float64Array.from({ length: 128 }, (_, i) => 2 ** (i - 127));

/** 2^z for a float32 z ≤ 0; exactly 0 below the cutoff (and for -Infinity). */
export function exp2(z: number): number {
  if (!(z >= EXP_CUTOFF)) return 0;
  const k = fround(fround(z + ROUNDER) - ROUNDER);
  const f = fround(z - k);
  let q = fround(fround(C5 * f) + C4);
  q = fround(fround(q * f) + C3);
  q = fround(fround(q * f) + C2);
  q = fround(fround(q * f) + C1);
  const p = fround(fround(q * f) + 1);
  return fround(p * POW2[k + 127]!);
}
