// @ts-check
// The chain stages' speed check (issue 17, "Done means"): each configuration against the same
// configuration without the stage, at 128,256 tokens on LM-like logits. Every timed call sees
// a vector no call has seen (bench/lib/fresh-logits.mjs), written into the view before each
// call, outside the timing. The two configurations alternate call
// by call, and each call is timed in CPU time (process.cpuUsage), so that load from elsewhere
// on the machine weighs on both alike and waiting for a core counts for neither. Reports the
// minimum over several runs of the mean per call, and the ratio to the configuration without
// the stage.
//
//   npm run build && node bench/chain-stages.mjs [--backend wasm-simd] [--runs 9] [--calls 400]

import { parseArgs } from 'node:util';
import { freshLogits } from './lib/fresh-logits.mjs';
import { loadLibrary } from './lib/library.mjs';
import { NORMAL_SHAPES } from './logits.mjs';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm-simd' },
    runs: { type: 'string', default: '9' },
    calls: { type: 'string', default: '400' },
    n: { type: 'string', default: '128256' },
  },
});
const N = Number(values.n);
const RUNS = Number(values.runs);
const CALLS = Number(values.calls);

/** llama.cpp's default chain (common/common.h): top-k 40, top-p 0.95, min-p 0.05, T 0.8. */
const LLAMA = { order: 'llama.cpp', topK: 40, topP: 0.95, minP: 0.05, temperature: 0.8 };
const XTC = { probability: 0.5, threshold: 0.1 };

/** [name, with the stage, without it] */
const PAIRS = /** @type {const} */ ([
  ['XTC (chance 0.5, threshold 0.1)', { xtc: XTC }, {}],
  ['XTC, always', { xtc: { probability: 1, threshold: 0.1 } }, {}],
  ['XTC, T 0.8 first (hf)', { xtc: XTC, temperature: 0.8 }, { temperature: 0.8 }],
  [
    'XTC, T 0.8 last (llama.cpp)',
    { xtc: XTC, temperature: 0.8, order: 'llama.cpp' },
    { temperature: 0.8, order: 'llama.cpp' },
  ],
  ['XTC after top-p 0.95', { topP: 0.95, xtc: XTC }, { topP: 0.95 }],
  ['llama.cpp default chain + XTC', { ...LLAMA, xtc: XTC }, LLAMA],
  ['llama.cpp default chain + XTC, minKeep 5', { ...LLAMA, xtc: XTC, minKeep: 5 }, LLAMA],
  [
    'llama.cpp default chain + ε, η, p-less, XTC',
    { ...LLAMA, epsilonCutoff: 3e-4, etaCutoff: 4e-3, pLess: true, xtc: XTC },
    LLAMA,
  ],
  ['top-nσ 1, alone', { topNSigma: 1 }, {}],
  ['ε 3e-4', { epsilonCutoff: 3e-4 }, {}],
  ['η 4e-3', { etaCutoff: 4e-3 }, {}],
  ['p-less', { pLess: true }, {}],
  ['top-p 0.95, minKeep 5', { topP: 0.95, minKeep: 5 }, { topP: 0.95 }],
]);

const lib = await loadLibrary();
const sampler = await lib.createSampler({ backend: /** @type {any} */ (values.backend), seed: 1 });
const next = freshLogits(NORMAL_SHAPES.lm, N, 0x5eed);
const view = sampler.logitsView(N);

/** CPU time of this process so far, in ms. */
function cpu() {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/**
 * One run: `CALLS` calls of each configuration, interleaved call by call; each call's vector is
 * written into the view first, outside the timing. Returns the mean ms per call of each.
 * @param {object} a
 * @param {object} b
 */
function run(a, b) {
  let ta = 0,
    tb = 0;
  for (let i = 0; i < CALLS; i++) {
    view.set(next());
    let t0 = cpu();
    sampler.sample(view, /** @type {any} */ (a));
    ta += cpu() - t0;
    view.set(next());
    t0 = cpu();
    sampler.sample(view, /** @type {any} */ (b));
    tb += cpu() - t0;
  }
  return [ta / CALLS, tb / CALLS];
}

/** The minimum over RUNS runs of each, after one run of warm-up. @param {object} a @param {object} b */
function pair(a, b) {
  run(a, b);
  let ta = Infinity,
    tb = Infinity;
  for (let r = 0; r < RUNS; r++) {
    const [x, y] = run(a, b);
    ta = Math.min(ta, /** @type {number} */ (x));
    tb = Math.min(tb, /** @type {number} */ (y));
  }
  return [ta, tb];
}

console.log(
  `${sampler.backend}, ${N} tokens, LM-like, new logits every call, CPU time, min of ${RUNS} runs × ${CALLS} calls`,
);
console.log(`Node ${process.version}`);
for (const [name, a, b] of PAIRS) {
  const [ta, tb] = pair(a, b);
  console.log(
    `${name.padEnd(42)} ${(ta * 1000).toFixed(0).padStart(6)} µs vs ${(tb * 1000).toFixed(0).padStart(6)} µs  ×${(ta / tb).toFixed(3)}`,
  );
}
