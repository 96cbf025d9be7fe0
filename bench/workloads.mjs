// Deterministic logits for the benchmark. Every run, on every machine, samples
// from exactly the same vectors, so numbers from two runs are comparable.

// Vocabulary sizes of common model families.
export const SIZES = [
  32000, // Llama 2 / Mistral
  50257, // GPT-2
  128256, // Llama 3
  151936, // Qwen 2.5
  256000, // Gemma
];

// Several different vectors per size, cycled call by call, so a contender
// cannot profit from seeing the same input (branch history, cached result).
export const VECTORS_PER_SIZE = 8;

// mulberry32: a tiny 32-bit generator. Statistical quality is irrelevant here;
// what matters is that it is seeded, fast and identical everywhere.
function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296; // [0, 1)
  };
}

// Box-Muller, using both outputs of each pair.
function fillNormal(out, scale, rand) {
  for (let i = 0; i < out.length; i += 2) {
    const u1 = 1 - rand(); // (0, 1]: log(0) would give -Infinity
    const u2 = rand();
    const r = Math.sqrt(-2 * Math.log(u1));
    out[i] = scale * r * Math.cos(2 * Math.PI * u2);
    if (i + 1 < out.length) out[i + 1] = scale * r * Math.sin(2 * Math.PI * u2);
  }
  return out;
}

// Like a real LM head: wide spread plus a handful of clearly preferred tokens.
function peaked(n, rand) {
  const out = fillNormal(new Float32Array(n), 12, rand);
  for (let j = 0; j < 20; j++) {
    const i = Math.floor(rand() * n);
    out[i] += 8 + 7 * rand(); // +8 … +15
  }
  return out;
}

// High entropy: almost every token matters, the worst case for top-p.
function flat(n, rand) {
  return fillNormal(new Float32Array(n), 0.5, rand);
}

const KINDS = { peaked, flat };
export const KIND_NAMES = Object.keys(KINDS);

// Seed from (kind, size, index) so each vector is reproducible on its own.
function seedOf(kind, n, index) {
  return (KIND_NAMES.indexOf(kind) + 1) * 0x9e3779b1 + n * 131 + index * 7919;
}

const cache = new Map();

/** The VECTORS_PER_SIZE logits vectors of one kind and size (made once, then cached). */
export function logitsSet(kind, n) {
  const key = `${kind}:${n}`;
  let set = cache.get(key);
  if (!set) {
    const make = KINDS[kind];
    if (!make) throw new RangeError(`unknown logits kind "${kind}" (expected ${KIND_NAMES.join(', ')})`);
    set = Array.from({ length: VECTORS_PER_SIZE }, (_, i) => make(n, mulberry32(seedOf(kind, n, i))));
    cache.set(key, set);
  }
  return set;
}

/** A function returning the next vector of the set on each call, round robin. */
export function cycler(kind, n) {
  const set = logitsSet(kind, n);
  let i = 0;
  return () => {
    const v = set[i];
    i = i + 1 === set.length ? 0 : i + 1;
    return v;
  };
}
