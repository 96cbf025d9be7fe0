// Dynamic-temperature cases: what dynamic-temperature.test.ts checks against float64 and by
// chi-square, and what test/parity/controls.test.ts runs on every build.
import type { ControlCase } from '../support/control-suite.js';
import { probsFrom, randomBias, randomHistory, randomMask } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';

export const FLAT = makeLogits(600, 'flat', 51).map((v) => v * 3);
const peaked = makeLogits(600, 'peaked', 52).map((v) => v / 4);

export const CASES: ControlCase[] = [
  { name: '[0.5, 1.5], n = 600', x: FLAT, params: { dynamicTemperature: { min: 0.5, max: 1.5 } } },
  { name: '[0, 2], exponent 2, n = 600', x: peaked, params: { dynamicTemperature: { min: 0, max: 2, exponent: 2 } } },
  {
    name: '[0.3, 1.2], exponent 0.5, top-k 100',
    x: FLAT,
    params: { dynamicTemperature: { min: 0.3, max: 1.2, exponent: 0.5 }, topK: 100 },
  },
  {
    name: 'entropy read after the mask: [0.2, 3], top-p 0.9',
    x: FLAT,
    params: { dynamicTemperature: { min: 0.2, max: 3 }, allowed: randomMask(600, 0.05, 53), topP: 0.9 },
  },
];

// The entropy is read after the bias and the penalties, and from ln p for probability input.
export const EDITED: ControlCase[] = [
  {
    name: 'after a bias and penalties, [0.5, 1.5]',
    x: FLAT,
    params: {
      dynamicTemperature: { min: 0.5, max: 1.5 },
      logitBias: randomBias(600, 40, -3, 3, 55),
      history: randomHistory(600, 64, 56),
      repetitionPenalty: 1.3,
      frequencyPenalty: 0.2,
    },
  },
  {
    name: 'probability input, [0.3, 1.2], exponent 2',
    x: probsFrom(FLAT),
    params: { input: 'probs', dynamicTemperature: { min: 0.3, max: 1.2, exponent: 2 } },
  },
  {
    name: 'probability input as number[], top-p 0.9',
    x: Array.from(probsFrom(peaked)),
    params: { input: 'probs', dynamicTemperature: { min: 0.1, max: 2 }, topP: 0.9 },
    // Reference and parity only: the Float32Array case above draws from the same path.
    draws: 0,
  },
];
