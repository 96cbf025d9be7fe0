// @ts-check
// The speed targets, by name, checked against one run at TARGET_SIZE. Ratios, not times,
// for the floor targets: the machine is shared, and a ratio to a floor measured in the same
// run holds where an absolute time does not.

import { CONFIGS } from './configs.mjs';
import { NAIVE, TRANSFORMERS } from './contenders.mjs';

export const TARGET_SIZE = 128256;
export const TARGET_CONTENDER = 'wasm-simd zero-copy';

/** @typedef {import('./report.mjs').Row} Row */

/**
 * @typedef {object} Target
 * @property {string} name
 * @property {string} config
 * @property {string | string[]} contender several: the slowest of them counts
 * @property {'floor' | 'readFloor' | 'us' | 'vsNaive' | 'vsTj' | 'timeVsNaive' | 'vsBase'} metric
 *   floor: time ÷ the configuration's own floor; readFloor: time ÷ read floor; us: µs per
 *   token; vsNaive / vsTj: peer time ÷ this time; timeVsNaive: this time ÷ naive JS time;
 *   vsBase: this time ÷ the same contender's time on the configuration's `base`
 * @property {number} limit
 * @property {boolean} atMost true: met when the value is ≤ limit; false: when ≥ limit
 */

/**
 * @typedef {object} TargetSet
 * @property {string} name
 * @property {string} about
 * @property {Target[]} targets
 */

/**
 * @param {string} name @param {string} config @param {number} limit
 * @returns {Target}
 */
const floorTarget = (name, config, limit) => ({
  name,
  config,
  contender: TARGET_CONTENDER,
  metric: 'floor',
  limit,
  atMost: true,
});

/** Earlier targets on peaked and flat logits: [config, µs ≤, × naive ≥, × transformers.js ≥, × read floor ≤]. */
const EARLIER = /** @type {const} */ ([
  ['temp', 120, 15, 150, 15],
  ['topk-topp', 25, 1000, 12, 4],
  ['flat-topp', 400, 100, 45, 50],
  ['greedy', 15, 8, 12, 2],
]);

/** @type {TargetSet[]} */
export const TARGET_SETS = [
  {
    name: 'Near the floors on LM-like logits',
    about: `${TARGET_CONTENDER}: time ÷ the time of the floor that bounds the configuration, the two taking turns on the same new vectors`,
    targets: [
      floorTarget('Full distribution near the exp floor', 'lm-t1', 1.3),
      floorTarget('Top-p near the exp floor', 'lm-topp', 1.6),
      floorTarget('Min-p near the read floor', 'lm-minp', 4),
      floorTarget("llama.cpp's chain near the read floor", 'lm-chain', 4),
      floorTarget('Greedy at the read floor', 'lm-greedy', 1.3),
    ],
  },
  {
    name: 'Controls and log-probabilities at little extra cost',
    about: `${TARGET_CONTENDER}: time ÷ its time on the same configuration without them, the two taking turns on the same new vectors`,
    // Not the entropy: summing e·z is itself about 1.24× the exp floor; floors.mjs reports
    // that call against a floor that sums it too.
    targets: CONFIGS.filter((c) => c.base && !c.entropy).map((c) => ({
      name: 'Within 1.15× of the configuration without them',
      config: c.id,
      contender: TARGET_CONTENDER,
      metric: /** @type {const} */ ('vsBase'),
      limit: 1.15,
      atMost: true,
    })),
  },
  {
    name: 'JS fallback at least as fast as naive JS',
    about: 'the slower of js zero-copy and js copy-in: its time ÷ naive JS time, every configuration and logits kind',
    targets: CONFIGS.filter((c) => c.peers !== false).map((c) => ({
      name: 'No slower than naive JS',
      config: c.id,
      contender: ['js zero-copy', 'js copy-in'],
      metric: /** @type {const} */ ('timeVsNaive'),
      limit: 1,
      atMost: true,
    })),
  },
  {
    name: 'Peaked and flat logits (the first targets)',
    about: `${TARGET_CONTENDER}; kept so that the sharper kinds stay no worse`,
    targets: EARLIER.flatMap(([config, us, naive, tj, floor]) => [
      { name: 'Time per token', config, contender: TARGET_CONTENDER, metric: 'us', limit: us, atMost: true },
      {
        name: 'Ahead of naive JS',
        config,
        contender: TARGET_CONTENDER,
        metric: 'vsNaive',
        limit: naive,
        atMost: false,
      },
      {
        name: 'Ahead of transformers.js',
        config,
        contender: TARGET_CONTENDER,
        metric: 'vsTj',
        limit: tj,
        atMost: false,
      },
      {
        name: 'Near the read floor',
        config,
        contender: TARGET_CONTENDER,
        metric: 'readFloor',
        limit: floor,
        atMost: true,
      },
    ]),
  },
];

