// The three builds are one algorithm: on random logits and random settings of the stages, in
// every order, probs() gives the same bits and sample() the same tokens on wasm-simd, wasm and
// js. (Larger vocabularies: large.test.ts; every control's own cases: controls.test.ts; the
// property tests over every control and the edits: properties.test.ts.)
import { describe, expect, test } from 'vitest';
import type { Sampler, SamplingParams } from '../../src/index.js';
import { BACKENDS, samplers } from '../support/backends.js';
import { bits, firstDifference } from '../support/control-suite.js';
import { makeLogits, rng, type Shape } from '../support/data.js';
import { ORDERS, type StageName } from '../support/reference.js';

const SHAPES: Shape[] = ['peaked', 'flat', 'ties', 'masked', 'wide'];
const STAGES: StageName[] = ['temperature', 'topNSigma', 'topK', 'topP', 'minP', 'typicalP'];

function randomParams(r: () => number, n: number): SamplingParams {
  const p: SamplingParams = {};
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  if (r() < 0.8) p.temperature = pick([0, 0.05, 0.3, 0.7, 1, 1.5, 4, 100]);
  if (r() < 0.5) p.topK = pick([1, 2, 5, 40, 1000, Math.max(1, Math.floor(n / 2)), n - 1, n, n + 5]);
  if (r() < 0.5) p.topP = pick([1e-9, 0.1, 0.5, 0.9, 0.95, 0.999, 1]);
  if (r() < 0.5) p.minP = pick([0, 1e-6, 0.01, 0.05, 0.3, 1]);
  if (r() < 0.2) p.typicalP = pick([0.2, 0.5, 0.9, 0.99]);
  if (r() < 0.2) p.topNSigma = pick([0, 0.5, 1, 2, 3]);
  const order = r();
  if (order < 0.2) p.order = 'llama.cpp';
  else if (order < 0.35) {
    // A random permutation of every stage (each set one must be named).
    const shuffled = [...STAGES];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(r() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    p.order = shuffled;
  } else if (order < 0.4) p.order = ORDERS.hf;
  return p;
}

function check(all: Sampler[], x: Float32Array, params: SamplingParams, draws: number): void {
  const p0 = bits(all[0]!.probs(x, params));
  const t0 = Array.from({ length: draws }, () => all[0]!.sample(x, params));
  for (const s of all.slice(1)) {
    const at = firstDifference(bits(s.probs(x, params)), p0);
    if (at >= 0) throw new Error(`${s.backend} probs differ at ${at} (n=${x.length}, ${JSON.stringify(params)})`);
    const t = Array.from({ length: draws }, () => s.sample(x, params));
    expect(t, `${s.backend} tokens, n=${x.length}, ${JSON.stringify(params)}`).toEqual(t0);
  }
}

describe('the builds are bit-identical', () => {
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

  test('300 arrays of huge magnitudes (up to ±3.4e38): bit-identical probs and equal tokens', async () => {
    const all = await samplers(44);
    const r = rng(44);
    for (let c = 0; c < 300; c++) {
      const n = 1 + Math.floor(r() * 70);
      const x = Float32Array.from({ length: n }, () => (r() < 0.1 ? -Infinity : (r() - 0.5) * 6.8e38));
      x[Math.floor(r() * n)] = (r() - 0.5) * 6.8e38;
      const probs = all.map((s) => bits(s.probs(x)));
      expect(probs[1]).toEqual(probs[0]);
      expect(probs[2]).toEqual(probs[0]);
      const tokens = all.map((s) => Array.from({ length: 2 }, () => s.sample(x, { topP: 0.9 })));
      expect(tokens[1]).toEqual(tokens[0]);
      expect(tokens[2]).toEqual(tokens[0]);
    }
  });
});
