// @ts-check
// Turns measured cells into ratio rows, and rows into the terminal and markdown reports.
// Against peers: peer time ÷ this time (how many times faster). Against a floor: this time ÷
// floor time (how many floors it costs).

import { KINDS } from '../workloads.mjs';
import { CONTENDER_ORDER, NAIVE, TRANSFORMERS } from './contenders.mjs';
import { EXP_FLOOR, READ_FLOOR } from './floor.mjs';
import { bytes, count, mib, ms, percent, perSecond, ratio, sig, table, us } from './format.mjs';
import { TARGET_CONTENDER, TARGET_SETS, TARGET_SIZE } from './targets.mjs';

/** @typedef {import('./configs.mjs').Config} Config */
/** @typedef {import('./calibration.mjs').Calibration} Calibration */
/** @typedef {import('./targets.mjs').TargetResult} TargetResult */

/**
 * One measured cell: a contender on a configuration at a vocabulary size.
 * @typedef {object} Cell
 * @property {string} config
 * @property {number} size
 * @property {string} contender
 * @property {number} [medianUs]
 * @property {number} [samples]
 * @property {string} [error]
 */

/**
 * @typedef {object} FloorTimes
 * @property {number} size
 * @property {number | null} readUs
 * @property {number | null} expUs
 */

/**
 * @typedef {object} Row
 * @property {string} config
 * @property {number} size
 * @property {string} contender
 * @property {number | null} medianUs
 * @property {number | null} usPer1k µs per 1,000 vocabulary entries
 * @property {number | null} tokensPerSec
 * @property {number | null} vsNaive naive JS time ÷ this time
 * @property {number | null} vsTj transformers.js time ÷ this time
 * @property {string} floorName the floor that bounds the configuration
 * @property {number | null} floorMultiple this time ÷ that floor's time
 * @property {number | null} readFloorMultiple this time ÷ the read floor's time
 * @property {number | null} samples
 * @property {string | null} error
 */

/**
 * @typedef {object} BackendFacts
 * @property {string} backend
 * @property {{file: string, bytes: number, gzipBytes: number} | null} wasm
 * @property {{size: number, bytes: number | null, error?: string}[]} memory
 * @property {{runs: number, compileMs: number | null, instantiateMs: number | null, createMs: number | null, firstSampleMs: number | null}} [coldStart]
 * @property {string} [error]
 */

/**
 * @typedef {object} Result
 * @property {Record<string, any>} meta
 * @property {Config[]} configs
 * @property {Calibration[]} calibration
 * @property {Row[]} rows
 * @property {FloorTimes[]} floors
 * @property {import('./paired.mjs').Paired[]} [paired] the targets' ratios, read within one turn
 * @property {TargetResult[]} targets
 * @property {BackendFacts[]} backends
 * @property {string[]} notes
 * @property {string[]} problems
 */

/** @param {number | null | undefined} t @param {number | null | undefined} base */
const over = (t, base) => (t && base ? t / base : null);

/**
 * @param {Cell[]} cells
 * @param {FloorTimes[]} floors
 * @param {Config[]} configs
 * @returns {Row[]}
 */
export function buildRows(cells, floors, configs) {
  /** @type {Row[]} */
  const rows = [];
  for (const config of configs) {
    for (const f of floors) {
      const group = cells.filter((c) => c.config === config.id && c.size === f.size);
      if (!group.length) continue;
      const floorName = config.floor === 'exp' ? EXP_FLOOR : READ_FLOOR;
      const floorUs = config.floor === 'exp' ? f.expUs : f.readUs;
      /** @param {string} name */
      const timeOf = (name) => group.find((c) => c.contender === name)?.medianUs ?? null;
      const naive = timeOf(NAIVE);
      const tj = timeOf(TRANSFORMERS);
      /** @type {Cell[]} */
      const all = [...group, { config: config.id, size: f.size, contender: floorName, medianUs: floorUs ?? undefined }];
      all.sort((a, b) => CONTENDER_ORDER.indexOf(a.contender) - CONTENDER_ORDER.indexOf(b.contender));
      for (const c of all) {
        const t = c.medianUs ?? null;
        rows.push({
          config: config.id,
          size: f.size,
          contender: c.contender,
          medianUs: t,
          usPer1k: t == null ? null : (t * 1000) / f.size,
          tokensPerSec: t ? 1e6 / t : null,
          vsNaive: over(naive, t),
          vsTj: over(tj, t),
          floorName,
          floorMultiple: over(t, floorUs),
          readFloorMultiple: over(t, f.readUs),
          samples: c.samples ?? null,
          error: c.error ?? null,
        });
      }
    }
  }
  return rows;
}

