// @ts-check
// The ratios the targets are judged by, read within one turn: each configuration's call takes
// turns with the floors (and with the configuration it adds work to) on the same new vector,
// call by call (bench/lib/alternate.mjs). A cell of its own, timed a second or more apart from
// its floor's, measures the machine's drift as much as the call: in one full run T = 1 took
// 0.79× the exp floor, and greedy 2.4× the read floor in one run and 3.5× in the next, on the
// same code. bench/floors.mjs prints these ratios; `npm run bench` checks its targets by them.

import { NORMAL_SHAPES } from '../logits.mjs';
import { alternate } from './alternate.mjs';
import { libraryCall } from './configs.mjs';
import { freshLogits } from './fresh-logits.mjs';

/** @typedef {import('./configs.mjs').Config} Config */
/** @typedef {import('./configs.mjs').Sampler} Sampler */
/** @typedef {Awaited<ReturnType<typeof import('./floor.mjs').createFloors>>} Floors */

/**
 * @typedef {object} Paired
 * @property {string} config
 * @property {number} medianUs its median time in the alternation
 * @property {number} floor its time ÷ its own floor's (exp or read), median per turn
 * @property {string} floorName
 * @property {number} readFloor ÷ the read floor's
 * @property {number} checkedRead ÷ the checked read's (the read floor plus a NaN watch)
 * @property {number | null} entropyFloor ÷ the entropy floor's, for a call that sums the entropy
 * @property {number | null} base ÷ the time of the configuration it adds work to
 */

/**
 * Alternates, per logits kind, the four floors and `configs` (their bases added) on a zero-copy
 * view of `sampler`, `n` logits, a new vector every turn.
 * @param {{ sampler: Sampler, floors: Floors, configs: Config[], all: Config[], n: number, runs: number, calls: number }} o
 *   `all`: where a configuration's base is looked up
 * @returns {{ paired: Paired[], floorUs: Record<string, Record<string, number>> }} floorUs: per kind,
 *   each floor's median time in that kind's alternation
 */
export function pairedRatios({ sampler, floors, configs, all, n, runs, calls }) {
  const view = sampler.logitsView(n);
  const floorView = floors.read.view(n);
  /** @type {Paired[]} */
  const paired = [];
  /** @type {Record<string, Record<string, number>>} */
  const floorUs = {};
  const kinds = [...new Set(configs.map((c) => c.kind))];
  for (const kind of kinds) {
    const own = configs.filter((c) => c.kind === kind);
    const bases = own.flatMap((c) => (c.base ? all.filter((b) => b.id === c.base) : []));
    const timed = [...new Set([...own, ...bases])];
    const floorList = [floors.read, floors.checked, floors.exp, floors.entropy];
    const cases = [
      ...floorList.map((f) => ({
        name: f.name,
        feed: (/** @type {Float32Array} */ x) => floorView.set(x),
        call: () => f.run(n),
      })),
      ...timed.map((c) => {
        const run = libraryCall(c);
        return { name: c.id, feed: (/** @type {Float32Array} */ x) => view.set(x), call: () => run(sampler, view) };
      }),
    ];
    const shape = NORMAL_SHAPES[/** @type {keyof typeof NORMAL_SHAPES} */ (kind)];
    if (!shape) continue;
    const { medianUs, ratio } = alternate(cases, { runs, calls, next: freshLogits(shape, n, 0xf100) });
    const at = (/** @type {string} */ name) => cases.findIndex((k) => k.name === name);
    floorUs[kind] = Object.fromEntries(floorList.map((f) => [f.name, medianUs[at(f.name)] ?? Number.NaN]));
    for (const c of own) {
      const i = at(c.id);
      const floorName = c.floor === 'exp' ? floors.exp.name : floors.read.name;
      paired.push({
        config: c.id,
        medianUs: medianUs[i] ?? Number.NaN,
        floor: ratio(i, at(floorName)),
        floorName,
        readFloor: ratio(i, at(floors.read.name)),
        checkedRead: ratio(i, at(floors.checked.name)),
        entropyFloor: c.entropy ? ratio(i, at(floors.entropy.name)) : null,
        base: c.base ? ratio(i, at(c.base)) : null,
      });
    }
  }
  return { paired, floorUs };
}
