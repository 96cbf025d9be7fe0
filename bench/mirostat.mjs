// @ts-check
// Issue 17's mirostat target: mirostat v2 at 128,256 tokens on LM-like logits within 1.25× of
// the same configuration without it. Every timed call sees logits it has not seen just before:
// the view gets logits no call has seen (bench/lib/fresh-logits.mjs) before each call (outside the
// timing). The configurations take turns within each run, so that a slower stretch of the
// machine hits all of them alike; each reports the least over the runs of a run's median call.
//
//   npm run build && node bench/mirostat.mjs [--backend wasm-simd|wasm|js] [--runs 15] [--calls 128]

import { parseArgs } from 'node:util';
import { freshLogits } from './lib/fresh-logits.mjs';
import { loadLibrary } from './lib/library.mjs';
import { NORMAL_SHAPES } from './logits.mjs';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm-simd' },
    runs: { type: 'string', default: '15' },
    calls: { type: 'string', default: '128' },
    vocab: { type: 'string', default: '128256' },
  },
});
const N = Number(values.vocab);
const RUNS = Number(values.runs);
const CALLS = Number(values.calls);

const { createSampler, createMirostat } = await loadLibrary();
const backend = /** @type {'wasm-simd' | 'wasm' | 'js'} */ (values.backend);
const sampler = await createSampler({ backend, seed: 1 });
const view = sampler.logitsView(N);
const next = freshLogits(NORMAL_SHAPES.lm, N, 1000);

/** A mirostat v2 state held at mu (eta 0: the truncation every call makes is the same). */
const held = (/** @type {number} */ mu) => ({ ...createMirostat({ version: 2, eta: 0 }), mu });
/** The decode loop's state: default tau and eta, mu moving call by call. */
const moving = createMirostat({ version: 2 });
/** A decode loop that starts afresh every run: the first CALLS tokens of a generation. */
const fresh = { mirostat: createMirostat({ version: 2 }) };

/** @type {[string, import('../src/index.js').SamplingParams][]} */
const configs = [
  ['T 1', {}],
  ['T 1, mirostat v2 (decode loop)', { mirostat: moving }],
  ['T 1, mirostat v2 (first tokens of a loop)', fresh],
  ['T 1, mirostat v2 held at mu 3', { mirostat: held(3) }],
  ['T 1, mirostat v2 held at mu 10', { mirostat: held(10) }],
  ['T 1, mirostat v2 held at mu 20', { mirostat: held(20) }],
  ['T 1, mirostat v2 held at mu 30', { mirostat: held(30) }],
  ['T 1, mirostat v2 held at mu 60', { mirostat: held(60) }],
  ['T 0.8', { temperature: 0.8 }],
  ['T 0.8, mirostat v2 held at mu 10', { temperature: 0.8, mirostat: held(10) }],
  ['T 0.8, mirostat v2 held at mu 60', { temperature: 0.8, mirostat: held(60) }],
  ['T 0.8, min-p 0.001', { temperature: 0.8, minP: 0.001 }],
  ['T 0.8, top-p 0.99', { temperature: 0.8, topP: 0.99 }],
];
const best = configs.map(() => Infinity);
const times = new Float64Array(CALLS);
let sink = 0;
for (let run = -1; run < RUNS; run++) {
  fresh.mirostat = createMirostat({ version: 2 });
  for (let k = 0; k < configs.length; k++) {
    const params = configs[k][1];
    for (let i = 0; i < CALLS; i++) {
      view.set(next());
      const t0 = performance.now();
      sink += sampler.sample(view, params);
      times[i] = performance.now() - t0;
    }
    // A run's median: a call the scheduler preempted (the machine may be shared) does not
    // count. Run -1 warms every path up and is not counted either.
    times.sort();
    if (run >= 0) best[k] = Math.min(best[k], times[CALLS >> 1] * 1000);
  }
}
if (sink < 0) console.log(sink);

console.log(
  `${backend}, ${N.toLocaleString('en')} tokens, LM-like logits, new every call; least over ${RUNS} runs of the median of ${CALLS} calls; Node ${process.version}`,
);
for (let k = 0; k < configs.length; k++) {
  const name = configs[k][0];
  const base = best[name.startsWith('T 0.8') ? configs.findIndex(([n]) => n === 'T 0.8') : 0];
  const ratio = name.includes('mirostat') ? `  ${(best[k] / base).toFixed(3)}× without` : '';
  console.log(`${name.padEnd(36)} ${best[k].toFixed(1).padStart(8)} µs${ratio}`);
}
console.log(
  `mu after the last call: ${moving.mu.toFixed(2)} (decode loop), ${fresh.mirostat.mu.toFixed(2)} (first tokens)`,
);
