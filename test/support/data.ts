// Deterministic test data: its own tiny PRNG (mulberry32), unrelated to the library's.

export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function normal(r: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
}

export type Shape = 'peaked' | 'flat' | 'ties' | 'masked' | 'wide';

/** Logits shaped like a language model's (peaked), high-entropy (flat), with many exact
 *  ties, with -Infinity masks, or spanning a huge range (wide). */
export function makeLogits(n: number, shape: Shape, seed: number): Float32Array {
  const r = rng(seed);
  const x = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    switch (shape) {
      case 'peaked':
        x[i] = 12 * normal(r);
        break;
      case 'flat':
        x[i] = 0.5 * normal(r);
        break;
      case 'ties':
        x[i] = Math.floor(r() * 6) - 3;
        break;
      case 'masked':
        x[i] = r() < 0.4 ? -Infinity : 3 * normal(r);
        break;
      case 'wide':
        x[i] = (r() - 0.5) * 400;
        break;
    }
  }
  if (shape === 'peaked') {
    for (let j = 0; j < Math.min(20, n); j++) x[Math.floor(r() * n)] = 12 * 4 + 8 + 7 * r();
  }
  if (shape === 'masked' && !x.some((v) => v > -Infinity)) x[Math.floor(r() * n)] = 0;
  return x;
}
