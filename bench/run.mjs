// @ts-check
// `npm run bench`: every contender on every configuration and vocabulary size, one
// tinybench cell at a time, then the logits' calibration, the targets, a table per
// configuration, cost per 1,000 vocabulary entries, the floors, memory per size, cold start,
// and bench/results/latest.md (latest.json alongside, not committed).
//   npm run bench -- --quick --sizes 32000,128256 --configs lm-t1,lm-greedy

import { mkdirSync, writeFileSync } from 'node:fs';
import { parseOptions } from './lib/args.mjs';
import { coldStart, memoryBySize, wasmSize } from './lib/backend-stats.mjs';
import { buildFingerprint } from './lib/build-guard.mjs';
import { calibrate } from './lib/calibration.mjs';
import { CONFIGS } from './lib/configs.mjs';
import { BACKENDS, contendersFor, floorContender } from './lib/contenders.mjs';
import { createFloors } from './lib/floor.mjs';
import { us } from './lib/format.mjs';
import { loadLibrary } from './lib/library.mjs';
import { machine } from './lib/machine.mjs';
import { measureCell } from './lib/measure.mjs';
import { methodNotes, transformersNotes } from './lib/notes.mjs';
import { pairedRatios } from './lib/paired.mjs';
import { buildRows, renderReport } from './lib/report.mjs';
import { checkGreedy } from './lib/sanity.mjs';
import { checkTargets, TARGET_CONTENDER, TARGET_SIZE } from './lib/targets.mjs';
import { loadTransformers } from './peers/transformers.mjs';
import { firstVectors, KIND_NAMES, logitsStream } from './workloads.mjs';

/** @typedef {import('./lib/configs.mjs').Sampler} Sampler */
/** @typedef {import('./lib/contenders.mjs').Backend} Backend */
/** @typedef {import('./lib/contenders.mjs').Contender} Contender */
/** @typedef {import('./lib/report.mjs').Cell} Cell */
/** @typedef {import('./lib/report.mjs').FloorTimes} FloorTimes */
/** @typedef {import('./lib/report.mjs').BackendFacts} BackendFacts */
/** @typedef {import('./peers/transformers.mjs').TransformersSampler} TransformersSampler */

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
/** @type {string[]} */
const problems = [];
/** @type {string[]} */
const notes = [];
/** @param {unknown} err */
const message = (err) => (err instanceof Error ? err.message : String(err));

console.log(`logit-sampler bench — ${meta.cpu} × ${meta.cores}, Node ${meta.node}`);
console.log(
  `sizes ${opts.sizes.join(', ')} · configurations ${opts.configs.join(', ')} · ${opts.budget.time} ms per cell`,
);

// --- logits ---------------------------------------------------------------
const kinds = KIND_NAMES.filter((k) => configs.some((c) => c.kind === k));
const calibration = kinds.flatMap((kind) => opts.sizes.map((n) => calibrate(kind, n, firstVectors(kind, n))));

// --- contenders -----------------------------------------------------------
const library = await loadLibrary();
/** @type {Partial<Record<Backend, Sampler>>} */
const samplers = {};
for (const backend of BACKENDS) {
  try {
    const s = await library.createSampler({ backend, seed: SEED });
    if (s.backend !== backend) throw new Error(`createSampler gave backend "${s.backend}"`);
    samplers[backend] = s;
  } catch (err) {
    problems.push(`backend ${backend} unavailable: ${message(err)}`);
  }
}

const floors = await createFloors();
notes.push(
  `Floors: one WASM module built from bench/floor/ with the installed asc; the logits are written into its memory before each timed pass. ` +
    `Read floor — ${floors.read.source}. Exp floor — ${floors.exp.source}.`,
);

/** @type {import('./peers/transformers.mjs').TransformersPeer | null} */
let tjLib = null;
try {
  tjLib = await loadTransformers({ seed: SEED });
} catch (err) {
  console.error(`transformers.js peer unavailable: ${message(err)}`);
  problems.push(`transformers.js unavailable: ${message(err)}`);
}

// --- measurement ----------------------------------------------------------
/** @type {Cell[]} */
const cells = [];
/** @type {FloorTimes[]} */
const floorTimes = [];
const perGroup = Object.keys(samplers).length * 2 + 1 + (tjLib ? 1 : 0);
const total = (configs.length * perGroup + 2) * opts.sizes.length;
let done = 0;
const started = performance.now();

/**
 * @param {string} configId
 * @param {number} n
 * @param {string} name
 * @param {import('./lib/measure.mjs').Measurement} r
 */
function progress(configId, n, name, r) {
  done++;
  const where = `[${String(done).padStart(String(total).length)}/${total}] ${configId.padEnd(9)} ${n.toLocaleString('en-US').padStart(7)}  ${name.padEnd(20)}`;
  const what = r.error
    ? `ERROR ${r.error}`
    : `${us(r.medianUs).padStart(8)} µs/token  (${(r.samples ?? 0).toLocaleString('en-US')} tokens, ${(r.wallMs / 1000).toFixed(1)} s)`;
  console.log(`${where} ${what}`);
}