/**
 * @typedef {Omit<Target, 'contender'> & {contender: string, set: string, value: number | null, met: boolean, miss: number | null, floorName?: string}} TargetResult
 *   contender: the one that counted; value null: not measured (a contender missing or
 *   failed); miss: how far off, as a fraction of the limit (0 when met)
 */

/**
 * This time ÷ the same contender's time on the configuration's base, or null.
 * @param {Row[]} rows @param {string} config @param {string} contender @param {number} us
 */
function baseTime(rows, config, contender, us) {
  const base = CONFIGS.find((c) => c.id === config)?.base;
  const row = rows.find((r) => r.config === base && r.size === TARGET_SIZE && r.contender === contender);
  return row?.medianUs ? us / row.medianUs : null;
}

/**
 * Every target whose configuration was measured at TARGET_SIZE. A ratio to a floor or to the
 * configuration's base comes from `paired` (read within one turn) where it holds the
 * configuration, from the cells otherwise.
 * @param {Row[]} rows
 * @param {import('./paired.mjs').Paired[]} [paired]
 * @returns {TargetResult[]}
 */
export function checkTargets(rows, paired = []) {
  /** @type {TargetResult[]} */
  const out = [];
  for (const set of TARGET_SETS) {
    for (const t of set.targets) {
      const at = rows.filter((r) => r.config === t.config && r.size === TARGET_SIZE);
      const names = typeof t.contender === 'string' ? [t.contender] : t.contender;
      if (!at.length) continue; // configuration not in this run
      const candidates = at.filter((r) => names.includes(r.contender) && r.medianUs != null);
      const row = candidates.reduce(
        (/** @type {Row | null} */ a, b) => (a && (a.medianUs ?? 0) >= (b.medianUs ?? 0) ? a : b),
        null,
      );
      if (!row || row.medianUs == null || candidates.length !== names.length) {
        out.push({ ...t, contender: names.join(', '), set: set.name, value: null, met: false, miss: null });
        continue;
      }
      const naive = at.find((r) => r.contender === NAIVE)?.medianUs ?? null;
      const tj = at.find((r) => r.contender === TRANSFORMERS)?.medianUs ?? null;
      const pair = row.contender === TARGET_CONTENDER ? paired.find((p) => p.config === t.config) : undefined;
      const value = {
        floor: pair ? pair.floor : row.floorMultiple,
        readFloor: pair ? pair.readFloor : row.readFloorMultiple,
        us: row.medianUs,
        vsNaive: naive && naive / row.medianUs,
        vsTj: tj && tj / row.medianUs,
        timeVsNaive: naive && row.medianUs / naive,
        vsBase: pair?.base ?? baseTime(rows, t.config, row.contender, row.medianUs),
      }[t.metric];
      if (value == null) {
        out.push({ ...t, contender: row.contender, set: set.name, value: null, met: false, miss: null });
        continue;
      }
      const met = t.atMost ? value <= t.limit : value >= t.limit;
      const miss = met ? 0 : t.atMost ? value / t.limit - 1 : t.limit / value - 1;
      out.push({
        ...t,
        contender: row.contender,
        set: set.name,
        value,
        met,
        miss,
        floorName: t.metric === 'floor' ? row.floorName : undefined,
      });
    }
  }
  return out;
}
