// Typical-p cases: what typical.test.ts checks against float64 and by chi-square, and what
// test/parity/controls.test.ts runs on every build.
import type { ControlCase } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';

export const FLAT = makeLogits(600, 'flat', 41).map((v) => v * 3);
const peaked = makeLogits(600, 'peaked', 42).map((v) => v / 4);

export const CASES: ControlCase[] = [
  { name: 'typical 0.9, n = 600', x: FLAT, params: { typicalP: 0.9 } },
  { name: 'typical 0.5, temperature 0.7', x: FLAT, params: { typicalP: 0.5, temperature: 0.7 } },
  { name: 'typical 0.2, n = 600', x: peaked, params: { typicalP: 0.2 } },
  {
    name: 'after top-k 200, top-p 0.95 and min-p 0.01 (it sees their renormalised survivors)',
    x: peaked,
    params: { topK: 200, topP: 0.95, minP: 0.01, typicalP: 0.8, temperature: 1.2 },
  },
  { name: 'tied logits: ties by index', x: makeLogits(640, 'ties', 43), params: { typicalP: 0.55 } },
  { name: 'masked logits, typical 0.7', x: makeLogits(600, 'masked', 44), params: { typicalP: 0.7 } },
];
