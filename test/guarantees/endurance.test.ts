// Endurance: 10^6 samples at Llama 3's vocabulary (128,256) through one sampler, every token
// checked, with the process's RSS and the sampler's WASM memory reported and required flat.
//
// Why greedy on wasm-simd with a logitsView: it is the cheapest call that still reads the
// whole vocabulary (one argmax pass, ≈ 10–25 µs here), so 10^6 calls take seconds rather than
// minutes; memory behaviour does not depend on the stage that runs, and every 100th call
// goes through the other paths anyway (top-k, a Map bias, a penalty history, sampleDetailed),
// which allocate the most in the wrapper. Each step boosts one token to 100, so every
// expected token is known in advance: the loop checks a million answers, not just survival.
import { expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { rng } from '../support/data.js';

const V = 128_256;
const CALLS = 1_000_000;
const CHECKPOINTS = 10;

test(`${CALLS.toLocaleString('en')} samples at ${V.toLocaleString('en')} tokens: right tokens, flat memory`, async () => {
  const s = await createSampler({ seed: 1 });
  const view = s.logitsView(V);
  const r = rng(7);
  for (let i = 0; i < V; i++) view[i] = r() * 16 - 8;
  const history = Int32Array.from({ length: 64 }, () => Math.floor(r() * V));
  const greedy = { temperature: 0 };

  const rows: { calls: number; rssMB: number; heapMB: number; externalMB: number; wasmMB: number }[] = [];
  const record = (calls: number) => {
    const m = process.memoryUsage();
    rows.push({
      calls,
      rssMB: m.rss / 2 ** 20,
      heapMB: m.heapUsed / 2 ** 20,
      externalMB: m.external / 2 ** 20,
      wasmMB: s.memoryBytes / 2 ** 20,
    });
  };

  let wrong = 0;
  let firstWrong = '';
  for (let k = 0; k < CALLS; k++) {
    const j = (k * 7919 + 13) % V;
    const old = view[j]!;
    view[j] = 100;
    let t: number;
    if (k % 1000 === 999) {
      t = s.sampleDetailed(view, { topK: 40, history, presencePenalty: 1 }, { topLogprobs: 20 }).token;
    } else if (k % 100 === 99) {
      t = s.sample(view, { topK: 40, logitBias: new Map([[(j + 1) % V, 5]]), history, frequencyPenalty: 0.5 });
    } else t = s.sample(view, greedy);
    view[j] = old;
    if (t !== j && wrong++ === 0) firstWrong = `call ${k}: token ${t}, expected ${j}`;
    if (k % (CALLS / CHECKPOINTS) === 0 || k === CALLS - 1) record(k + 1);
  }
  console.info(
    `endurance, ${s.backend}:\n${rows.map((row) => JSON.stringify(row, (_, v) => (typeof v === 'number' && !Number.isInteger(v) ? Number(v.toFixed(1)) : v))).join('\n')}`,
  );

  expect(firstWrong).toBe('');
  expect(wrong).toBe(0);
  // WASM memory: reserved once, never grown.
  expect(new Set(rows.map((row) => row.wasmMB)).size).toBe(1);
  // RSS after the first checkpoint (everything reserved, JIT warm) may wander with the GC, not
  // climb: a leak of even 64 bytes a call would add 61 MB.
  const settled = rows.slice(1).map((row) => row.rssMB);
  expect(Math.max(...settled) - Math.min(...settled)).toBeLessThan(48);
  const external = rows.slice(1).map((row) => row.externalMB);
  expect(Math.max(...external) - Math.min(...external)).toBeLessThan(8);
}, 300_000);
