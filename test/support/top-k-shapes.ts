// Logits that stress top-k's candidate search (assembly/candidates.ts). The kernels take the
// k-th largest block maximum (blocks of 64 logits) as a lower bound on the k-th largest logit
// and read again only the blocks that reach it; the exact selection then runs on those. Where
// that can go wrong: ties at the k-th logit, many blocks tied at their maxima (the bound equals
// all of them), fewer blocks than k (no bound at all), mostly masked vocabularies (blocks whose
// maximum is -Infinity), k near n, and the large logits crowded into one block. Top logprobs use
// the same bound (topCandidates).
import { normal, rng } from './data.js';

export const TOP_K_SHAPES = [
  'ties at k',
  'tied block maxima',
  'few blocks',
  'mostly masked',
  'k near n',
  'one hot block',
] as const;
export type TopKShape = (typeof TOP_K_SHAPES)[number];

const BLOCK = 64;

/** Logits of a shape and a k for them, deterministic from (shape, n, seed); 1 ≤ k. */
export function topKCase(shape: TopKShape, n: number, seed: number): { x: Float32Array; k: number } {
  const r = rng(seed);
  const blocks = Math.ceil(n / BLOCK);
  const int = (lo: number, hi: number) => lo + Math.floor(r() * (hi - lo + 1));
  const x = new Float32Array(n);
  switch (shape) {
    case 'ties at k':
      // A dozen levels: whatever k is, the k-th logit ties with many others.
      for (let i = 0; i < n; i++) x[i] = Math.round(2 * normal(r));
      return { x, k: int(1, Math.max(1, n - 1)) };
    case 'tied block maxima': {
      // Every block (or a random half of them) peaks at exactly 1, the rest at 0.5.
      for (let i = 0; i < n; i++) x[i] = -4 * r();
      const half = r() < 0.5;
      for (let b = 0; b < blocks; b++) {
        const at = b * BLOCK + Math.floor(r() * Math.min(BLOCK, n - b * BLOCK));
        x[at] = half && r() < 0.5 ? 0.5 : 1;
      }
      return { x, k: int(1, Math.min(n, 2 * blocks)) };
    }
    case 'few blocks':
      for (let i = 0; i < n; i++) x[i] = 3 * normal(r);
      return { x, k: int(Math.min(n, blocks + 1), Math.max(1, n - 1)) };
    case 'mostly masked': {
      const masked = 1 - 10 ** -(1 + 2 * r()); // 90% … 99.9%
      let live = 0;
      for (let i = 0; i < n; i++) {
        x[i] = r() < masked ? -Infinity : 3 * normal(r);
        if (x[i]! > -Infinity) live++;
      }
      if (live === 0) {
        x[Math.floor(r() * n)] = 0;
        live = 1;
      }
      return { x, k: int(1, 2 * live) };
    }
    case 'k near n':
      for (let i = 0; i < n; i++) x[i] = r() < 0.1 ? -Infinity : 3 * normal(r);
      if (!x.some((v) => v > -Infinity)) x[0] = 0;
      return { x, k: Math.max(1, n - int(1, 3)) };
    case 'one hot block': {
      for (let i = 0; i < n; i++) x[i] = -r();
      const b = Math.floor(r() * blocks);
      for (let i = b * BLOCK; i < Math.min(n, (b + 1) * BLOCK); i++) x[i] = 5 + r();
      return { x, k: int(1, 100) };
    }
  }
}

/** `count` cases over the shapes in turn, n log-uniform in [1, maxN]. */
export function topKCases(
  count: number,
  maxN: number,
  seed: number,
): { shape: TopKShape; x: Float32Array; k: number }[] {
  const r = rng(seed);
  return Array.from({ length: count }, (_, c) => {
    const shape = TOP_K_SHAPES[c % TOP_K_SHAPES.length]!;
    const n = Math.max(1, Math.floor(Math.exp(r() * Math.log(maxN))));
    return { shape, ...topKCase(shape, n, seed * 7919 + c) };
  });
}
