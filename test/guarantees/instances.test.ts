// Many samplers in one process are independent (streams, memory, views); dispose() releases a
// sampler's memory, and a disposed sampler throws a clear error on every call.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { createSampler, type Sampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { makeLogits } from '../support/data.js';
import { thrown } from '../support/thrown.js';

const n = 32_000;
const base = makeLogits(n, 'flat', 91).map((v) => v * 4);
const STEPS = 40;
const params = (t: number): SamplingParams =>
  [{}, { topK: 40, temperature: 0.7 }, { topP: 0.9 }, { typicalP: 0.9 }, { minP: 0.05 }][t % 5]!;

/** Step t's logits for sampler i: each its own, so shared memory would show. */
function fill(into: Float32Array, i: number, t: number): Float32Array {
  into.set(base);
  into[(i * 37 + t * 101) % n]! += 6;
  return into;
}

describe('many samplers in one process', () => {
  test('60 samplers interleaved, each in its own logitsView: each draws what it draws alone', async () => {
    const samplers: Sampler[] = [];
    for (let i = 0; i < 60; i++) samplers.push(await createSampler({ backend: BACKENDS[i % 3], seed: 1000 + i }));
    const views = samplers.map((s) => s.logitsView(n));
    const tokens: number[][] = samplers.map(() => []);
    for (let t = 0; t < STEPS; t++) {
      // Every view written first, then every sampler drawn, in a shuffled order.
      for (const [i, v] of views.entries()) fill(v, i, t);
      const order = samplers.map((_, i) => (i * 7 + t * 13) % samplers.length);
      for (const i of new Set(order)) tokens[i]!.push(samplers[i]!.sample(views[i]!, params(t)));
    }
    const memory = samplers.reduce((sum, s) => sum + s.memoryBytes, 0);
    console.info(`60 samplers of ${n} tokens hold ${(memory / 2 ** 20).toFixed(1)} MB`);
    for (const i of [0, 1, 2, 29, 58, 59]) {
      const alone = await createSampler({ backend: BACKENDS[i % 3], seed: 1000 + i });
      const x = new Float32Array(n);
      const want = Array.from({ length: STEPS }, (_, t) => alone.sample(fill(x, i, t), params(t)));
      expect(tokens[i], `sampler ${i}`).toEqual(want);
    }
    expect(tokens[0]).not.toEqual(tokens[3]);
  });
});

describe.each(BACKENDS)('%s: dispose()', (backend) => {
  test('a disposed sampler holds no memory and throws a clear error on every call', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const view = s.logitsView(1000);
    view.set(base.subarray(0, 1000));
    s.sample(view);
    expect(s.memoryBytes).toBeGreaterThan(0);
    s.dispose();
    expect(s.memoryBytes).toBe(0);
    const calls: (() => unknown)[] = [
      () => s.sample(base),
      () => s.sample(view),
      () => s.probs(base),
      () => s.sampleDetailed(base, {}, { topLogprobs: 3 }),
      () => s.logitsView(10),
      () => s.reseed(2),
    ];
    for (const call of calls) expect(call).toThrow(/this sampler was disposed: create another one/);
    expect(() => s.dispose()).not.toThrow();
    expect(s.backend).toBe(backend);
    // Other samplers are untouched.
    const other = await createSampler({ backend, seed: 1 });
    expect(other.sample(base, { temperature: 0 })).toBe(base.indexOf(Math.max(...base)));
  });

  test('dispose() gives the memory back while the sampler is still referenced', () => {
    const dist = new URL('../../dist/index.js', import.meta.url);
    if (!existsSync(dist)) throw new Error('dist/ is missing: npm run build');
    const child = fileURLToPath(new URL('../support/dispose-child.mjs', import.meta.url));
    const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', child, backend], { encoding: 'utf8' })) as {
      backend: string;
      before: { rss: number; arrayBuffers: number };
      inUse: { rss: number; arrayBuffers: number };
      after: { rss: number; arrayBuffers: number };
      held: number;
      left: number;
    };
    console.info(`${backend}: ${JSON.stringify(out)}`);
    expect(out.backend).toBe(backend);
    expect(out.left).toBe(0);
    // WASM memory shows in RSS (the pages touched); the js backend's typed arrays in
    // arrayBuffers (most of their pages are never touched). Either way: most of it returns.
    const metric = backend === 'js' ? 'arrayBuffers' : 'rss';
    const grew = out.inUse[metric] - out.before[metric];
    expect(grew).toBeGreaterThan(100);
    expect(out.after[metric] - out.before[metric]).toBeLessThan(grew / 5);
  }, 60_000);
});

describe('a disposed sampler', () => {
  test.each(BACKENDS)('%s: every method throws a clear Error; dispose() twice is harmless', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const x = makeLogits(100, 'flat', 1);
    s.sample(x);
    s.dispose();
    s.dispose();
    expect(s.memoryBytes).toBe(0);
    for (const call of [
      () => s.sample(x),
      () => s.probs(x),
      () => s.sampleDetailed(x),
      () => s.logitsView(10),
      () => s.reseed(1),
    ]) {
      thrown(call, Error, /^this sampler was disposed: create another one$/);
    }
  });
});
