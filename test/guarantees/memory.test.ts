// Memory (README, Guarantees): kernels that never allocate, a JS heap untouched per call but for
// a few boxed numbers, memory sized to the largest vocabulary seen and grown by the host, up to
// 2^24 tokens, a refused growth that leaves the sampler as it was, small samplers for small
// vocabularies. (Views: views.test.ts; flat memory over many calls: endurance.test.ts.)
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createSampler, type Sampler } from '../../src/index.js';
import { BACKENDS, draws, KERNEL_BUILDS, twins } from '../support/backends.js';
import { makeLogits } from '../support/data.js';
import { bytesPerCall } from '../support/heap.js';
import { thrown } from '../support/thrown.js';

/** The documented vocabulary limit (src/limits.ts MAX_TOKENS). */
const MAX_TOKENS = 2 ** 24;

describe('memory', () => {
  test.each(['logit-sampler.simd.wat', 'logit-sampler.wat'])('%s never allocates or grows memory', (file) => {
    const wat = readFileSync(new URL(`../../build/${file}`, import.meta.url), 'utf8');
    expect(wat).toMatch(/\(export "run"/);
    expect(wat).toMatch(/\(export "bytesFor"/);
    // The host grows memory (after bytesFor() says how much); the kernels only lay it out.
    expect(wat).not.toMatch(/memory\.grow|__alloc|__new|__renew|\(import /);
  });

  test('a call with every control allocates no record or array, only a few boxed numbers', async () => {
    // The sampling heap profiler (support/heap.ts): a per-call options record or Object.keys()
    // array (330–640 bytes a call before) shows up at once; what remains (about 150 bytes here,
    // 30–80 from dist/) is V8 boxing doubles read from params and returned by small functions.
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
      epsilonCutoff: 1e-4,
      xtc: { probability: 0.5, threshold: 0.1 },
      minKeep: 2,
    };
    expect(await bytesPerCall(() => s.sample(view, params))).toBeLessThan(256);
  });

  test.each([
    ['dynamicTemperature', { dynamicTemperature: { min: 0.5, max: 1.5 } }],
    ['xtc', { xtc: { probability: 0.5, threshold: 0.1 } }],
  ])('%s: its object is read into a record reused call after call', async (_, params) => {
    // A fresh record for the nested object cost about 240 bytes a call (290 in all, before).
    const n = 4096;
    const s = await createSampler({ backend: 'wasm-simd', seed: 1 });
    const view = s.logitsView(n);
    view.set(makeLogits(n, 'lm', 2));
    expect(await bytesPerCall(() => s.sample(view, params))).toBeLessThan(150);
  });

  test('the scalar build contains no SIMD instruction, the SIMD build does', () => {
    const scalar = readFileSync(new URL('../../build/logit-sampler.wat', import.meta.url), 'utf8');
    const simd = readFileSync(new URL('../../build/logit-sampler.simd.wat', import.meta.url), 'utf8');
    expect(scalar).not.toMatch(/v128|f32x4|i32x4/);
    expect(simd).toMatch(/f32x4\.pmax/);
  });

  for (const backend of ['wasm-simd', 'wasm'] as const) {
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
  }
});

describe.each(BACKENDS)('the largest vocabularies (%s)', (backend) => {
  test(`n = 2^24 works, or is a clear RangeError when memory cannot grow`, async () => {
    const s = await createSampler({ backend, seed: 2 });
    let v: Float32Array;
    try {
      v = s.logitsView(MAX_TOKENS);
    } catch (e) {
      // A runtime may refuse 2^24 × ~40 bytes: then it must say so, and stay usable.
      expect(e).toBeInstanceOf(RangeError);
      expect((e as Error).message).toMatch(/cannot grow .* for 16777216 tokens/);
      expect(s.sample([1, 2, 3], { temperature: 0 })).toBe(2);
      return;
    }
    expect(v.length).toBe(MAX_TOKENS);
    v[MAX_TOKENS - 1] = 1;
    expect(s.sample(v, { temperature: 0 })).toBe(MAX_TOKENS - 1);
    v[12_345] = 1;
    v[MAX_TOKENS - 2] = -Infinity;
    expect(s.sample(v, { temperature: 0 })).toBe(12_345);
    const t = s.sample(v, { topK: 2 }); // ties at the top: exactly the two ones are kept
    expect([12_345, MAX_TOKENS - 1]).toContain(t);
    expect(s.sample([1, 2, 3], { temperature: 0 })).toBe(2);
    s.dispose();
  });

  test('n > 2^24 is a RangeError naming the limit, and never breaks the sampler', async () => {
    const [s, twin] = await twins(backend, 2);
    // The sizes of the reproduction (64,949,521 threw for good; 147,781,895 trapped).
    for (const n of [MAX_TOKENS + 1, 64_949_521, 147_781_895, 2 ** 30 - 1]) {
      thrown(() => s.logitsView(n), RangeError, /n must be an integer in \[1, 16777216\]/);
    }
    const over = new Float32Array(MAX_TOKENS + 1);
    thrown(() => s.sample(over), RangeError, /logits has 16777217 entries; at most 16777216 are supported/);
    thrown(() => s.probs(over), RangeError, /at most 16777216/);
    thrown(() => s.sample(new Array(MAX_TOKENS + 1)), RangeError, /at most 16777216/);
    const x = makeLogits(1000, 'peaked', 2);
    expect(draws(s, x, {}, 5)).toEqual(draws(twin, x, {}, 5));
    expect(s.probs([1, 2, 3])).toEqual(twin.probs([1, 2, 3]));
  });
});

describe.each(KERNEL_BUILDS)('a failed memory growth (%s)', (backend) => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const refuse = () =>
    vi.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementationOnce(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });

  test('is a clear RangeError; smaller calls work; the random stream is not consumed', async () => {
    const [s, twin] = await twins(backend, 3);
    const small = makeLogits(1000, 'peaked', 3);
    const big = makeLogits(300_000, 'flat', 4);
    expect(s.sample(small)).toBe(twin.sample(small));
    refuse();
    thrown(() => s.sample(big), RangeError, /cannot grow the sampler's memory to [\d.]+ MiB for 300000 tokens/);
    for (const p of [{}, { topK: 40, topP: 0.9 }, { minP: 0.1 }, { temperature: 0 }]) {
      expect(draws(s, small, p, 4)).toEqual(draws(twin, small, p, 4));
      expect(s.probs(small, p)).toEqual(twin.probs(small, p));
    }
    // Growth works again once the runtime allows it.
    expect(draws(s, big, { topP: 0.9 }, 2)).toEqual(draws(twin, big, { topP: 0.9 }, 2));
  });

  test('in logitsView(): the earlier view keeps working and keeps its contents', async () => {
    const [s, twin] = await twins(backend, 3);
    const x = makeLogits(2000, 'peaked', 5);
    const v = s.logitsView(x.length);
    v.set(x);
    refuse();
    thrown(() => s.logitsView(400_000), RangeError, /cannot grow the sampler's memory .* for 400000 tokens/);
    expect(v).toEqual(x);
    expect(draws(s, v, { topK: 50 }, 5)).toEqual(draws(twin, x, { topK: 50 }, 5));
  });

  test('when a long logit bias needs more room: the same', async () => {
    const [s, twin] = await twins(backend, 3);
    const x = makeLogits(2000, 'peaked', 6);
    const ids = Int32Array.from({ length: 400_000 }, (_, i) => i % 2000);
    const logitBias = { ids, values: new Float32Array(ids.length).fill(1e-3) };
    refuse();
    thrown(() => s.sample(x, { logitBias }), RangeError, /cannot grow the sampler's memory/);
    expect(draws(s, x, {}, 3)).toEqual(draws(twin, x, {}, 3));
    expect(draws(s, x, { logitBias }, 3)).toEqual(draws(twin, x, { logitBias }, 3));
  });
});

describe('cost per sampler', () => {
  test('200 WASM samplers: one compilation per build, small memory each for a small vocabulary', async () => {
    vi.resetModules();
    const entry = await import('../../src/index.js');
    const compile = vi.spyOn(WebAssembly, 'compile');
    try {
      const x = makeLogits(1000, 'peaked', 13);
      const all: Sampler[] = [];
      for (let i = 0; i < 100; i++) all.push(await entry.createSampler({ backend: 'wasm-simd', seed: i }));
      for (let i = 0; i < 100; i++) all.push(await entry.createSampler({ backend: 'wasm', seed: i }));
      expect(compile).toHaveBeenCalledTimes(2);
      let total = 0;
      for (const s of all) {
        s.sample(x, { topK: 40, topP: 0.9 });
        // A 1000-token vocabulary: the fixed regions plus ~40 bytes a token, far below the
        // 8.8 MB the old code reserved per sampler.
        expect(s.memoryBytes).toBeLessThanOrEqual(2 ** 20);
        total += s.memoryBytes;
      }
      expect(total).toBeLessThanOrEqual(200 * 2 ** 20);
      // Independent: same seed, same tokens, whatever the other 199 did.
      const fresh = await entry.createSampler({ backend: 'wasm-simd', seed: 5 });
      all[5]!.reseed(5);
      expect(draws(all[5]!, x, {}, 5)).toEqual(draws(fresh, x, {}, 5));
      for (const s of all) s.dispose();
    } finally {
      compile.mockRestore();
    }
  });

  test('a js sampler for a small vocabulary is small too', async () => {
    const s = await createSampler({ backend: 'js', seed: 13 });
    s.sample(makeLogits(1000, 'peaked', 13), { topK: 40, topP: 0.9 });
    expect(s.memoryBytes).toBeLessThanOrEqual(2 ** 20);
  });
});
