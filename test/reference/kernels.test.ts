// The kernels' own arithmetic (exported for these tests): the one float32 exponential and
// logarithm every probability comes from, and the float64 logarithm and power that decide a
// dynamic temperature and min-p's bound. Each against float64, on the wasm-simd build;
// test/parity/kernels.test.ts proves the other builds' bit-identical.
import { beforeAll, describe, expect, test } from 'vitest';
import type { KernelExports } from '../../src/backend/kernels.js';
import { kernelBuilds } from '../support/backends.js';
import { xorshift } from '../support/data.js';

const f32 = Math.fround;
/** Below this z the exponential is exactly 0 (assembly/exp.ts). */
const EXP_CUTOFF = -53;

let builds: { name: string; k: KernelExports }[] = [];
beforeAll(async () => {
  builds = await kernelBuilds();
});
/** The wasm-simd build's functions. */
const exp2 = (z: number) => builds[0]!.k.exp2s(z);
const ln = (p: number) => builds[0]!.k.lns(p);

describe('exp2s (the one exponential)', () => {
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

describe('lns (probabilities → logits)', () => {
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

describe('log2d and exp2d (float64: dynamic temperature, min-p)', () => {
  const ulps = (got: number, want: number) => Math.abs(got - want) / (Number.EPSILON * Math.abs(want));

  test('log2d within 4 ulps of Math.log2 from the smallest subnormal to the largest double', () => {
    const g = xorshift(7);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const x = 2 ** (g() * 2096 - 1074) * (1 + g());
      const want = Math.log2(x);
      if (Math.abs(want) < 1) continue; // near 1 the error is absolute, checked below
      worst = Math.max(worst, ulps(builds[0]!.k.log2d(x), want));
    }
    expect(worst).toBeLessThan(4);
    for (let i = 0; i < 100_000; i++) {
      const x = 0.5 + 1.5 * g();
      expect(Math.abs(builds[0]!.k.log2d(x) - Math.log2(x))).toBeLessThan(4 * Number.EPSILON);
    }
    for (let k = -1074; k <= 1023; k++) expect(builds[0]!.k.log2d(2 ** k)).toBe(k);
  });

  test('exp2d within 4 ulps of 2^y over [-1074, 1023], exactly 1 at 0', () => {
    const g = xorshift(9);
    let worst = 0;
    for (let i = 0; i < 200_000; i++) {
      const y = g() * 2000 - 1000;
      worst = Math.max(worst, ulps(builds[0]!.k.exp2d(y), 2 ** y));
    }
    expect(worst).toBeLessThan(4);
    expect(builds[0]!.k.exp2d(0)).toBe(1);
    expect(builds[0]!.k.exp2d(-1080)).toBe(0);
    for (let k = -1022; k <= 1023; k += 7) expect(builds[0]!.k.exp2d(k)).toBe(2 ** k);
  });
});
