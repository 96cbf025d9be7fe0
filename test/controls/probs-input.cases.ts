// Probability-input cases: what probs-input.test.ts checks against float64 and by chi-square,
// and what test/parity/controls.test.ts runs on every build.
import type { ControlCase } from '../support/control-suite.js';
import { probsFrom } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';

const flat = makeLogits(1000, 'flat', 61).map((v) => v * 3);
const masked = makeLogits(1000, 'masked', 62);

export const CASES: ControlCase[] = [
  { name: 'normalised, temperature 1', x: probsFrom(flat), params: { input: 'probs' } },
  { name: 'scaled by 1000, temperature 0.5', x: probsFrom(flat, 1000), params: { input: 'probs', temperature: 0.5 } },
  {
    name: 'scaled by 1e-33 (subnormal float32 entries), temperature 2, top-p 0.9',
    x: probsFrom(flat, 1e-33),
    params: { input: 'probs', temperature: 2, topP: 0.9 },
  },
  { name: 'zeros are masked, min-p 0.05', x: probsFrom(masked), params: { input: 'probs', minP: 0.05 } },
  // Converted inputs: reference and parity only (the Float32Array cases draw from the same path).
  {
    name: 'typical 0.8, top-k 300, Float64Array input',
    x: Float64Array.from(probsFrom(flat)),
    params: { input: 'probs', typicalP: 0.8, topK: 300 },
    draws: 0,
  },
  {
    name: 'greedy, number[] input',
    x: Array.from(probsFrom(flat)),
    params: { input: 'probs', temperature: 0 },
    draws: 0,
  },
];
