// The three backends are one algorithm: same bits from probs(), same tokens from sample().
import { describe, expect, test } from 'vitest';
import type { Sampler, SamplingParams } from '../../src/index.js';
import { BACKENDS, samplers } from '../support/backends.js';
import { makeLogits, rng, type Shape } from '../support/data.js';
import { reference } from '../support/reference.js';

const SHAPES: Shape[] = ['peaked', 'flat', 'ties', 'masked', 'wide'];

function randomParams(r: () => number, n: number): SamplingParams {
  const p: SamplingParams = {};
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  if (r() < 0.8) p.temperature = pick([0, 0.05, 0.3, 0.7, 1, 1.5, 4, 100]);
  if (r() < 0.5) p.topK = pick([1, 2, 5, 40, 1000, Math.max(1, Math.floor(n / 2)), n - 1, n, n + 5]);
  if (r() < 0.5) p.topP = pick([1e-9, 0.1, 0.5, 0.9, 0.95, 0.999, 1]);
  if (r() < 0.5) p.minP = pick([0, 1e-6, 0.01, 0.05, 0.3, 1]);
  return p;
}

function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

function check(all: Sampler[], x: Float32Array, params: SamplingParams, draws: number): void {
  const p0 = bits(all[0]!.probs(x, params));
  const t0 = Array.from({ length: draws }, () => all[0]!.sample(x, params));
  for (const s of all.slice(1)) {
    const p = bits(s.probs(x, params));
    if (p.some((v, i) => v !== p0[i])) {
      const i = p.findIndex((v, j) => v !== p0[j]);
      throw new Error(`${s.backend} probs differ at ${i} (n=${x.length}, ${JSON.stringify(params)})`);
    }
    const t = Array.from({ length: draws }, () => s.sample(x, params));
    expect(t, `${s.backend} tokens, n=${x.length}, ${JSON.stringify(params)}`).toEqual(t0);
  }
}

describe('backends are bit-identical', () => {
  test('2,000 random cases, n = 1 … 5,000', async () => {
    const all = await samplers(99);
    const r = rng(1);
    for (let c = 0; c < 2000; c++) {
      const n = 1 + Math.floor(Math.exp(r() * Math.log(5000)));
      const x = makeLogits(n, SHAPES[c % SHAPES.length]!, c);
      check(all, x, randomParams(r, n), 3);
    }
  });

  test('150 random cases, n = 5,000 … 60,000', async () => {
    const all = await samplers(7);
    const r = rng(2);
    for (let c = 0; c < 150; c++) {
      const n = 5000 + Math.floor(r() * 55000);
      const x = makeLogits(n, SHAPES[c % SHAPES.length]!, 10_000 + c);
      check(all, x, randomParams(r, n), 2);
    }
  });

  test('every parameter combination at n = 300,001 (not a multiple of 4)', async () => {
    const all = await samplers(3);
    const n = 300_001;
    for (const [si, shape] of (['peaked', 'flat', 'masked'] as Shape[]).entries()) {
      const x = makeLogits(n, shape, 77 + si);
      for (const temperature of [0, 0.7, 1])
        for (const topK of [0, 40])
          for (const topP of [1, 0.9])
            for (const minP of [0, 0.05]) check(all, x, { temperature, topK, topP, minP }, 2);
    }
  });

  test('top-k when the sampled pivot overshoots (the filter is retried)', async () => {
    const all = await samplers(5);
    // Every 8th logit is large, exactly where the strided pivot sample looks, so the pivot
    // keeps too few tokens for k = 1500 and the filter must run again from -Infinity.
    const n = 8192;
    const x = new Float32Array(n).map((_, i) => (i % 8 === 0 ? 100 : 99 + (i % 13) / 13));
    check(all, x, { topK: 1500 }, 5);
    const p = all[0]!.probs(x, { topK: 1500 });
    const want = reference(x, { topK: 1500 }).p;
    expect(Array.from(p, (v) => v > 0)).toEqual(Array.from(want, (v) => v > 0));
    expect(p.filter((v) => v > 0).length).toBeGreaterThanOrEqual(1500);
  });

  test('top-k when only the second, lower pivot keeps enough', async () => {
    const all = await samplers(6);
    // Twenty sampled positions hold the largest logits: the first pivot keeps only those 20
    // (< k = 40), the second, lower one enough.
    const n = 8192;
    const x = makeLogits(n, 'flat', 3).map((v) => v + 95);
    for (let i = 0; i < 20; i++) x[i * 8] = 100 + i / 4;
    check(all, x, { topK: 40 }, 5);
    const want = reference(x, { topK: 40 }).p;
    expect(Array.from(all[0]!.probs(x, { topK: 40 }), (v) => v > 0)).toEqual(Array.from(want, (v) => v > 0));
  });

  test(`identical token streams over 500 steps (${BACKENDS.join(', ')})`, async () => {
    const all = await samplers(2024n);
    const seqs = all.map((s) => {
      const out: number[] = [];
      for (let step = 0; step < 500; step++) {
        const x = makeLogits(3001, step % 2 ? 'peaked' : 'flat', step);
        out.push(s.sample(x, { temperature: 0.8, topK: step % 3 ? 50 : 0, topP: 0.95, minP: step % 5 ? 0 : 0.1 }));
      }
      return out;
    });
    expect(seqs[1]).toEqual(seqs[0]);
    expect(seqs[2]).toEqual(seqs[0]);
    expect(new Set(seqs[0]).size).toBeGreaterThan(100);
  });
});
