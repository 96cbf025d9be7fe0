// Cases for the tokens whose weight e = 2^z lies below 2^-53 of the top: the kernels store it as
// exactly 0 ("flushed"), yet a cut must keep or drop such a token as its rule would keep its
// true probability — a temperature after the cut (llama.cpp's order) lifts the ones it keeps.
// Two thresholds reach that far: an XTC threshold below 2^-53 of the kept mass, and a min-p, ε
// or η cutoff there (below float32's least positive value 1.4e-45, or a subnormal float32 that
// rounds it). What flushed.test.ts checks against float64 on every build, and what
// test/parity/controls.test.ts runs bit for bit.
import type { ControlCase } from '../support/control-suite.js';
import type { Params } from '../support/reference.js';

/**
 * 300 tokens: three near the top (0, −0.6, −1.3 nats) and 297 spread 0.7 nats apart from −30
 * down to −237 (the first ten above 2^-53 of the top, e^−36.7, the rest flushed), in a
 * scattered order so that whole blocks of 64 are flushed and others mixed. One sits at −101.26,
 * between min-p 1e-44 (e^−101.33) and the subnormal float32 that rounds it up (e^−101.20).
 */
export const FLUSHED = new Float32Array(300);
{
  const top = new Map([
    [7, 0],
    [100, -0.6],
    [201, -1.3],
  ]);
  let k = 0;
  for (let r = 0; r < 300; r++) {
    // A fixed permutation of the positions (97 is coprime to 300).
    const i = (r * 97 + 13) % 300;
    FLUSHED[i] = top.get(i) ?? -30 - 0.7 * k++;
  }
  FLUSHED[FLUSHED.indexOf(Math.fround(-30 - 0.7 * 101))] = -101.26;
}

/** Temperature 50 after the cut: a token 200 nats down weighs e^−4 of the top. */
const LIFT = { order: 'llama.cpp', temperature: 50 } as const;

/** XTC with a threshold flushed tokens reach (1e-33: down to e^−75.4 of the top). */
export const XTC_CASES: ControlCase[] = [
  {
    name: 'XTC 1e-33 then T = 50: the least likely token reaching it is flushed',
    x: FLUSHED,
    params: { order: ['xtc', 'temperature'], xtc: { probability: 1, threshold: 1e-33 }, temperature: 50 },
  },
  {
    name: "XTC 1e-33 last ('hf'): only flushed tokens remain, measured from their maximum",
    x: FLUSHED,
    params: { xtc: { probability: 1, threshold: 1e-33 } },
  },
  {
    name: 'top-k 250, XTC 1e-33, T = 50 (over a list)',
    x: FLUSHED,
    params: {
      order: ['topK', 'xtc', 'temperature'],
      topK: 250,
      xtc: { probability: 1, threshold: 1e-33 },
      temperature: 50,
    },
  },
  {
    name: 'XTC 1e-33 with minKeep 200: 233 remain, it applies',
    x: FLUSHED,
    params: { ...LIFT, xtc: { probability: 1, threshold: 1e-33 }, minKeep: 200 },
  },
  {
    name: 'XTC 1e-33 with minKeep 250: 233 would remain, it does nothing',
    x: FLUSHED,
    params: { ...LIFT, xtc: { probability: 1, threshold: 1e-33 }, minKeep: 250 },
    draws: 0,
  },
  {
    name: 'XTC 1e-33 at chance 0.5: probs() the mixture',
    x: FLUSHED,
    params: { ...LIFT, xtc: { probability: 0.5, threshold: 1e-33 } },
  },
];