/**
 * @param {string} configId
 * @param {import('./workloads.mjs').Kind} kind
 * @param {number} n
 * @param {Contender} contender
 * @returns {Promise<Cell>}
 */
async function measure(configId, kind, n, contender) {
  const r = await measureCell(contender, logitsStream(kind, n), n, opts.budget);
  progress(configId, n, contender.name, r);
  if (r.error) problems.push(`${configId} @ ${n} ${contender.name}: ${r.error}`);
  return { config: configId, size: n, contender: contender.name, ...r };
}

// Floors do not depend on the configuration: measure them once per size, on the headline kind.
for (const n of opts.sizes) {
  const kind = kinds[0] ?? 'lm';
  const read = await measure('floor', kind, n, floorContender(floors.read, n));
  const exp = await measure('floor', kind, n, floorContender(floors.exp, n));
  floorTimes.push({ size: n, readUs: read.medianUs ?? null, expUs: exp.medianUs ?? null });
}

/** @type {Record<string, TransformersSampler>} */
const tjInfo = {};
/** @type {Map<string, number[]>} */
const greedyChecked = new Map();
for (const config of configs) {
  const tj = config.peers === false ? null : (tjLib?.samplerFor(config.params) ?? null);
  if (tj) tjInfo[config.id] = tj;
  for (const n of opts.sizes) {
    const { contenders, skipped } = contendersFor(config, n, { samplers, tj });
    if (skipped.length && n === opts.sizes[0])
      notes.push(`\`${config.id}\`: skipped on ${skipped.join(', ')}, which lack sampler.${config.method}().`);
    if (config.params.temperature === 0 && !config.run) {
      const mismatches = await checkGreedy(contenders, config.kind, n);
      problems.push(...mismatches);
      if (!mismatches.length) greedyChecked.set(config.id, [...(greedyChecked.get(config.id) ?? []), n]);
    }
    for (const c of contenders) cells.push(await measure(config.id, config.kind, n, c));
  }
}
for (const [id, sizes] of greedyChecked) {
  notes.push(
    `Greedy check (\`${id}\`): every contender returned the argmax of each vector at ${sizes.map((n) => n.toLocaleString('en-US')).join(', ')} tokens.`,
  );
}
console.log(`measured ${done} cells in ${((performance.now() - started) / 1000).toFixed(0)} s`);

// --- the targets' ratios, each read within one turn (bench/lib/paired.mjs) -------------------
/** @type {import('./lib/paired.mjs').Paired[]} */
let paired = [];
const targetSampler = samplers['wasm-simd'];
if (targetSampler && opts.sizes.includes(TARGET_SIZE)) {
  const t0 = performance.now();
  const budget = opts.quick ? { runs: 1, calls: 60 } : { runs: 5, calls: 300 };
  paired = pairedRatios({ sampler: targetSampler, floors, configs, all: CONFIGS, n: TARGET_SIZE, ...budget }).paired;
  const secs = ((performance.now() - t0) / 1000).toFixed(0);
  console.log(`paired the targets' configurations with their floors at ${TARGET_SIZE} tokens in ${secs} s`);
  notes.push(
    `Target ratios (${TARGET_CONTENDER}, ${TARGET_SIZE.toLocaleString('en-US')} tokens): each configuration's call and the floors (and the configuration it adds work to) take turns call by call on the same new vector (each case its own rotation of it), ${budget.runs} run(s) of ${budget.calls} turns; a ratio is the median over the runs of the median per-turn ratio (bench/lib/paired.mjs, as \`node bench/floors.mjs\`). The tables' floor multiples divide cells timed seconds apart, which the machine's drift moves.`,
  );
}

// --- per-backend facts ----------------------------------------------------
/** @type {BackendFacts[]} */
const backends = [];
for (const backend of BACKENDS) {
  /** @type {BackendFacts} */
  const entry = { backend, wasm: wasmSize(backend), memory: [] };
  try {
    entry.memory = await memoryBySize(library, backend, opts.sizes, configs);
    entry.coldStart = coldStart(backend, opts.quick ? 1 : 5);
  } catch (err) {
    entry.error = message(err);
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
notes.push(
  `This run: ${done} cells measured, ${(performance.now() / 1000).toFixed(0)} s from process start to report (build not included).`,
);
const rows = buildRows(cells, floorTimes, configs);
const targets = checkTargets(rows, paired);
const result = {
  meta,
  configs,
  calibration,
  cells,
  floors: floorTimes,
  rows,
  paired,
  targets,
  backends,
  notes,
  problems,
};

console.log(renderReport(result));
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('latest.json', dir), `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(new URL('latest.md', dir), renderReport(result, { markdown: true }));
console.log(
  `wrote bench/results/latest.md (and latest.json, not committed), ${(performance.now() / 1000).toFixed(0)} s after start`,
);
