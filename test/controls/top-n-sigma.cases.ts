// `topNSigma` cases: what top-n-sigma.test.ts checks against float64 and by chi-square, and
// what test/parity/controls.test.ts runs on every build.
import type { ControlCase } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';

export const LM = makeLogits(3000, 'lm', 51);
const peaked = makeLogits(3000, 'peaked', 52);
const masked = makeLogits(2000, 'masked', 53);

export const CASES: ControlCase[] = [
  { name: 'n = 1 on LM-like logits', x: LM, params: { topNSigma: 1 } },
  { name: 'n = 2.5 at temperature 0.7', x: LM, params: { topNSigma: 2.5, temperature: 0.7 } },
  { name: 'n = 0.5 on peaked logits', x: peaked, params: { topNSigma: 0.5 } },
  { name: 'n = 1.5 over masked logits (σ of the finite ones)', x: masked, params: { topNSigma: 1.5 } },
  { name: 'then top-k 50 and top-p 0.9', x: LM, params: { topNSigma: 3, topK: 50, topP: 0.9, temperature: 1.3 } },
];
