// Run by test/guarantees/endurance.test.ts in a process of its own (node --expose-gc): `calls`
// samples at Llama 3's vocabulary (128,256) through one sampler of the built package, every
// token checked, with the heap after a full collection, external memory, RSS and the
// sampler's memory recorded at checkpoints; printed as JSON.
//
// Why greedy on wasm-simd with a logitsView: it is the cheapest call that still reads the whole
// vocabulary (one argmax pass), so many calls take seconds; memory behaviour does not depend on
// the stage that runs, and every 100th call goes through the other paths anyway (top-k, a Map
// bias, a penalty history, sampleDetailed), which allocate the most in the wrapper. Each step
// boosts one token to 100, so every expected token is known in advance.

import { rng } from '../../bench/logits.mjs';
import { createSampler } from '../../dist/index.js';

const V = 128_256;
const calls = Number(process.argv[2]);
const checkpoints = Number(process.argv[3]);

const s = await createSampler({ seed: 1 });
const view = s.logitsView(V);
const r = rng(7);
for (let i = 0; i < V; i++) view[i] = r() * 16 - 8;
const history = Int32Array.from({ length: 64 }, () => Math.floor(r() * V));
const greedy = { temperature: 0 };

const rows = [];
const record = (done) => {
  globalThis.gc();
  const m = process.memoryUsage();
  rows.push({ calls: done, heap: m.heapUsed, external: m.external, rss: m.rss, wasm: s.memoryBytes });
};

let wrong = 0;
let firstWrong = '';
for (let k = 0; k < calls; k++) {
  const j = (k * 7919 + 13) % V;
  const old = view[j];
  view[j] = 100;
  let t;
  if (k % 1000 === 999) {
    t = s.sampleDetailed(view, { topK: 40, history, presencePenalty: 1 }, { topLogprobs: 20 }).token;
  } else if (k % 100 === 99) {
    t = s.sample(view, { topK: 40, logitBias: new Map([[(j + 1) % V, 5]]), history, frequencyPenalty: 0.5 });
  } else t = s.sample(view, greedy);
  view[j] = old;
  if (t !== j && wrong++ === 0) firstWrong = `call ${k}: token ${t}, expected ${j}`;
  if (k % (calls / checkpoints) === 0 || k === calls - 1) record(k + 1);
}
console.log(JSON.stringify({ backend: s.backend, wrong, firstWrong, rows }));