/** @param {Row[]} rows @param {string} floorName @param {boolean} markdown */
function speedTable(rows, floorName, markdown) {
  const columns = /** @type {import('./format.mjs').Column[]} */ ([
    { title: 'vocab', align: 'right' },
    { title: 'contender', align: 'left' },
    { title: 'median µs/token', align: 'right' },
    { title: 'µs per 1k vocab', align: 'right' },
    { title: 'tokens/s', align: 'right' },
    { title: 'vs naive JS', align: 'right' },
    { title: 'vs transformers.js', align: 'right' },
    { title: `× ${floorName}`, align: 'right' },
  ]);
  /** @type {number | null} */
  let lastSize = null;
  const cells = rows.map((r) => {
    const size = r.size === lastSize && !markdown ? '' : count(r.size);
    lastSize = r.size;
    if (r.error) return [size, r.contender, `error: ${r.error}`, '', '', '', '', ''];
    return [
      size,
      r.contender,
      us(r.medianUs),
      us(r.usPer1k),
      perSecond(r.tokensPerSec),
      ratio(r.vsNaive),
      ratio(r.vsTj),
      ratio(r.floorMultiple),
    ];
  });
  return table(columns, cells, { markdown });
}

/** @param {{median: number, min: number, max: number}} s @param {(x: number) => string} f */
const spread = (s, f) => (s.min === s.max ? f(s.median) : `${f(s.median)} (${f(s.min)}–${f(s.max)})`);

/** @param {Calibration[]} calibration @param {boolean} markdown */
function calibrationTable(calibration, markdown) {
  const columns = /** @type {import('./format.mjs').Column[]} */ ([
    { title: 'kind', align: 'left' },
    { title: 'vocab', align: 'right' },
    { title: 'std', align: 'right' },
    { title: 'entropy T=1 (nats)', align: 'right' },
    { title: 'entropy T=0.7', align: 'right' },
    { title: 'p_max T=1', align: 'right' },
    { title: 'above 2^-53·p_max, T=1', align: 'right' },
    { title: 'above, T=0.7', align: 'right' },
    { title: 'top-p 0.95 nucleus, T=1', align: 'right' },
    { title: 'min-p 0.05 keeps, T=1', align: 'right' },
  ]);
  const cells = calibration.map(({ kind, size, stats: s }) => [
    KINDS[/** @type {import('../workloads.mjs').Kind} */ (kind)]?.title ?? kind,
    count(size),
    sig(s.std.median),
    spread(s.entropy1, sig),
    spread(s.entropy07, sig),
    spread(s.pMax1, sig),
    spread(s.above1, percent),
    spread(s.above07, percent),
    spread(s.nucleus95, sig),
    spread(s.minP05, sig),
  ]);
  return table(columns, cells, { markdown });
}

/** @param {TargetResult[]} results @param {boolean} markdown */
function targetTable(results, markdown) {
  const columns = /** @type {import('./format.mjs').Column[]} */ ([
    { title: 'target', align: 'left' },
    { title: 'configuration', align: 'left' },
    { title: 'contender', align: 'left' },
    { title: 'measured', align: 'right' },
    { title: 'target', align: 'right' },
    { title: 'verdict', align: 'left' },
  ]);
  /** @param {TargetResult} t @param {number} x */
  const show = (t, x) => {
    switch (t.metric) {
      case 'floor':
        return `${ratio(x)} ${t.floorName}`;
      case 'readFloor':
        return `${ratio(x)} read floor`;
      case 'us':
        return `${us(x)} µs`;
      case 'timeVsNaive':
        return `${ratio(x)} naive JS time`;
      default:
        return ratio(x);
    }
  };
  const cells = results.map((t) => [
    t.name,
    `\`${t.config}\``,
    t.contender,
    t.value == null ? '—' : show(t, t.value),
    `${t.atMost ? '≤' : '≥'} ${show(t, t.limit)}`,
    t.value == null ? '✗ not measured' : t.met ? '✓ met' : `✗ misses by ${sig(100 * (t.miss ?? 0))}%`,
  ]);
  return table(columns, cells, { markdown });
}

