// Zero-copy views, memory growth, and kernels that never allocate.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createSampler } from '../src/index.js';
import { makeLogits } from './support/data.js';

describe('memory', () => {
  test.each(['logit-sampler.simd.wat', 'logit-sampler.wat'])('%s never allocates or grows memory', (file) => {
    const wat = readFileSync(new URL(`../build/${file}`, import.meta.url), 'utf8');
    expect(wat).toMatch(/\(export "sample"/);
    expect(wat).not.toMatch(/memory\.grow|__alloc|__new|__renew|\(import /);
  });

  test('the scalar build contains no SIMD instruction, the SIMD build does', () => {
    const scalar = readFileSync(new URL('../build/logit-sampler.wat', import.meta.url), 'utf8');
    const simd = readFileSync(new URL('../build/logit-sampler.simd.wat', import.meta.url), 'utf8');
    expect(scalar).not.toMatch(/v128|f32x4|i32x4/);
    expect(simd).toMatch(/f32x4\.pmax/);
  });

  for (const backend of ['wasm-simd', 'wasm'] as const) {
    test(`${backend}: logitsView is read in place and matches the copying path`, async () => {
      const s = await createSampler({ backend, seed: 3 });
      const t = await createSampler({ backend, seed: 3 });
      const x = makeLogits(50_257, 'peaked', 1);
      const view = s.logitsView(x.length);
      view.set(x);
      for (const params of [{}, { topK: 40, topP: 0.9 }, { temperature: 0 }]) {
        expect(s.sample(view, params)).toBe(t.sample(x, params));
        expect(s.probs(view, params)).toEqual(t.probs(x, params));
      }
      // In place: a write through the view is what the next call sees.
      view.fill(-Infinity);
      view[12345] = 1;
      expect(s.sample(view)).toBe(12345);
      expect(view[12345]).toBe(1);
    });

    test(`${backend}: 256k is reserved up front; a larger vocabulary grows memory and detaches old views`, async () => {
      const s = await createSampler({ backend, seed: 4 });
      // The js backend, bit-identical by parity.test.ts, says which token each call must draw.
      const twin = await createSampler({ backend: 'js', seed: 4 });
      const before = s.memoryBytes;
      const view = s.logitsView(256_000);
      const small = makeLogits(256_000, 'flat', 2);
      view.set(small);
      expect(s.sample(view, { topP: 0.9 })).toBe(twin.sample(small, { topP: 0.9 }));
      expect(s.memoryBytes).toBe(before);

      const big = makeLogits(300_000, 'flat', 3);
      expect(s.sample(big, { topP: 0.9 })).toBe(twin.sample(big, { topP: 0.9 }));
      expect(s.memoryBytes).toBeGreaterThan(before);
      expect(view.length).toBe(0);
      expect(() => s.sample(view)).toThrow(/detached by a memory growth.*call logitsView\(\) again/);
      const fresh = s.logitsView(256_000);
      fresh.set(small);
      const argmax = small.reduce((best, v, i) => (v > small[best]! ? i : best), 0);
      expect(s.sample(fresh, { temperature: 0 })).toBe(argmax);
    });
  }

  test('js: logitsView is a plain Float32Array the sampler reads directly', async () => {
    const s = await createSampler({ backend: 'js', seed: 1 });
    const v = s.logitsView(1000);
    v.fill(0);
    v[999] = 10;
    expect(s.sample(v, { temperature: 0 })).toBe(999);
  });
});
