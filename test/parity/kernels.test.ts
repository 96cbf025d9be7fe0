// The kernels' own arithmetic (reference/kernels.test.ts checks it against float64 on the
// wasm-simd build) is bit-identical on the three builds: the float32 exponential and logarithm
// every probability comes from, and the float64 logarithm and power of dynamic temperature
// and min-p.
import { beforeAll, describe, test } from 'vitest';
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

describe('bit-identical on the three builds', () => {
  test('exp2s over [-53.5, 0]', () => {
    const exp2 = builds[0]!.k.exp2s;
    for (let i = 0; i <= 200_000; i++) {
      const z = f32(EXP_CUTOFF * 1.01 * (i / 200_000));
      const want = exp2(z);
      for (const { name, k } of builds) if (!Object.is(k.exp2s(z), want)) throw new Error(`${name}: exp2s(${z})`);
    }
  });

  test('lns over the float32 range', () => {
    const buf = new Float32Array(1);
    const bits = new Uint32Array(buf.buffer);
    for (let b = 0; b <= 0x7f7fffff; b += 4099) {
      bits[0] = b;
      const p = buf[0]!;
      const want = builds[0]!.k.lns(p);
      for (const { name, k } of builds) if (!Object.is(k.lns(p), want)) throw new Error(`${name}: lns(${p})`);
    }
  });

  test('log2d and exp2d', () => {
    const g = xorshift(11);
    for (let i = 0; i < 50_000; i++) {
      const x = 2 ** (g() * 200 - 100),
        y = g() * 200 - 150;
      const a = builds[0]!.k.log2d(x),
        b = builds[0]!.k.exp2d(y);
      for (const { name, k } of builds) {
        if (!Object.is(k.log2d(x), a) || !Object.is(k.exp2d(y), b))
          throw new Error(`${name}: log2d(${x}) or exp2d(${y})`);
      }
    }
  });
});
