// Zero-copy views, memory sized to the vocabulary actually used, growth done by the host, and
// kernels that never allocate.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { makeLogits } from '../support/data.js';

const argmaxOf = (x: Float32Array) => x.reduce((best, v, i) => (v > x[best]! ? i : best), 0);

describe('memory', () => {
  test.each(['logit-sampler.simd.wat', 'logit-sampler.wat'])('%s never allocates or grows memory', (file) => {
    const wat = readFileSync(new URL(`../../build/${file}`, import.meta.url), 'utf8');
    expect(wat).toMatch(/\(export "run"/);
    expect(wat).toMatch(/\(export "bytesFor"/);
    // The host grows memory (after bytesFor() says how much); the kernels only lay it out.
    expect(wat).not.toMatch(/memory\.grow|__alloc|__new|__renew|\(import /);
  });

  test('a call with every control allocates no record or array, only a few boxed numbers', async () => {
    // The sampling heap profiler, counting what minor GCs already collected too: a per-call
    // options record or Object.keys() array (330–640 bytes a call before) shows up at once;
    // what remains (about 150 bytes here, 30–80 from dist/) is V8 boxing doubles read from
    // params and returned by small functions.
    const { Session } = await import('node:inspector/promises');
    const n = 4096;
    const s = await createSampler({ backend: 'wasm-simd', seed: 1 });
    const view = s.logitsView(n);
    view.set(makeLogits(n, 'lm', 2));
    const params = {
      temperature: 0.8,
      topP: 0.9,
      allowed: new Uint32Array(n / 32).fill(0xffff7fff),
      logitBias: { ids: Int32Array.of(1, 5, 9), values: Float32Array.of(1, -1, -Infinity) },
      history: Int32Array.of(3, 4, 3),
      repetitionPenalty: 1.1,
      frequencyPenalty: 0.2,
    };
    for (let i = 0; i < 5000; i++) s.sample(view, params);
    const session = new Session();
    session.connect();
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 32,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    const calls = 20_000;
    for (let i = 0; i < calls; i++) s.sample(view, params);
    const { profile } = await session.post('HeapProfiler.stopSampling');
    session.disconnect();
    type Node = { selfSize: number; children: Node[] };
    const total = (node: Node): number => node.selfSize + node.children.reduce((sum, c) => sum + total(c), 0);
    expect(total(profile.head as Node) / calls).toBeLessThan(256);
  });

  test('the scalar build contains no SIMD instruction, the SIMD build does', () => {
    const scalar = readFileSync(new URL('../../build/logit-sampler.wat', import.meta.url), 'utf8');
    const simd = readFileSync(new URL('../../build/logit-sampler.simd.wat', import.meta.url), 'utf8');
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

    test(`${backend}: memory is sized to the largest vocabulary seen, never reserved up front`, async () => {
      const s = await createSampler({ backend, seed: 4 });
      const fresh = s.memoryBytes;
      // A new sampler holds its fixed regions only: far less than one 256k vocabulary (1 MiB).
      expect(fresh).toBeLessThan(2 ** 20);
      s.sample(makeLogits(1000, 'flat', 1));
      const small = s.memoryBytes;
      // 1000 tokens need a few dozen bytes each (logits, stage, scratch): well under 1 MiB.
      expect(small).toBeLessThan(2 ** 20);
      s.sample(makeLogits(256_000, 'flat', 2));
      const large = s.memoryBytes;
      expect(large).toBeGreaterThan(256_000 * 4 * 2); // at least the view and the stage
      // Smaller calls afterwards reuse it: memory is never shrunk or grown again.
      for (const n of [10, 1000, 255_999, 256_000]) s.sample(makeLogits(n, 'flat', n));
      expect(s.memoryBytes).toBe(large);
    });

    test(`${backend}: growth detaches old views; the view region keeps its place and contents`, async () => {
      const s = await createSampler({ backend, seed: 4 });
      // The js backend, bit-identical by parity.test.ts, says which token each call must draw.
      const twin = await createSampler({ backend: 'js', seed: 4 });
      const small = makeLogits(1000, 'flat', 2);
      const view = s.logitsView(small.length);
      view.set(small);
      expect(s.sample(view, { topP: 0.9 })).toBe(twin.sample(small, { topP: 0.9 }));
      const before = s.memoryBytes;

      const big = makeLogits(300_000, 'flat', 3);
      expect(s.sample(big, { topP: 0.9 })).toBe(twin.sample(big, { topP: 0.9 }));
      expect(s.memoryBytes).toBeGreaterThan(before);
      expect(view.length).toBe(0); // detached by the growth
      expect(() => s.sample(view)).toThrow(RangeError);
      expect(() => s.sample(view)).toThrow(/detached.*call logitsView\(\) again/);
      // The same memory, at the same place, with what was written before the growth.
      const again = s.logitsView(small.length);
      expect(again).toEqual(small);
      expect(s.sample(again, { temperature: 0 })).toBe(argmaxOf(small));
      // And a view that grows memory itself carries the old contents into the larger view.
      const larger = s.logitsView(600_000);
      expect(larger.subarray(0, small.length)).toEqual(small);
      expect(again.length).toBe(0);
    });
  }

  test('js: logitsView is a plain Float32Array the sampler reads directly, and keeps its contents', async () => {
    const s = await createSampler({ backend: 'js', seed: 1 });
    const v = s.logitsView(1000);
    v.fill(0);
    v[999] = 10;
    expect(s.sample(v, { temperature: 0 })).toBe(999);
    const w = s.logitsView(5000);
    expect(w[999]).toBe(10);
    expect(s.sample(w.subarray(0, 1000), { temperature: 0 })).toBe(999);
  });
});
