// @ts-check
// What each control of the benchmark's `lm-controls` row costs on its own, and what
// sampleDetailed() adds: every case is sample() (or sampleDetailed()) on a zero-copy view at
// T = 1 — or greedy, where the mask is read by the argmax rather than copied — the cases taking
// turns call by call on new LM-like logits (bench/lib/alternate.mjs), each reported as its time
// and its per-turn ratio to the same call without controls. The controls are
// bench/lib/configs.mjs withControls(): a 90%-allowed mask, a 5,000-entry logit bias, and
// repetition, presence and frequency penalties over 256 tokens.
//
//   npm run build && node bench/controls.mjs [--backend wasm-simd|wasm|js] [--runs 3] [--calls 150]

import { parseArgs } from 'node:util';
import { alternate } from './lib/alternate.mjs';
import { withControls } from './lib/configs.mjs';
import { freshLogits } from './lib/fresh-logits.mjs';
import { loadLibrary } from './lib/library.mjs';
import { machine } from './lib/machine.mjs';
import { NORMAL_SHAPES } from './logits.mjs';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'wasm-simd' },
    runs: { type: 'string', default: '3' },
    calls: { type: 'string', default: '150' },
    n: { type: 'string', default: '128256' },
  },
});
const N = Number(values.n);

const { createSampler } = await loadLibrary();
const s = await createSampler({ backend: /** @type {never} */ (values.backend), seed: 1 });
const view = s.logitsView(N);
const t1 = { temperature: 1 };
const all = withControls(N, t1);
// Each case's params made once: the timed calls allocate nothing of the benchmark's own.
const penalties = {
  ...t1,
  history: all.history,
  repetitionPenalty: all.repetitionPenalty,
  presencePenalty: all.presencePenalty,
  frequencyPenalty: all.frequencyPenalty,
};
const mask = { ...t1, allowed: all.allowed };
const bias = { ...t1, logitBias: all.logitBias };
const maskBias = { ...t1, allowed: all.allowed, logitBias: all.logitBias };
const greedy = { temperature: 0 };
const greedyMask = { ...greedy, allowed: all.allowed };
const greedyAll = withControls(N, greedy);
const logprobs = { topLogprobs: 20 };
const entropy = { topLogprobs: 20, entropy: true };
/** Each case: its name, the call, and the case it is reported against. @type {[string, () => unknown, number][]} */
const calls = [
  ['T = 1', () => s.sample(view, t1), 0],
  ['mask', () => s.sample(view, mask), 0],
  ['bias', () => s.sample(view, bias), 0],
  ['penalties', () => s.sample(view, penalties), 0],
  ['mask + bias', () => s.sample(view, maskBias), 0],
  ['all three', () => s.sample(view, all), 0],
  ['20 logprobs', () => s.sampleDetailed(view, t1, logprobs), 0],
  ['+ entropy', () => s.sampleDetailed(view, t1, entropy), 0],
  ['greedy', () => s.sample(view, greedy), 8],
  ['+ mask', () => s.sample(view, greedyMask), 8],
  ['+ all three', () => s.sample(view, greedyAll), 8],
];
const { medianUs, ratio } = alternate(
  calls.map(([name, call]) => ({ name, call, feed: (/** @type {Float32Array} */ x) => view.set(x) })),
  { runs: Number(values.runs), calls: Number(values.calls), next: freshLogits(NORMAL_SHAPES.lm, N, 0xc0de) },
);

const m = machine();
console.log(
  `controls bench — ${m.cpu} × ${m.cores}, Node ${m.node}; ${values.backend} zero-copy, ${N.toLocaleString('en')} LM-like tokens, a new vector every turn, rotated per case; times: least over ${values.runs} runs of the median of ${values.calls} turns; ratios: median over the runs of the median per turn`,
);
console.log(`${'case'.padEnd(12)} ${'µs'.padStart(8)}   per-turn ratio to the call without controls`);
for (let c = 0; c < calls.length; c++) {
  const [name, , base] = calls[c];
  const against = base === c ? '' : `${ratio(c, base).toFixed(2)}× ${calls[base][0]}`;
  console.log(`${name.padEnd(12)} ${medianUs[c].toFixed(1).padStart(8)}   ${against}`);
}
