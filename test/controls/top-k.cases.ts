// `topK` cases: what top-k.test.ts checks against float64 and by chi-square, and what
// test/parity/controls.test.ts runs on every build. Besides ordinary logits, the shapes the
// kernels' candidate search (the blocks reaching the k-th largest block maximum) must get right.
import type { ControlCase } from '../support/control-suite.js';
import { makeLogits, rng } from '../support/data.js';

/** Ten logits tie at the k-th largest (k = 25 of 2000): all ten are kept. */
function tiesAtK(): Float32Array {
  const x = makeLogits(2000, 'flat', 13).map((v) => v * 3);
  const sorted = Array.from(x).sort((a, b) => b - a);
  const th = sorted[19]!;
  const r = rng(14);
  for (let set = 0; set < 9; ) {
    const i = Math.floor(r() * x.length);
    if (x[i]! < th) {
      x[i] = th;
      set++;
    }
  }
  return x;
}

/** Every block of 64 peaks at 2.5 except eight, which peak at 3: k = 12 lands on the tie at 2.5. */
function tiedBlockMaxima(): Float32Array {
  const r = rng(15);
  const x = Float32Array.from({ length: 2048 }, () => -3 * r());
  for (let b = 0; b < 32; b++) x[b * 64 + Math.floor(r() * 64)] = b % 4 === 0 ? 3 : 2.5;
  return x;
}

/** `live` of `n` logits unmasked, the rest -Infinity. */
function mostlyMasked(n: number, live: number, seed: number): Float32Array {
  const r = rng(seed);
  const x = new Float32Array(n).fill(-Infinity);
  for (let k = 0; k < live; k++) x[Math.floor(r() * n)] = 2 * (r() - 0.5) * 3;
  return x;
}

const flat = makeLogits(999, 'flat', 16).map((v) => v * 4);

export const CASES: ControlCase[] = [
  {
    name: 'ties, top-k 3 keeps every tied token, n = 64',
    x: makeLogits(64, 'ties', 7),
    params: { topK: 3 },
    draws: 50_000,
  },
  {
    name: 'top-k 40, then top-p 0.9 of its survivors, temperature 0.7, n = 5000',
    x: makeLogits(5000, 'flat', 4),
    params: { temperature: 0.7, topK: 40, topP: 0.9 },
    draws: 50_000,
  },
  { name: 'top-k 1: the argmax alone', x: flat, params: { topK: 1 }, draws: 1000 },
  { name: 'ten logits tied at the k-th largest: all kept (k = 25, n = 2000)', x: tiesAtK(), params: { topK: 25 } },
  {
    name: 'blocks tied at their maxima: k = 12 keeps the 8 at 3 and all 24 at 2.5 (n = 2048)',
    x: tiedBlockMaxima(),
    params: { topK: 12 },
  },
  {
    name: 'k larger than the number of blocks: k = 50 of 640 tokens (10 blocks)',
    x: makeLogits(640, 'flat', 12).map((v) => v * 3),
    params: { topK: 50, temperature: 1.5 },
  },
  {
    name: 'mostly masked: 30 of 4096 live, k = 40 keeps them all',
    x: mostlyMasked(4096, 30, 17),
    params: { topK: 40 },
  },
  { name: 'mostly masked: 300 of 4096 live, k = 40', x: mostlyMasked(4096, 300, 18), params: { topK: 40 } },
  { name: 'k near n: k = 998 of 999 drops only the least likely', x: flat, params: { topK: 998 } },
];