/** @param {Row[]} rows @param {FloorTimes[]} floors @param {Config[]} configs @param {boolean} markdown */
function scalingTable(rows, floors, configs, markdown) {
  const sizes = floors.map((f) => f.size);
  const columns = /** @type {import('./format.mjs').Column[]} */ ([
    { title: 'configuration', align: 'left' },
    ...sizes.map((n) => ({ title: count(n), align: /** @type {const} */ ('right') })),
    { title: 'largest ÷ smallest', align: 'right' },
  ]);
  /** @param {string} label @param {(number | null)[]} per1k */
  const line = (label, per1k) => {
    const known = /** @type {number[]} */ (per1k.filter((x) => x != null));
    return [label, ...per1k.map(us), ratio(known.length > 1 ? Math.max(...known) / Math.min(...known) : null)];
  };
  const cells = configs
    .filter((c) => rows.some((r) => r.config === c.id))
    .map((c) =>
      line(
        `\`${c.id}\``,
        sizes.map(
          (n) =>
            rows.find((r) => r.config === c.id && r.size === n && r.contender === TARGET_CONTENDER)?.usPer1k ?? null,
        ),
      ),
    );
  cells.push(
    line(
      EXP_FLOOR,
      floors.map((f) => (f.expUs == null ? null : (f.expUs * 1000) / f.size)),
    ),
  );
  cells.push(
    line(
      READ_FLOOR,
      floors.map((f) => (f.readUs == null ? null : (f.readUs * 1000) / f.size)),
    ),
  );
  return table(columns, cells, { markdown });
}

/** @param {FloorTimes[]} floors @param {boolean} markdown */
function floorTable(floors, markdown) {
  const columns = /** @type {import('./format.mjs').Column[]} */ ([
    { title: 'vocab', align: 'right' },
    { title: `${READ_FLOOR} µs`, align: 'right' },
    { title: `${EXP_FLOOR} µs`, align: 'right' },
    { title: 'exp ÷ read', align: 'right' },
    { title: 'exp floor ns per token', align: 'right' },
  ]);
  const cells = floors.map((f) => [
    count(f.size),
    us(f.readUs),
    us(f.expUs),
    ratio(over(f.expUs, f.readUs)),
    f.expUs == null ? '—' : ((f.expUs * 1000) / f.size).toFixed(3),
  ]);
  return table(columns, cells, { markdown });
}

/** @param {BackendFacts[]} backends @param {boolean} markdown */
function memoryTable(backends, markdown) {
  const sizes = [...new Set(backends.flatMap((b) => b.memory.map((m) => m.size)))];
  const columns = /** @type {import('./format.mjs').Column[]} */ ([
    { title: 'backend', align: 'left' },
    ...sizes.map((n) => ({ title: count(n), align: /** @type {const} */ ('right') })),
  ]);
  const cells = backends.map((b) => [
    b.backend,
    ...sizes.map((n) => {
      const m = b.memory.find((x) => x.size === n);
      return m?.error ? `error: ${m.error}` : mib(m?.bytes);
    }),
  ]);
  return table(columns, cells, { markdown });
}

/** @param {BackendFacts[]} backends @param {boolean} markdown */
function startTable(backends, markdown) {
  const columns = /** @type {import('./format.mjs').Column[]} */ ([
    { title: 'backend', align: 'left' },
    { title: 'compile', align: 'right' },
    { title: 'instantiate', align: 'right' },
    { title: 'createSampler()', align: 'right' },
    { title: 'first sample()', align: 'right' },
    { title: '.wasm', align: 'left' },
    { title: 'size', align: 'right' },
    { title: 'gzipped', align: 'right' },
  ]);
  const cells = backends.map((b) => [
    b.error ? `${b.backend} (error: ${b.error})` : b.backend,
    ms(b.coldStart?.compileMs),
    ms(b.coldStart?.instantiateMs),
    ms(b.coldStart?.createMs),
    ms(b.coldStart?.firstSampleMs),
    b.wasm?.file ?? '—',
    b.wasm ? bytes(b.wasm.bytes) : '—',
    b.wasm ? bytes(b.wasm.gzipBytes) : '—',
  ]);
  return table(columns, cells, { markdown });
}

/** @param {Record<string, any>} meta */
function machineLine(meta) {
  return `${meta.cpu} × ${meta.cores} cores, ${meta.platform}/${meta.arch}, Node ${meta.node} (V8 ${meta.v8}), ${meta.date}`;
}

