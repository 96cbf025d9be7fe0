// @ts-check
// The edits' cost next to the chain (issue 17): llama.cpp's default chain — top-k 40, top-p 0.95,
// min-p 0.05, temperature 0.8, in its order — with and without DRY over a 1,024-token history,
// at 128,256 tokens (Llama 3) on LM-like logits, on each backend. The target: DRY within 1.25×
// of the chain alone.
//
//   npm run build && node bench/edits.mjs [--runs 9] [--calls 200] [--backends wasm-simd,wasm,js]
//
// Every timed call reads logits no call has seen (bench/lib/fresh-logits.mjs), written into the
// view before each call, outside the timed interval. A run times `calls` calls of
// each configuration, interleaved; the figure is the fastest run's median call (a median, so
// that a run in which another process took the CPU for a while still counts on a shared
// machine; the fastest run, as every figure of this benchmark).

import { parseArgs } from 'node:util';
import { freshLogits } from './lib/fresh-logits.mjs';
import { loadLibrary } from './lib/library.mjs';
import { machine } from './lib/machine.mjs';
import { NORMAL_SHAPES, rng } from './logits.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '9' },
    calls: { type: 'string', default: '200' },
    backends: { type: 'string', default: 'wasm-simd,wasm,js' },
  },
});
const RUNS = Number(values.runs);
const CALLS = Number(values.calls);
const N = 128_256;
const HISTORY = 1024;

/**
 * A history as a model that has begun to loop writes it: a 40-token passage said again and again
 * with a few tokens changed and other words between, ending partway into it.
 * @param {number} seed
 */
function loopingHistory(seed) {
  const r = rng(seed);
  const phrase = Array.from({ length: 40 }, () => Math.floor(r() * N));
  /** @type {number[]} */
  const out = [];
  while (out.length < HISTORY) {
    for (const w of phrase) out.push(r() < 0.05 ? Math.floor(r() * N) : w);
    for (let k = Math.floor(r() * 30); k > 0; k--) out.push(Math.floor(r() * N));
  }
  return Int32Array.from([...out.slice(0, HISTORY - 7), ...phrase.slice(0, 7)]);
}

const lib = await loadLibrary();
const m = machine();
console.log(`edits bench — ${m.cpu} × ${m.cores}, Node ${m.node}; n = ${N}, ${RUNS} runs × ${CALLS} calls`);
const next = freshLogits(NORMAL_SHAPES.lm, N, 9000);
const history = loopingHistory(17);
const chain = /** @type {const} */ ({ order: 'llama.cpp', temperature: 0.8, topK: 40, topP: 0.95, minP: 0.05 });
const CONFIGS = {
  chain,
  // llama.cpp's DRY defaults but the multiplier (0 there: off), the four default breakers
  // ("\n", ":", '"', "*") as one token each, as a caller's tokeniser gives them.
  'chain + DRY': { ...chain, history, dry: { multiplier: 0.8, sequenceBreakers: [[198], [25], [1], [9]] } },
};

for (const backend of values.backends.split(',')) {
  const s = await lib.createSampler({ backend: /** @type {'wasm-simd' | 'wasm' | 'js'} */ (backend), seed: 1 });
  const view = s.logitsView(N);
  const names = /** @type {(keyof typeof CONFIGS)[]} */ (Object.keys(CONFIGS));
  /** @type {Record<string, number>} */
  const best = Object.fromEntries(names.map((k) => [k, Infinity]));
  const times = new Float64Array(CALLS);
  const time = (/** @type {import('../src/index.js').SamplingParams} */ params) => {
    for (let i = 0; i < CALLS; i++) {
      view.set(next());
      const t0 = performance.now();
      s.sample(view, params);
      times[i] = performance.now() - t0;
    }
    return times.sort()[CALLS >> 1] * 1000;
  };
  for (const name of names) time(CONFIGS[name]); // warm-up
  for (let run = 0; run < RUNS; run++) {
    for (const name of names) best[name] = Math.min(best[name], time(CONFIGS[name]));
  }
  const ratio = best['chain + DRY'] / best.chain;
  console.log(
    `${backend.padEnd(9)} chain ${best.chain.toFixed(1)} µs · chain + DRY ${best['chain + DRY'].toFixed(1)} µs · ${ratio.toFixed(3)}× ${ratio <= 1.25 ? '(within 1.25×)' : '(OVER 1.25×)'}`,
  );
  s.dispose();
}
