// @ts-check
// The single-row speed targets of issue 18, each call timed next to the floor that bounds it
// on the same vector, in the same turn (bench/lib/alternate.mjs): 128,256 LM-like tokens,
// wasm-simd, zero-copy, a new vector every turn. `npm run bench` times each cell on its own,
// a second or more apart from the floors' cells; on a shared machine whose speed drifts by
// half from one minute to the next, a ratio read within one turn is the steadier one.
//
//   npm run build && node bench/floors.mjs [--runs 5] [--calls 300]

import { parseArgs } from 'node:util';
import { alternate } from './lib/alternate.mjs';
import { CONFIGS, libraryCall } from './lib/configs.mjs';
import { createFloors } from './lib/floor.mjs';
import { freshLogits } from './lib/fresh-logits.mjs';
import { loadLibrary } from './lib/library.mjs';
import { machine } from './lib/machine.mjs';
import { NORMAL_SHAPES } from './logits.mjs';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    calls: { type: 'string', default: '300' },
    n: { type: 'string', default: '128256' },
  },
});
const N = Number(values.n);

const { createSampler } = await loadLibrary();
const s = await createSampler({ backend: 'wasm-simd', seed: 1 });
const view = s.logitsView(N);
const floors = await createFloors();
const floorView = floors.read.view(N);

const lm = CONFIGS.filter((c) => c.kind === 'lm');
/** @type {import('./lib/alternate.mjs').Case[]} */
const cases = [
  { name: floors.read.name, feed: (x) => floorView.set(x), call: () => floors.read.run(N) },
  { name: floors.checked.name, feed: (x) => floorView.set(x), call: () => floors.checked.run(N) },
  { name: floors.exp.name, feed: (x) => floorView.set(x), call: () => floors.exp.run(N) },
  { name: floors.entropy.name, feed: (x) => floorView.set(x), call: () => floors.entropy.run(N) },
  ...lm.map((c) => {
    const run = libraryCall(c);
    return { name: c.id, feed: (/** @type {Float32Array} */ x) => view.set(x), call: () => run(s, view) };
  }),
];
const { medianUs, ratio } = alternate(cases, {
  runs: Number(values.runs),
  calls: Number(values.calls),
  next: freshLogits(NORMAL_SHAPES.lm, N, 0xf100),
});

/** @param {string} name */
function at(name) {
  return cases.findIndex((k) => k.name === name);
}

const m = machine();
console.log(
  `floors bench — ${m.cpu} × ${m.cores}, Node ${m.node}; wasm-simd zero-copy, ${N.toLocaleString('en')} LM-like tokens, a new vector every turn; least over ${values.runs} runs of the median of ${values.calls} turns`,
);
console.log(`${'configuration'.padEnd(14)} ${'µs'.padStart(8)}   per-turn ratio`);
for (let c = 0; c < cases.length; c++) {
  const config = lm.find((l) => l.id === cases[c].name);
  let against = '';
  if (config) {
    const floor = at(config.floor === 'exp' ? floors.exp.name : floors.read.name);
    against = `${ratio(c, floor).toFixed(2)}× ${cases[floor].name}`;
    // Every call rejects a NaN anywhere: where the floor is a read, say how far the call is
    // from a read that also watches for one.
    if (config.floor === 'read') against += `, ${ratio(c, at(floors.checked.name)).toFixed(2)}× ${floors.checked.name}`;
    // The entropy is e·z summed on top of the exp floor's work.
    if (config.entropy) against += `, ${ratio(c, at(floors.entropy.name)).toFixed(2)}× ${floors.entropy.name}`;
    if (config.base) against += `, ${ratio(c, at(config.base)).toFixed(2)}× ${config.base}`;
  }
  console.log(`${cases[c].name.padEnd(14)} ${medianUs[c].toFixed(1).padStart(8)}   ${against}`);
}