const HOW_TO_READ = [
  'Median time per token, each contender sampling the same sequence of logits vectors, a new one for every call. Against peers: peer time ÷ this time (higher is faster).',
  'Against a floor: this time ÷ the floor’s time in the same run (lower is better; 1× is the least any exact sampler of this width can do).',
  'The read floor is one f32x4 pass that reads every logit (their max); the exp floor adds one pass computing the library’s own polynomial exp of every (x − max)·c and summing.',
  'Each configuration is compared with the floor that bounds it: the exp floor where every token’s probability counts (no truncation, top-p), the read floor where the kept tokens follow from the max alone (greedy, min-p, chains with top-k).',
  '“µs per 1k vocab” is the time per 1,000 vocabulary entries: constant across sizes when cost grows linearly with the vocabulary.',
];

/**
 * The report as printed after the run and, with markdown: true, as written to latest.md.
 * @param {Result} result
 * @param {{markdown?: boolean}} [options]
 */
export function renderReport(result, { markdown = false } = {}) {
  const { meta, configs, calibration, rows, floors, backends, targets, notes, problems } = result;
  /** @param {number} level @param {string} text */
  const h = (level, text) => (markdown ? `${'#'.repeat(level)} ${text}` : `${level <= 2 ? '==' : '--'} ${text}`);
  /** @type {string[]} */
  const out = [];
  if (markdown) out.push('# logit-sampler benchmark', '');
  out.push(`Machine: ${machineLine(meta)}${markdown ? '  ' : ''}`);
  out.push(
    `Commit: ${meta.commit ?? 'unknown'} · command: \`${meta.command}\` · ${meta.quick ? 'quick budget' : 'full budget'} (${meta.budget.time} ms per cell)`,
  );
  if (markdown) out.push('', ...HOW_TO_READ.map((line) => `- ${line}`));

  if (calibration.length) {
    out.push('', h(2, 'Logits'), '');
    if (markdown) {
      out.push(
        `The first ${vectorCount(calibration)} vectors per kind and size of the stream every contender samples, a new vector for every call (bench/lib/fresh-logits.mjs). LM-like: 2.5·N(0,1) with 20 tokens boosted by U[8, 15]; peaked: 12·N(0,1), same boosts; flat: 0.5·N(0,1). ` +
          'Computed in float64 from the float32 vectors: median over the vectors, (min–max) where they differ. “Above 2^-53·p_max” is the share of the vocabulary whose exponential is not flushed to 0; the nucleus and min-p columns count tokens.',
        '',
      );
    }
    out.push(calibrationTable(calibration, markdown));
  }

  if (targets.length) {
    out.push('', h(2, `Targets: ${count(TARGET_SIZE)} tokens`));
    for (const set of TARGET_SETS) {
      const mine = targets.filter((t) => t.set === set.name);
      if (!mine.length) continue;
      const met = mine.filter((t) => t.met).length;
      out.push(
        '',
        h(3, `${set.name} — ${met} of ${mine.length} met`),
        '',
        `${set.about}.`,
        '',
        targetTable(mine, markdown),
      );
    }
  }

  for (const [heading, group] of /** @type {const} */ ([
    ['LM-like logits', configs.filter((c) => !c.secondary)],
    ['Peaked and flat logits', configs.filter((c) => c.secondary)],
  ])) {
    const measured = group.filter((c) => rows.some((r) => r.config === c.id));
    if (!measured.length) continue;
    out.push('', h(2, heading));
    for (const config of measured) {
      const mine = rows.filter((r) => r.config === config.id);
      out.push(
        '',
        h(3, `${config.title} — \`${config.id}\``),
        '',
        speedTable(mine, mine[0]?.floorName ?? '', markdown),
      );
    }
  }

  if (floors.length) {
    out.push('', h(2, `Cost per 1,000 vocabulary entries (${TARGET_CONTENDER}, µs)`), '');
    out.push(scalingTable(rows, floors, configs, markdown));
    out.push('', h(2, 'Floors'), '', floorTable(floors, markdown));
  }
  if (backends.length) {
    out.push('', h(2, 'Memory per vocabulary size (sampler.memoryBytes)'), '');
    if (markdown)
      out.push(
        'A fresh sampler per backend and size, after sampling every configuration at that size both copy-in and zero-copy.',
        '',
      );
    out.push(memoryTable(backends, markdown));
    out.push('', h(2, 'Cold start and size'), '', startTable(backends, markdown));
  }
  if (notes.length) out.push('', h(2, 'Notes'), '', ...notes.map((n) => `- ${n}`));
  if (problems.length) out.push('', h(2, 'Problems'), '', ...problems.map((p) => `- ${p}`));
  return `${out.join('\n')}\n`;
}

/** @param {Calibration[]} calibration */
const vectorCount = (calibration) => calibration[0]?.vectors ?? 0;
