// Kernel-level checks of the pieces every backend shares, against float64 and plain sorts.
// (The WASM kernels are the same algorithm; parity.test.ts proves they give the same bits.)
import { describe, expect, test } from 'vitest';
import { EXP_CUTOFF, exp2 } from '../src/backend/js/exp.js';
import { keyToFloat, radixSelect, sortByKey, toOrderKeys } from '../src/backend/js/radix.js';
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

describe('radix selection and sort', () => {
  const g = new Xoshiro128(3n);
  const randomFloats = (n: number, ties: boolean) =>
    Float32Array.from({ length: n }, () => (ties ? Math.floor((g.nextUnit() - 0.5) * 8) : (g.nextUnit() - 0.5) * 1e6));

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
      const keys = new Uint32Array(new Float32Array(x).buffer);
      toOrderKeys(keys, n);
      const got = keyToFloat(radixSelect(keys, n, k, new Uint32Array(512)));
      const want = Array.from(x).sort((a, b) => b - a)[k - 1];
      expect(got).toBe(want);
    }
  });

  test.each([5, 32, 33, 4000])('sortByKey is a stable ascending sort (%i pairs)', (n) => {
    const keys = Uint32Array.from({ length: n }, () => Math.floor(g.nextUnit() * 300));
    const pos = Int32Array.from({ length: n }, (_, i) => i);
    const want = Array.from(keys, (k, i) => [k, i]).sort((a, b) => a[0]! - b[0]! || a[1]! - b[1]!);
    sortByKey(keys, pos, n, new Uint32Array(n), new Int32Array(n), new Uint32Array(512), 9);
    expect(Array.from(keys)).toEqual(want.map((p) => p[0]));
    expect(Array.from(pos)).toEqual(want.map((p) => p[1]));
  });
});
