// Kernel-level checks of the pieces every backend shares, against float64 and plain sorts.
// (The WASM kernels are the same algorithm; parity.test.ts proves they give the same bits.)
import { describe, expect, test } from 'vitest';
import { EXP_CUTOFF, exp2, ln } from '../src/backend/js/exp.js';
import { Workspace } from '../src/backend/js/layout.js';
import { keyToFloat, orderKey, radixSelect, sortPairs } from '../src/backend/js/sort.js';
import { Xoshiro128 } from '../src/rng.js';

const f32 = Math.fround;

describe('exp2 (the one exponential)', () => {
  test('relative error < 3e-7 against 2^z in float64 over [-53, 0], exactly 1 at 0', () => {
    let worst = 0;
    for (let i = 0; i <= 2_000_000; i++) {
      const z = f32(EXP_CUTOFF * (i / 2_000_000));
      const want = 2 ** z;
      worst = Math.max(worst, Math.abs(exp2(z) - want) / want);
    }
    expect(worst).toBeLessThan(3e-7);
    expect(exp2(0)).toBe(1);
    expect(exp2(-0)).toBe(1);
  });

  test('monotone up to float32 rounding, and never above 1', () => {
    // Every float32 in [-0.6, -0.4], where the range reduction switches from k = 0 to k = -1:
    // a float32 polynomial may wobble by one ulp between neighbours where 2^z is flat at
    // float32 resolution, never more. On a coarser grid it is strictly non-decreasing.
    const buf = new Float32Array(1);
    const bits = new Int32Array(buf.buffer);
    buf[0] = -0.6;
    const last = new Int32Array(new Float32Array([-0.4]).buffer)[0]!;
    let prev = 0;
    for (let b = bits[0]!; b >= last; b--) {
      bits[0] = b;
      const v = exp2(buf[0]!);
      if (v < prev - 2 ** -24 || v > 1) throw new Error(`exp2(${buf[0]}) = ${v} after ${prev}`);
      prev = v;
    }
    prev = 0;
    for (let z = EXP_CUTOFF; z <= 0; z += 1 / 1024) {
      const v = exp2(f32(z));
      expect(v).toBeGreaterThanOrEqual(prev);
      expect(v).toBeLessThanOrEqual(1);
      prev = v;
    }
  });

  test('exactly 0 below the cutoff and for -Infinity', () => {
    expect(exp2(f32(EXP_CUTOFF - 1e-5))).toBe(0);
    expect(exp2(-1000)).toBe(0);
    expect(exp2(-Infinity)).toBe(0);
    expect(exp2(EXP_CUTOFF)).toBeGreaterThan(0);
  });
});

describe('ln (probabilities → logits)', () => {
  const buf = new Float32Array(1);
  const bits = new Uint32Array(buf.buffer);
  const float = (b: number) => {
    bits[0] = b;
    return buf[0]!;
  };

  // Measured (these two tests, Node 20): worst relative error 2.27e-7 over [0.5, 2] (at
  // p = 1.1365), 2.06e-7 over the whole range; worst absolute error 3.9e-6 (at p = 2.9e34,
  // ln p = 79.3, under 3 float32 ulps). The 3e-7 bound leaves ~30% headroom.
  test('relative error < 3e-7 against Math.log in float64, on every float32 in [0.5, 2]', () => {
    let worst = 0;
    for (let b = 0x3f000000; b <= 0x40000000; b++) {
      const p = float(b);
      if (p === 1) continue;
      const want = Math.log(p);
      worst = Math.max(worst, Math.abs(ln(p) - want) / Math.abs(want));
    }
    expect(worst).toBeLessThan(3e-7);
    expect(ln(1)).toBe(0);
  });

  test('relative error < 3e-7 and monotone over the whole float32 range, subnormals included', () => {
    let worst = 0;
    let prev = -Infinity;
    for (let b = 1; b <= 0x7f7fffff; b += 257) {
      const p = float(b);
      const got = ln(p);
      const want = Math.log(p);
      if (want === 0) continue;
      worst = Math.max(worst, Math.abs(got - want) / Math.abs(want));
      if (got < prev) throw new Error(`ln(${p}) = ${got} after ${prev}`);
      prev = got;
    }
    expect(worst).toBeLessThan(3e-7);
    // The ends: the smallest subnormal, the largest float, and 0 (a masked token).
    expect(Math.abs(ln(2 ** -149) - Math.log(2 ** -149))).toBeLessThan(3e-7 * 104);
    expect(Math.abs(ln(3.4028234663852886e38) - Math.log(3.4028234663852886e38))).toBeLessThan(3e-7 * 89);
    expect(ln(0)).toBe(-Infinity);
    expect(ln(-0)).toBe(-Infinity);
  });

  test('exact where float32 is: ln(2^k) is the float32 nearest k·ln 2 within one ulp', () => {
    for (let k = -149; k <= 127; k++) {
      const want = k * Math.LN2;
      const got = ln(2 ** k);
      const ulp = want === 0 ? 0 : 2 ** (Math.floor(Math.log2(Math.abs(want))) - 23);
      expect(Math.abs(got - want)).toBeLessThanOrEqual(ulp);
    }
  });
});

