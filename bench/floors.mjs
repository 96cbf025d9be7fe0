// @ts-check
// The single-row speed targets of issue 18, each call timed next to the floor that bounds it
// on the same vector, in the same turn (bench/lib/alternate.mjs): 128,256 LM-like tokens,
// wasm-simd, zero-copy, a new vector every turn. `npm run bench` times each cell on its own,
// a second or more apart from the floors' cells; on a shared machine whose speed drifts by
// half from one minute to the next, a ratio read within one turn is the steadier one.
//
//   npm run build && node bench/floors.mjs [--runs 5] [--calls 300]

import { parseArgs } from 'node:util';
import { CONFIGS } from './lib/configs.mjs';
import { createFloors } from './lib/floor.mjs';
import { loadLibrary } from './lib/library.mjs';
import { machine } from './lib/machine.mjs';
import { pairedRatios } from './lib/paired.mjs';

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
const floors = await createFloors();

const lm = CONFIGS.filter((c) => c.kind === 'lm');
const { paired, floorUs } = pairedRatios({
  sampler: s,
  floors,
  configs: lm,
  all: CONFIGS,
  n: N,
  runs: Number(values.runs),
  calls: Number(values.calls),
});

const m = machine();
console.log(
  `floors bench — ${m.cpu} × ${m.cores}, Node ${m.node}; wasm-simd zero-copy, ${N.toLocaleString('en')} LM-like tokens, a new vector every turn, rotated per case; times: least over ${values.runs} runs of the median of ${values.calls} turns; ratios: median over the runs of the median per turn`,
);
console.log(`${'configuration'.padEnd(14)} ${'µs'.padStart(8)}   per-turn ratio`);
for (const [name, us] of Object.entries(floorUs.lm ?? {})) {
  console.log(`${name.padEnd(14)} ${us.toFixed(1).padStart(8)}   `);
}
for (const p of paired) {
  const config = lm.find((l) => l.id === p.config);
  let against = `${p.floor.toFixed(2)}× ${p.floorName}`;
  // Every call rejects a NaN anywhere: where the floor is a read, say how far the call is
  // from a read that also watches for one.
  if (config?.floor === 'read') against += `, ${p.checkedRead.toFixed(2)}× ${floors.checked.name}`;
  // The entropy is e·z summed on top of the exp floor's work.
  if (p.entropyFloor != null) against += `, ${p.entropyFloor.toFixed(2)}× ${floors.entropy.name}`;
  if (p.base != null) against += `, ${p.base.toFixed(2)}× ${config?.base}`;
  console.log(`${p.config.padEnd(14)} ${p.medianUs.toFixed(1).padStart(8)}   ${against}`);
}
