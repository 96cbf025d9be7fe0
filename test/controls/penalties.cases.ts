// Penalty cases: what penalties.test.ts checks against float64 and by chi-square, and what
// test/parity/controls.test.ts runs on every build.
import type { ControlCase } from '../support/control-suite.js';
import { randomHistory } from '../support/controls-data.js';
import { makeLogits } from '../support/data.js';

const flat = makeLogits(1000, 'flat', 31).map((v) => v * 3);
const peaked = makeLogits(1000, 'peaked', 32).map((v) => v / 4);
const history = randomHistory(1000, 64, 33);
const long = randomHistory(1000, 256, 34);

/** A 256-token history over Llama 3's vocabulary (128,256) in which the ten most likely tokens
 *  were generated already, some of them often; with a mask-like ban and a bias. */
const V = 128_256;
const llama = makeLogits(V, 'peaked', 35);
const h = randomHistory(V, 256, 36);
export const LLAMA_TOP = Array.from(llama.keys()).sort((a, b) => llama[b]! - llama[a]!);
for (let k = 0; k < 40; k++) h[k * 6] = LLAMA_TOP[k % 10]!;
export const LLAMA: ControlCase = {
  name: 'a 256-token history over Llama 3’s vocabulary (128,256) with a bias and a ban, top-k 40',
  x: llama,
  params: {
    history: h,
    repetitionPenalty: 1.2,
    presencePenalty: 0.5,
    frequencyPenalty: 0.1,
    logitBias: { [h[0]!]: 4, 7: -Infinity },
    temperature: 0.7,
    topK: 40,
  },
  draws: 5000,
};

export const CASES: ControlCase[] = [
  { name: 'repetition 1.3 (positive and negative logits)', x: flat, params: { history, repetitionPenalty: 1.3 } },
  {
    name: 'repetition 0.7 (< 1 favours repeats)',
    x: flat,
    params: { history: Array.from(history), repetitionPenalty: 0.7 },
  },
  { name: 'presence 0.8', x: flat, params: { history, presencePenalty: 0.8 } },
  { name: 'frequency 0.4', x: flat, params: { history, frequencyPenalty: 0.4 } },
  {
    name: 'negative presence and frequency (encourage)',
    x: flat,
    params: { history, presencePenalty: -0.5, frequencyPenalty: -0.2 },
  },
  {
    name: 'all three over a 256-token history, last 128, top-p 0.95',
    x: peaked,
    params: {
      history: long,
      penaltyLastN: 128,
      repetitionPenalty: 1.1,
      presencePenalty: 0.3,
      frequencyPenalty: 0.2,
      topP: 0.95,
    },
  },
  LLAMA,
];
