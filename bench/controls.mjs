// @ts-check
// What each control of the benchmark's `lm-controls` row costs on its own, and what
// sampleDetailed() adds: every case is sample() (or sampleDetailed()) on a zero-copy view at
// T = 1, the cases taking turns call by call on new LM-like logits (bench/lib/alternate.mjs),
// each reported as its time and its per-turn ratio to the plain T = 1 call. The controls are
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
const logprobs = { topLogprobs: 20 };
const entropy = { topLogprobs: 20, entropy: true };
/** @type {[string, () => unknown][]} */
const calls = [
  ['T = 1', () => s.sample(view, t1)],
  ['mask', () => s.sample(view, mask)],
  ['bias', () => s.sample(view, bias)],
  ['penalties', () => s.sample(view, penalties)],
  ['mask + bias', () => s.sample(view, maskBias)],
  ['all three', () => s.sample(view, all)],
  ['20 logprobs', () => s.sampleDetailed(view, t1, logprobs)],
  ['+ entropy', () => s.sampleDetailed(view, t1, entropy)],
];
const { medianUs, ratio } = alternate(
  calls.map(([name, call]) => ({ name, call, feed: (/** @type {Float32Array} */ x) => view.set(x) })),
  { runs: Number(values.runs), calls: Number(values.calls), next: freshLogits(NORMAL_SHAPES.lm, N, 0xc0de) },
);

const m = machine();
console.log(
  `controls bench — ${m.cpu} × ${m.cores}, Node ${m.node}; ${values.backend} zero-copy, ${N.toLocaleString('en')} LM-like tokens, a new vector every turn; least over ${values.runs} runs of the median of ${values.calls} turns`,
);
console.log(`${'case'.padEnd(12)} ${'µs'.padStart(8)}   per-turn ratio to T = 1`);
for (let c = 0; c < calls.length; c++) {
  console.log(`${calls[c][0].padEnd(12)} ${medianUs[c].toFixed(1).padStart(8)}   ${ratio(c, 0).toFixed(2)}×`);
}