describe('radix selection and sort', () => {
  const g = new Xoshiro128(3n);
  const w = new Workspace();
  const randomFloats = (n: number, ties: boolean) =>
    Float32Array.from({ length: n }, () => (ties ? Math.floor((g.nextUnit() - 0.5) * 8) : (g.nextUnit() - 0.5) * 1e6));

  test('orderKey orders like the floats, -Infinity … +Infinity, and keyToFloat inverts it', () => {
    const xs = [-Infinity, -3.4e38, -1, -1e-45, -0, 0, 1e-45, 1, 3.4e38, Infinity].map(Math.fround);
    const keys = xs.map(orderKey);
    for (let i = 1; i < keys.length; i++) expect(keys[i]!).toBeGreaterThanOrEqual(keys[i - 1]!);
    for (const x of xs) expect(Object.is(keyToFloat(orderKey(x)), x)).toBe(true);
    const r = randomFloats(1000, false);
    for (let i = 1; i < r.length; i++) {
      expect(Math.sign(orderKey(r[i]!) - orderKey(r[i - 1]!))).toBe(Math.sign(r[i]! - r[i - 1]!));
    }
  });

  test.each([
    [1, 1],
    [10, 3],
    [1000, 40],
    [1000, 1000],
    [5000, 777],
    [3, 2],
  ])('radixSelect: k-th largest of %i floats (k = %i), with and without ties', (n, k) => {
    for (const ties of [false, true]) {
      const x = randomFloats(n, ties);
      x[0] = -Infinity;
      const keys = Uint32Array.from(x, orderKey);
      const got = keyToFloat(radixSelect(w, keys, n, k));
      const want = Array.from(x).sort((a, b) => b - a)[k - 1];
      expect(got).toBe(want);
    }
  });

  test.each([5, 32, 33, 2048])('sortPairs is a stable ascending sort (%i pairs)', (n) => {
    const keys = Uint32Array.from({ length: n }, () => Math.floor(g.nextUnit() * 300));
    const vals = Int32Array.from({ length: n }, (_, i) => i);
    const want = Array.from(keys, (k, i) => [k, i]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    sortPairs(w, keys, vals, n, new Uint32Array(n), new Int32Array(n));
    expect(Array.from(keys)).toEqual(want.map((p) => p[0]));
    expect(Array.from(vals)).toEqual(want.map((p) => p[1]));
  });

  test('sortPairs orders full 32-bit keys (every byte matters)', () => {
    const n = 2048;
    const keys = Uint32Array.from({ length: n }, () => g.nextU32());
    keys[7] = 0xffffffff;
    keys[8] = 0;
    const vals = Int32Array.from({ length: n }, (_, i) => i);
    const want = Array.from(keys, (k, i) => [k, i]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    sortPairs(w, keys, vals, n, new Uint32Array(n), new Int32Array(n));
    expect(Array.from(keys)).toEqual(want.map((p) => p[0]));
    expect(Array.from(vals)).toEqual(want.map((p) => p[1]));
  });
});
