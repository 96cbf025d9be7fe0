// `logitBias` cases: what bias.test.ts checks against float64 and by chi-square, and what
// test/parity/controls.test.ts runs on every build.
import type { ControlCase } from '../support/control-suite.js';
import { randomBias } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';

const flat = makeLogits(1000, 'flat', 21).map((v) => v * 3);
const peaked = makeLogits(1000, 'peaked', 22).map((v) => v / 4);
const masked = makeLogits(2000, 'masked', 23);
const typed = randomBias(1000, 50, -5, 5, 24);
const maskedIds = Array.from(masked.keys()).filter((i) => masked[i] === -Infinity);

/** 5,000 entries over Llama 3's vocabulary (128,256), one a ban. */
const llamaBias = randomBias(128_256, 5000, -8, 8, 27);
llamaBias.values[17] = -Infinity;

export const CASES: ControlCase[] = [
  {
    name: 'Map, 50 entries in [-5, 5), n = 1000',
    x: flat,
    params: { logitBias: new Map(Array.from(typed.ids, (id, k) => [id, typed.values[k]!])) },
  },
  {
    name: 'Record with bans and one dominant token, top-k 100',
    x: flat,
    params: { logitBias: { 0: -Infinity, 7: 12, 500: -Infinity, 999: 3.25 }, topK: 100 },
  },
  {
    name: 'typed, 300 entries on n = 1000, temperature 0.7, top-p 0.95',
    x: peaked,
    params: { logitBias: randomBias(1000, 300, -3, 3, 25), temperature: 0.7, topP: 0.95 },
  },
  {
    name: 'a bias on masked tokens leaves them masked, min-p 0.01',
    x: masked,
    params: { logitBias: Object.fromEntries(maskedIds.slice(0, 40).map((id) => [id, 50])), minP: 0.01 },
  },
  {
    name: 'a repeated id in the typed form adds each entry',
    x: flat,
    params: { logitBias: { ids: Int32Array.of(5, 9, 5, 5), values: Float32Array.of(1.5, -2, 1.5, 1.5) } },
  },
  {
    name: '5,000 entries over Llama 3’s vocabulary (128,256), temperature 0.8, top-k 40',
    x: makeLogits(128_256, 'peaked', 26),
    params: { logitBias: llamaBias, temperature: 0.8, topK: 40 },
    draws: 5000,
  },
];
