// worker_threads: a sampler in a worker, seeded alike, draws the main thread's sequence — on
// every backend, with a kernel module compiled once in the main thread and handed over, and
// with several workers at once. Workers load the built package (dist/), as users' do.
import { existsSync, readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { BACKENDS } from '../support/backends.js';
import { runWorkload } from '../support/workload.mjs';

const WORKER = new URL('../support/workload-worker.mjs', import.meta.url);
const workers: Worker[] = [];

interface Reply {
  backend?: string;
  tokens?: number[];
  error?: string;
}

function spawn(): Worker {
  const w = new Worker(WORKER);
  workers.push(w);
  return w;
}

function ask(w: Worker, message: object): Promise<Reply> {
  return new Promise((resolve, reject) => {
    w.once('message', resolve);
    w.once('error', reject);
    w.postMessage(message);
  });
}

/** The main thread's tokens for a backend and seed. */
async function mainTokens(backend: (typeof BACKENDS)[number], seed: number | bigint): Promise<number[]> {
  return runWorkload(await lib.createSampler({ backend, seed: 0 }), seed);
}

// The built package, as in the workers (imported by URL: dist/ need not exist when the
// tests are type-checked, before npm test builds it).
const DIST = new URL('../../dist/index.js', import.meta.url);
let lib: typeof import('../../src/index.js');
beforeAll(async () => {
  if (!existsSync(DIST)) throw new Error('dist/ is missing: npm run build');
  lib = await import(DIST.href);
});
afterAll(() => Promise.all(workers.map((w) => w.terminate())));

describe('worker_threads', () => {
  test.each(BACKENDS)('%s: a worker with the same seed draws the main thread’s sequence', async (backend) => {
    const reply = await ask(spawn(), { backend, seed: 42 });
    expect(reply.error).toBeUndefined();
    expect(reply.backend).toBe(backend);
    const want = await mainTokens(backend, 42);
    expect(new Set(want).size).toBeGreaterThan(30);
    expect(reply.tokens).toEqual(want);
  });

  test('a module compiled in the main thread, handed to a worker (createSamplerSync)', async () => {
    const module = await WebAssembly.compile(
      readFileSync(new URL('../../build/logit-sampler.simd.wasm', import.meta.url)),
    );
    const reply = await ask(spawn(), { module, seed: 2n ** 64n - 1n });
    expect(reply.error).toBeUndefined();
    expect(reply.backend).toBe('wasm-simd');
    expect(reply.tokens).toEqual(await mainTokens('wasm-simd', 2n ** 64n - 1n));
  });

  test('four workers at once, four seeds: each its own sequence, the main thread’s for that seed', async () => {
    const seeds = [1, 2, 3, 4];
    const replies = await Promise.all(seeds.map((seed, i) => ask(spawn(), { backend: BACKENDS[i % 3], seed })));
    for (const [i, seed] of seeds.entries()) {
      expect(replies[i]!.tokens).toEqual(await mainTokens(BACKENDS[i % 3]!, seed));
    }
    expect(replies[0]!.tokens).not.toEqual(replies[1]!.tokens);
  });
});
