// Inputs for the generation controls: grammar-engine bitmasks, logit biases, token histories,
// probability vectors. Deterministic, from data.ts's own PRNG.
import { rng } from './data.js';

/** A bitmask in the xgrammar / llguidance layout: ⌈n/32⌉ words, bit i & 31 of word i >> 5
 *  set ⇔ token i allowed. */
export function maskOf(n: number, allowed: (i: number) => boolean): Uint32Array {
  const words = new Uint32Array(Math.ceil(n / 32));
  for (let i = 0; i < n; i++) if (allowed(i)) words[i >>> 5] = words[i >>> 5]! | (1 << (i & 31));
  return words;
}

/** The tokens a bitmask allows, ascending (bits past n ignored). */
export function allowedIds(mask: Uint32Array, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) if ((mask[i >>> 5]! >>> (i & 31)) & 1) out.push(i);
  return out;
}

/** A random mask allowing about `fraction` of n tokens (at least one). */
export function randomMask(n: number, fraction: number, seed: number): Uint32Array {
  const r = rng(seed);
  const mask = maskOf(n, () => r() < fraction);
  const first = Math.floor(r() * n);
  mask[first >>> 5] = mask[first >>> 5]! | (1 << (first & 31));
  return mask;
}

/** `count` distinct token ids in [0, n) with values in [lo, hi), as the typed pair. */
export function randomBias(n: number, count: number, lo: number, hi: number, seed: number) {
  const r = rng(seed);
  const ids = new Set<number>();
  while (ids.size < Math.min(count, n)) ids.add(Math.floor(r() * n));
  const sorted = Int32Array.from(ids);
  return { ids: sorted, values: Float32Array.from(sorted, () => lo + (hi - lo) * r()) };
}

/** A token history of `length` ids drawn mostly from a small working set (so tokens repeat,
 *  as in text), the rest anywhere in [0, n). */
export function randomHistory(n: number, length: number, seed: number): Int32Array {
  const r = rng(seed);
  const working = Array.from({ length: 24 }, () => Math.floor(r() * n));
  return Int32Array.from({ length }, () =>
    r() < 0.7 ? working[Math.floor(r() * working.length)]! : Math.floor(r() * n),
  );
}

/** Probabilities (not normalised: scaled by `scale`) from logits, p ∝ exp(x); −Infinity → 0. */
export function probsFrom(x: ArrayLike<number>, scale = 1): Float32Array {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]!);
  return Float32Array.from({ length: x.length }, (_, i) => scale * Math.exp(x[i]! - m));
}
