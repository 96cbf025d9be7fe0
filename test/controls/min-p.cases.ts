// `minP` cases: what min-p.test.ts checks against float64 and by chi-square, and what
// test/parity/controls.test.ts runs on every build.
import type { ControlCase } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';

export const CASES: ControlCase[] = [
  {
    name: 'min-p 0.05, n = 1000',
    x: makeLogits(1000, 'flat', 6).map((v) => v * 6),
    params: { minP: 0.05 },
    draws: 50_000,
  },
  {
    name: 'min-p 0.2 of what top-p 0.9 left, n = 1000',
    x: makeLogits(1000, 'flat', 41).map((v) => v * 5),
    params: { topP: 0.9, minP: 0.2 },
  },
  {
    name: 'min-p 0.02 at temperature 1.3 (the ratio of the tempered distribution), n = 3000',
    x: makeLogits(3000, 'peaked', 42).map((v) => v / 3),
    params: { minP: 0.02, temperature: 1.3 },
  },
  { name: 'min-p 1 keeps the maximum and its ties, n = 640', x: makeLogits(640, 'ties', 43), params: { minP: 1 } },
  {
    name: 'min-p 1e-6 over masked logits keeps nearly all, n = 2000',
    x: makeLogits(2000, 'masked', 44),
    params: { minP: 1e-6 },
  },
];
