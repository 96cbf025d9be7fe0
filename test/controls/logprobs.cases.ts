// sampleDetailed() cases: what logprobs.test.ts checks against float64 (log-probabilities,
// top logprobs, entropy), and what test/parity/controls.test.ts runs on every build. No draws:
// the distributions are other controls' (draws 0).
import type { ControlCase } from '../support/control-suite.js';
import { maskOf, probsFrom, randomBias, randomHistory } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';

const n = 3000;
export const FLAT = makeLogits(n, 'flat', 71).map((v) => v * 3);
export const PEAKED = makeLogits(n, 'peaked', 72).map((v) => v / 4);
export const TIES = makeLogits(n, 'ties', 73);

export const CASES: ControlCase[] = [
  { name: 'plain', x: FLAT, params: {} },
  { name: 'temperature 0.7, top-k 40', x: PEAKED, params: { temperature: 0.7, topK: 40 } },
  { name: 'top-p 0.9', x: FLAT, params: { topP: 0.9 } },
  { name: 'min-p 0.05, temperature 1.3', x: PEAKED, params: { minP: 0.05, temperature: 1.3 } },
  { name: 'typical 0.8', x: FLAT, params: { typicalP: 0.8 } },
  { name: 'dynamic temperature', x: PEAKED, params: { dynamicTemperature: { min: 0.3, max: 1.6 } } },
  { name: 'ties, top-k 500', x: TIES, params: { topK: 500 } },
  { name: 'greedy', x: FLAT, params: { temperature: 0 } },
  { name: 'allowed mask', x: FLAT, params: { allowed: maskOf(n, (i) => i % 5 !== 1) } },
  { name: 'logit bias', x: PEAKED, params: { logitBias: randomBias(n, 300, -4, 4, 74) } },
  {
    name: 'penalties',
    x: FLAT,
    params: { history: randomHistory(n, 256, 75), repetitionPenalty: 1.2, presencePenalty: 0.4, frequencyPenalty: 0.1 },
  },
  { name: 'probability input, temperature 0.8', x: probsFrom(FLAT), params: { input: 'probs', temperature: 0.8 } },
];
