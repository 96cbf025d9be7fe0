// Turns measured cells into ratio rows, and rows into terminal and markdown
// reports. Ratios against peers are peer time / this time (how many times
// faster); against the read floor, this time / floor time (how many reads).

import { CONTENDER_ORDER, FLOOR, KERNEL_MAX } from './contenders.mjs';
import { TARGET_CONTENDER, TARGET_SIZE } from './targets.mjs';
import { bytes, ms, perSecond, ratio, table, us } from './format.mjs';

export function buildRows(cells, floorBySize) {
  const rows = [];
  const key = (c) => `${c.config}:${c.size}`;
  const groups = new Map();
  for (const cell of cells) {
    if (!groups.has(key(cell))) groups.set(key(cell), []);
    groups.get(key(cell)).push(cell);
  }
  for (const group of groups.values()) {
    const { config, size } = group[0];
    const timeOf = (name) => group.find((c) => c.contender === name)?.medianUs ?? null;
    const naive = timeOf('naive JS');
    const tj = timeOf('transformers.js');
    const floor = floorBySize[size]?.medianUs ?? null;
    const all = [...group, ...(floorBySize[size] ? [{ ...floorBySize[size], config, size }] : [])];
    all.sort((a, b) => CONTENDER_ORDER.indexOf(a.contender) - CONTENDER_ORDER.indexOf(b.contender));
    for (const c of all) {
      const t = c.medianUs ?? null;
      rows.push({
        config,
        size,
        contender: c.contender,
        medianUs: t,
        tokensPerSec: t ? 1e6 / t : null,
        vsNaive: t && naive ? naive / t : null,
        vsTj: t && tj ? tj / t : null,
        floorMultiple: t && floor ? t / floor : null,
        samples: c.samples ?? null,
        error: c.error ?? null,
      });
    }
  }
  return rows;
}

const SPEED_COLUMNS = [
  { title: 'vocab', align: 'right' },
  { title: 'contender', align: 'left' },
  { title: 'median µs/token', align: 'right' },
  { title: 'tokens/s', align: 'right' },
  { title: 'vs naive JS', align: 'right' },
  { title: 'vs transformers.js', align: 'right' },
  { title: '× read floor', align: 'right' },
];

function speedTable(rows, markdown) {
  let lastSize = null;
  const cells = rows.map((r) => {
    const size = r.size === lastSize && !markdown ? '' : r.size.toLocaleString('en-US');
    lastSize = r.size;
    if (r.error) return [size, r.contender, `error: ${r.error}`, '', '', '', ''];
    return [
      size,
      r.contender,
      us(r.medianUs),
      perSecond(r.tokensPerSec),
      ratio(r.vsNaive),
      ratio(r.vsTj),
      ratio(r.floorMultiple),
    ];
  });
  return table(SPEED_COLUMNS, cells, { markdown });
}

function backendTable(backends, markdown) {
  const columns = [
    { title: 'backend', align: 'left' },
    { title: 'memory at 256k vocab', align: 'right' },
    { title: 'compile', align: 'right' },
    { title: 'instantiate', align: 'right' },
    { title: 'createSampler()', align: 'right' },
    { title: 'first sample()', align: 'right' },
    { title: '.wasm', align: 'left' },
    { title: 'size', align: 'right' },
    { title: 'gzipped', align: 'right' },
  ];
  const cells = backends.map((b) => [
    b.backend,
    b.error ? `error: ${b.error}` : bytes(b.memoryBytesAt256k),
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

function readPassTable(readPasses, markdown) {
  const columns = [
    { title: 'vocab', align: 'right' },
    { title: `${FLOOR} µs`, align: 'right' },
    { title: `${KERNEL_MAX} µs`, align: 'right' },
    { title: '× read floor', align: 'right' },
  ];
  const cells = readPasses.map((p) => [
    p.size.toLocaleString('en-US'),
    us(p.floorUs),
    us(p.kernelMaxUs),
    ratio(p.kernelMaxUs && p.floorUs ? p.kernelMaxUs / p.floorUs : null),
  ]);
  return table(columns, cells, { markdown });
}

function targetTable(targets, markdown) {
  const columns = [
    { title: 'configuration', align: 'left' },
    { title: 'µs/token (target)', align: 'right' },
    { title: 'vs naive JS (target)', align: 'right' },
    { title: 'vs transformers.js (target)', align: 'right' },
    { title: '× read floor (target)', align: 'right' },
  ];
  const mark = (ok) => (ok ? '✓' : '✗');
  const cells = targets.map((t) => [
    t.config,
    `${us(t.medianUs)} (≤ ${t.target.us}) ${mark(t.met.us)}`,
    `${ratio(t.vsNaive)} (≥ ${t.target.vsNaive}×) ${mark(t.met.vsNaive)}`,
    `${ratio(t.vsTj)} (≥ ${t.target.vsTj}×) ${mark(t.met.vsTj)}`,
    `${ratio(t.floorMultiple)} (≤ ${t.target.floor}×) ${mark(t.met.floor)}`,
  ]);
  return table(columns, cells, { markdown });
}

function machineLine(meta) {
  return `${meta.cpu} × ${meta.cores} cores, ${meta.platform}/${meta.arch}, Node ${meta.node} (V8 ${meta.v8}), ${meta.date}`;
}

/** The tables as printed after the run (and, with markdown: true, as written to latest.md). */
export function renderReport(result, { markdown = false } = {}) {
  const { meta, configs, rows, backends, targets, readPasses, notes, problems } = result;
  const h = (level, text) => (markdown ? `${'#'.repeat(level)} ${text}` : `\n== ${text} ==`);
  const out = [];
  if (markdown) {
    out.push('# logit-sampler benchmark', '');
    out.push(`Machine: ${machineLine(meta)}  `);
    out.push(
      `Commit: ${meta.commit ?? 'unknown'} · command: \`${meta.command}\` · ${meta.quick ? 'quick budget' : 'full budget'} (${meta.budget.time} ms per cell)`,
    );
    out.push('');
    out.push(
      'Median per-token time; ratios vs peers = peer time ÷ this time (higher is faster); × read floor = this time ÷ the time of one SIMD pass that only reads the logits.',
    );
  } else {
    out.push(`Machine: ${machineLine(meta)}`);
    out.push(
      'Ratios vs peers = peer time ÷ this time (higher is faster); × read floor = this time ÷ one read-only SIMD pass.',
    );
  }
  for (const config of configs) {
    const mine = rows.filter((r) => r.config === config.id);
    if (!mine.length) continue;
    out.push('', h(2, `${config.title} — \`${config.id}\``), '', speedTable(mine, markdown));
  }
  if (targets.length) {
    out.push(
      '',
      h(2, `Targets (issue 3): ${TARGET_CONTENDER} at ${TARGET_SIZE.toLocaleString('en-US')} tokens`),
      '',
      targetTable(targets, markdown),
    );
  }
  if (readPasses.length) out.push('', h(2, 'Read passes'), '', readPassTable(readPasses, markdown));
  if (backends.length) {
    out.push('', h(2, 'Backends'), '', backendTable(backends, markdown));
  }
  if (notes.length) out.push('', h(2, 'Notes'), '', ...notes.map((n) => `- ${n}`));
  if (problems.length) out.push('', h(2, 'Problems'), '', ...problems.map((p) => `- ${p}`));
  return out.join('\n') + '\n';
}
