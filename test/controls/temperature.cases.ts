// `temperature` cases: what temperature.test.ts checks against float64 and by chi-square, and
// what test/parity/controls.test.ts runs on every build.
import type { ControlCase } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';

export const CASES: ControlCase[] = [
  { name: 'temperature 1, flat, n = 1000', x: makeLogits(1000, 'flat', 1), params: {}, draws: 50_000 },
  {
    name: 'temperature 0.7, peaked ×0.2, n = 1000',
    x: makeLogits(1000, 'peaked', 2).map((v) => v / 5),
    params: { temperature: 0.7 },
    draws: 50_000,
  },
  {
    name: 'temperature 2, masked, n = 777',
    x: makeLogits(777, 'masked', 3),
    params: { temperature: 2 },
    draws: 50_000,
  },
  { name: 'uniform logits, n = 1001', x: new Float32Array(1001), params: {}, draws: 50_000 },
  {
    name: 'temperature 0.1 over logits a few nats apart, n = 1000',
    x: makeLogits(1000, 'flat', 51),
    params: { temperature: 0.1 },
  },
  {
    name: 'temperature 100 flattens logits 400 wide, n = 2000',
    x: makeLogits(2000, 'wide', 52),
    params: { temperature: 100 },
  },
  {
    name: 'temperature 0: the argmax, the lowest index of tied maxima, n = 640',
    x: makeLogits(640, 'ties', 53),
    params: { temperature: 0 },
    draws: 1000,
  },
  // The regression of hugeTemperatureTinyMax (fixed in 7602d32): a tiny largest logit under a
  // huge temperature rescaled c to 0 and drew token 63.
  {
    name: 'temperature 1e30 over logits [0, −1]: two halves',
    x: Float32Array.of(0, -1),
    params: { temperature: 1e30 },
  },
  {
    name: 'temperature 1e40 over logits 6e38 apart (c below the float32 normals)',
    x: Float32Array.of(3e38, -3e38, 0),
    params: { temperature: 1e40 },
  },
];
