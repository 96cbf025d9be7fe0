// `topP` cases: what top-p.test.ts checks against float64 and by chi-square, and what
// test/parity/controls.test.ts runs on every build.
import type { ControlCase } from '../support/control-suite.js';
import { makeLogits, rng } from '../support/data.js';

const flat = makeLogits(1000, 'flat', 5);

export const CASES: ControlCase[] = [
  { name: 'top-p 0.95, flat, n = 1000', x: flat, params: { topP: 0.95 }, draws: 50_000 },
  { name: 'top-p 0.5, temperature 2, n = 1000', x: flat.map((v) => v * 6), params: { topP: 0.5, temperature: 2 } },
  { name: 'top-p 0.9, peaked, n = 5000', x: makeLogits(5000, 'peaked', 31).map((v) => v / 3), params: { topP: 0.9 } },
  { name: 'top-p 1e-9 keeps the most likely token alone', x: flat, params: { topP: 1e-9 }, draws: 1000 },
  {
    name: 'top-p 0.7 over masked logits, temperature 0.8, n = 3000',
    x: makeLogits(3000, 'masked', 32),
    params: { topP: 0.7, temperature: 0.8 },
  },
  {
    name: 'top-p 0.99 over logits 400 wide (most below the flush), n = 2000',
    x: makeLogits(2000, 'wide', 33),
    params: { topP: 0.99, temperature: 20 },
  },
];

/** Near-uniform logits (1000 ± 1e-3) at 300,000 tokens: each holds ≈ 3.3e-6 of the mass. */
export const NEAR_UNIFORM = (() => {
  const r = rng(11);
  return Float32Array.from({ length: 300_000 }, () => 1000 + (r() - 0.5) * 2e-3);
})();

/** Subnormal logits at 128,256 tokens: every weight is 1 in float32 and float64 alike. */
export const SUBNORMAL = (() => {
  const r = rng(12);
  return Float32Array.from({ length: 128_256 }, () => (r() - 0.5) * 2e-39);
})();
