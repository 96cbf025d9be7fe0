// `npm run bench`: every contender on every configuration and vocabulary size,
// one tinybench cell at a time, then a table per configuration, the issue 3
// targets, per-backend facts, and bench/results/latest.{json,md}.
//   npm run bench -- --quick --sizes 32000,128256 --configs greedy,topk-topp

import { mkdirSync, writeFileSync } from 'node:fs';
import { parseOptions } from './lib/args.mjs';
import { coldStart, memoryAt256k, wasmSize } from './lib/backend-stats.mjs';
import { CONFIGS } from './lib/configs.mjs';
import { BACKENDS, FLOOR, KERNEL_MAX, contendersFor, readPassContender } from './lib/contenders.mjs';
import { createFloor } from './lib/floor.mjs';
import { createKernelMax } from './lib/kernel-max.mjs';
import { loadLibrary } from './lib/library.mjs';
import { machine } from './lib/machine.mjs';
import { measureCell } from './lib/measure.mjs';
import { methodNotes, transformersNotes } from './lib/notes.mjs';
import { buildFingerprint } from './lib/build-guard.mjs';
import { buildRows, renderReport } from './lib/report.mjs';
import { checkGreedy } from './lib/sanity.mjs';
import { checkTargets } from './lib/targets.mjs';
import { loadTransformers } from './peers/transformers.mjs';
import { us } from './lib/format.mjs';
import { cycler } from './workloads.mjs';

const SEED = 42;
const opts = parseOptions(process.argv.slice(2));
const configs = CONFIGS.filter((c) => opts.configs.includes(c.id));
const meta = {
  ...machine(),
  command: ['npm run bench', ...(process.argv.length > 2 ? ['--', ...process.argv.slice(2)] : [])].join(' '),
  quick: opts.quick,
  sizes: opts.sizes,
  configs: opts.configs,
  budget: opts.budget,
  wasmFingerprint: buildFingerprint(),
};
const problems = [];
const notes = [];

console.log(`logit-sampler bench — ${meta.cpu} × ${meta.cores}, Node ${meta.node}`);
console.log(
  `sizes ${opts.sizes.join(', ')} · configurations ${opts.configs.join(', ')} · ${opts.budget.time} ms per cell`,
);

// --- contenders -----------------------------------------------------------
const { createSampler } = await loadLibrary();
const samplers = {};
for (const backend of BACKENDS) {
  try {
    const s = await createSampler({ backend, seed: SEED });
    if (s.backend !== backend) throw new Error(`createSampler gave backend "${s.backend}"`);
    samplers[backend] = s;
  } catch (err) {
    problems.push(`backend ${backend} unavailable: ${err.message}`);
  }
}

// The floor is the bench's own kernel rather than the library's max(n): that
// one is NaN-propagating f32x4.max, several instructions per vector on x86,
// so it measures more than the cost of touching the data. Both are reported.
const floor = await createFloor();
const kernelMax = await createKernelMax();
notes.push(
  `Read floor: ${floor.source}, built from bench/ with asc; the logits are written into its WASM memory before each timed pass.`,
);
if (kernelMax)
  notes.push(`${KERNEL_MAX}: ${kernelMax.source}, the read pass every sample() starts with; measured like the floor.`);
else problems.push(`${KERNEL_MAX} not measured: build/logit-sampler.simd.wasm missing or without a max export`);

let tjLib = null;
try {
  tjLib = await loadTransformers({ seed: SEED });
} catch (err) {
  problems.push(`transformers.js unavailable: ${err.message}`);
}

// --- measurement ----------------------------------------------------------
const cells = [];
const floorBySize = {};
const readPasses = [];
const perGroup = Object.keys(samplers).length * 2 + 1 + (tjLib ? 1 : 0);
const total = (configs.length * perGroup + 1 + (kernelMax ? 1 : 0)) * opts.sizes.length;
let done = 0;
const started = performance.now();

function progress(configId, n, name, r) {
  done++;
  const where = `[${String(done).padStart(String(total).length)}/${total}] ${configId.padEnd(9)} ${n.toLocaleString('en-US').padStart(7)}  ${name.padEnd(20)}`;
  const what = r.error
    ? `ERROR ${r.error}`
    : `${us(r.medianUs).padStart(8)} µs/token  (${r.samples.toLocaleString('en-US')} tokens, ${(r.wallMs / 1000).toFixed(1)} s)`;
  console.log(`${where} ${what}`);
}

async function measure(configId, kind, n, contender) {
  const r = await measureCell(contender, cycler(kind, n), n, opts.budget);
  progress(configId, n, contender.name, r);
  if (r.error) problems.push(`${configId} @ ${n} ${contender.name}: ${r.error}`);
  return { contender: contender.name, ...r };
}

const tjInfo = {};
const greedyChecked = [];
for (const config of configs) {
  const tj = tjLib?.samplerFor(config.params) ?? null;
  if (tj) tjInfo[config.id] = tj;
  for (const n of opts.sizes) {
    // Read passes do not depend on the configuration: measure them once per size.
    if (!floorBySize[n]) {
      floorBySize[n] = await measure('read', 'peaked', n, readPassContender(FLOOR, floor, n));
      const k = kernelMax ? await measure('read', 'peaked', n, readPassContender(KERNEL_MAX, kernelMax, n)) : null;
      readPasses.push({ size: n, floorUs: floorBySize[n].medianUs ?? null, kernelMaxUs: k?.medianUs ?? null });
    }
    const contenders = contendersFor(config, n, { samplers, tj });
    if (config.params.temperature === 0) {
      const mismatches = await checkGreedy(contenders, n);
      problems.push(...mismatches);
      if (!mismatches.length) greedyChecked.push(n);
    }
    for (const c of contenders)
      cells.push({ config: config.id, size: n, ...(await measure(config.id, config.kind, n, c)) });
  }
}
if (greedyChecked.length) {
  const sizes = greedyChecked.map((n) => n.toLocaleString('en-US')).join(', ');
  notes.push(`Greedy check: every contender returned the argmax of each vector at ${sizes} tokens.`);
}
console.log(`measured ${done} cells in ${((performance.now() - started) / 1000).toFixed(0)} s`);

// --- per-backend facts ----------------------------------------------------
const backends = [];
for (const backend of BACKENDS) {
  const entry = { backend, wasm: wasmSize(backend) };
  try {
    entry.memoryBytesAt256k = memoryAt256k(await createSampler({ backend, seed: SEED }));
    entry.coldStart = coldStart(backend, opts.quick ? 1 : 5);
  } catch (err) {
    entry.error = err.message;
  }
  backends.push(entry);
}
notes.push(...methodNotes(opts));
if (tjLib) notes.push(...transformersNotes(tjLib, tjInfo));

// --- report ---------------------------------------------------------------
if (buildFingerprint() !== meta.wasmFingerprint) {
  problems.push(
    'build/*.wasm changed during the run (a rebuild in this checkout?): the figures may mix two builds; run again.',
  );
}
const rows = buildRows(cells, floorBySize);
const targets = checkTargets((config, n) => rows.filter((r) => r.config === config && r.size === n));
const result = { meta, configs, cells, readPasses, rows, targets, backends, notes, problems };

console.log(renderReport(result));
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('latest.json', dir), JSON.stringify(result, null, 2) + '\n');
writeFileSync(new URL('latest.md', dir), renderReport(result, { markdown: true }));
console.log('wrote bench/results/latest.json and bench/results/latest.md');