/** min-p, ε and η thresholds below 1.4e-45 (or rounded by a subnormal float32). */
export const CUTOFF_CASES: ControlCase[] = [
  { name: 'min-p 1e-60 listed, then T = 50', x: FLUSHED, params: { ...LIFT, minP: 1e-60 } },
  {
    name: 'min-p 1e-60 with minKeep 2 (over the kept set), then T = 50',
    x: FLUSHED,
    params: { ...LIFT, minP: 1e-60, minKeep: 2 },
  },
  {
    name: 'min-p 1e-44 (a subnormal float32 rounds it up 12%), then T = 50',
    x: FLUSHED,
    params: { ...LIFT, minP: 1e-44 },
  },
  { name: 'ε 1e-60 first on the dense logits, then T = 50', x: FLUSHED, params: { ...LIFT, epsilonCutoff: 1e-60 } },
  {
    name: 'top-k 280, ε 1e-60 (over the kept set), then T = 50',
    x: FLUSHED,
    params: { ...LIFT, topK: 280, epsilonCutoff: 1e-60 },
  },
  { name: 'η 1e-70 first on the dense logits, then T = 50', x: FLUSHED, params: { ...LIFT, etaCutoff: 1e-70 } },
  {
    name: 'η 1e-70 with minKeep 2 (over the kept set), then T = 50',
    x: FLUSHED,
    params: { ...LIFT, etaCutoff: 1e-70, minKeep: 2 },
  },
  {
    name: 'min-p 1e-70 listed, then ε 1e-60 over the list, then T = 50',
    x: FLUSHED,
    params: { order: ['minP', 'epsilon', 'temperature'], minP: 1e-70, epsilonCutoff: 1e-60, temperature: 50 },
  },
  {
    name: 'min-p 1e-50 listed, then XTC 1e-33, then T = 50',
    x: FLUSHED,
    params: {
      order: ['minP', 'xtc', 'temperature'],
      minP: 1e-50,
      xtc: { probability: 1, threshold: 1e-33 },
      temperature: 50,
    },
  },
];

/** A chain before adaptive-p (test/controls/flushed.test.ts): not a ControlCase, because
 *  adaptive-p's state moves with each draw and parity/ would share one state across builds. */
export interface AdaptiveChain {
  name: string;
  chain: Params;
}

/**
 * Cuts at T = 1 that keep some flushed tokens and drop others, then adaptive-p, which gives a
 * kept token of p ≈ 0 a new logit far from negligible: with a = 0.3, 5 − 10·1²/2 = 0 against 5
 * for token 100 (p = 0.30), so the 46 that min-p 1e-30 keeps hold a fifth of the mass. Floors
 * between 1.4e-45 and 2^-53 (stored as a float32 floor) and below 1.4e-45 (kept by z alone),
 * and XTC, which keeps every token below its threshold.
 */
export const ADAPTIVE_CHAINS: AdaptiveChain[] = [
  { name: 'min-p 1e-30 listed', chain: { minP: 1e-30 } },
  { name: 'min-p 1e-30 with minKeep 2 (over the kept set)', chain: { minP: 1e-30, minKeep: 2 } },
  { name: 'ε 1e-30 first on the dense logits', chain: { epsilonCutoff: 1e-30 } },
  { name: 'top-k 280, ε 1e-30 (over the kept set)', chain: { topK: 280, epsilonCutoff: 1e-30 } },
  { name: 'η 1e-30 first on the dense logits', chain: { etaCutoff: 1e-30 } },
  { name: 'min-p 1e-60 listed (below 1.4e-45)', chain: { minP: 1e-60 } },
  { name: 'min-p 1e-60 with minKeep 2 (over the kept set)', chain: { minP: 1e-60, minKeep: 2 } },
  { name: 'ε 1e-60 first on the dense logits', chain: { epsilonCutoff: 1e-60 } },
  { name: 'XTC 0.1: the three top tokens but one removed', chain: { xtc: { probability: 1, threshold: 0.1 } } },
  {
    name: 'min-p 1e-50 listed, then XTC 0.1',
    chain: { order: ['minP', 'xtc', 'temperature'], minP: 1e-50, xtc: { probability: 1, threshold: 0.1 } },
  },
];
