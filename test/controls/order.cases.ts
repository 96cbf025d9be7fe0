// `order` cases: the same stages in Hugging Face's order, llama.cpp's (temperature last: the
// truncations before it see the T = 1 distribution) and explicit ones. What order.test.ts
// checks against float64 and by chi-square, and what test/parity/controls.test.ts runs on
// every build.
import type { ControlCase } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';

const chain = makeLogits(4096, 'flat', 8).map((v) => v * 8);
const flat = makeLogits(1000, 'flat', 61).map((v) => v * 3);
/** One token holds ≈ 37% of the mass, 599 share the rest: its −ln p (≈ 1) is far from the
 *  entropy (≈ 4.5), theirs (≈ 6.9) closer, so typical-p drops the most likely token. */
export const TYPICAL_DROPS_TOP = makeLogits(600, 'flat', 42);
TYPICAL_DROPS_TOP[17] = 6;

/** 300 tokens as `flat`, and 300 45 nats below them. */
const FAR = makeLogits(600, 'flat', 71).map((v, i) => (i % 2 ? v - 45 : v));
/** FAR with one token above p = 0.5 (XTC's threshold then removes nothing). */
const FAR_TOP = FAR.map((v, i) => (i === 10 ? 12 : v));

export const CASES: ControlCase[] = [
  {
    name: "'hf': top-k 200, top-p 0.8, min-p 0.02 at temperature 1.3, n = 4096",
    x: chain,
    params: { temperature: 1.3, topK: 200, topP: 0.8, minP: 0.02 },
    draws: 50_000,
  },
  {
    name: "'llama.cpp': the same stages, temperature last",
    x: chain,
    params: { order: 'llama.cpp', temperature: 1.3, topK: 200, topP: 0.8, minP: 0.02 },
  },
  {
    name: "'llama.cpp': top-p 0.9 at T = 1, then temperature 2 over its survivors, n = 5000",
    x: makeLogits(5000, 'peaked', 62).map((v) => v / 4),
    params: { order: 'llama.cpp', topP: 0.9, temperature: 2 },
  },
  {
    name: "'llama.cpp': greedy after typical-p 0.2 draws the typical set's argmax",
    x: TYPICAL_DROPS_TOP,
    params: { order: 'llama.cpp', typicalP: 0.2, temperature: 0 },
    draws: 1000,
  },
  {
    name: "'llama.cpp': dynamic temperature reads the entropy of the top-k 50 survivors",
    x: flat,
    params: { order: 'llama.cpp', topK: 50, dynamicTemperature: { min: 0.3, max: 2 } },
  },
  {
    name: "'llama.cpp': dynamic temperature after typical-p 0.5 and min-p 0.05",
    x: flat,
    params: { order: 'llama.cpp', typicalP: 0.5, minP: 0.05, dynamicTemperature: { min: 0.5, max: 1.5, exponent: 2 } },
  },
  {
    name: '[topP, temperature, minP]: top-p 0.9 at T = 1, min-p 0.05 at T = 0.5',
    x: flat,
    params: { order: ['topP', 'temperature', 'minP'], topP: 0.9, temperature: 0.5, minP: 0.05 },
  },
  {
    name: '[minP, temperature, topK]: the min-p floor at T = 1, then top-k 20 at T = 0.7',
    x: flat,
    params: { order: ['minP', 'temperature', 'topK'], minP: 0.1, temperature: 0.7, topK: 20 },
  },
  {
    name: '[temperature, topP, topK]: top-k 30 of what top-p 0.95 kept',
    x: flat,
    params: { order: ['temperature', 'topP', 'topK'], temperature: 0.8, topP: 0.95, topK: 30 },
  },
  {
    name: '[temperature, typicalP, topK, minP]: top-k and min-p after typical-p dropped the top',
    x: TYPICAL_DROPS_TOP,
    params: { order: ['temperature', 'typicalP', 'topK', 'minP'], typicalP: 0.5, topK: 50, minP: 0.05 },
  },
  // Tokens 45 nats below the rest weigh e^-45 < 2^-53 at T = 1: the kernels flush their e to 0.
  // A cut that keeps them must keep them for the temperature after it, which lifts them.
  {
    name: "'llama.cpp': min-p 1e-30 keeps tokens 45 nats down, temperature 20 lifts them",
    x: FAR,
    params: { order: 'llama.cpp', minP: 1e-30, temperature: 20 },
  },
  {
    name: "'llama.cpp': ε 1e-30 keeps them; dynamic temperature counts them in V′",
    x: FAR,
    params: { order: 'llama.cpp', epsilonCutoff: 1e-30, dynamicTemperature: { min: 0.5, max: 30 } },
    draws: 0,
  },
  {
    name: "'llama.cpp': top-p 0.999 drops them (mass 1e-17): V′ is the 300 it kept",
    x: FAR,
    params: { order: 'llama.cpp', topP: 0.999, dynamicTemperature: { min: 0.5, max: 30 } },
    draws: 0,
  },
  {
    name: '[xtc, topK, temperature]: an XTC that removes nothing keeps them for top-k and T = 20',
    x: FAR_TOP,
    params: {
      order: ['xtc', 'topK', 'temperature'],
      xtc: { probability: 1, threshold: 0.5 },
      topK: 500,
      temperature: 20,
    },
  },
  {
    name: '[temperature] alone: no truncation runs',
    x: flat,
    params: { order: ['temperature'], temperature: 0.8 },
    draws: 0,
  },
];
