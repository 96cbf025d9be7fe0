// The tiny character model in examples/tiny-model/, seen from the tests: its table of logits
// (read back through onnxruntime, so it is what the model computes), float64 distributions
// over it, and a goodness-of-fit test for text generated from it.
import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-node';
import { chiSquare, type Fit } from './stats.js';

export const MODEL_DIR = new URL('../../examples/tiny-model/', import.meta.url);
export const MODEL_FILE = new URL('onnx/model.onnx', MODEL_DIR);

export interface Bigrams {
  alpha: number;
  vocab: string[];
  /** counts[a] = [[b, count], …]: how often b follows a in the reference texts. */
  counts: [number, number][][];
}

export const bigrams = (): Bigrams => JSON.parse(readFileSync(new URL('bigrams.json', MODEL_DIR), 'utf8'));

export interface TinyModel {
  session: ort.InferenceSession;
  V: number;
  /** row(a) = the model's logits for the token after a (float32, as the model outputs them). */
  row(a: number): Float32Array;
}

/** Runs the model once on every token id: its output rows are the whole bigram table. */
export async function loadTable(): Promise<TinyModel> {
  const session = await ort.InferenceSession.create(readFileSync(MODEL_FILE));
  const V = bigrams().vocab.length;
  const all = BigInt64Array.from({ length: V }, (_, i) => BigInt(i));
  const { logits } = await session.run({
    input_ids: new ort.Tensor('int64', all, [1, V]),
    attention_mask: new ort.Tensor('int64', new BigInt64Array(V).fill(1n), [1, V]),
  });
  const table = logits!.data as Float32Array;
  return { session, V, row: (a) => table.subarray(a * V, (a + 1) * V) };
}

/** softmax(x / T) in float64. */
export function softmax(x: ArrayLike<number>, T = 1): Float64Array {
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]!);
  const p = new Float64Array(x.length);
  let s = 0;
  for (let i = 0; i < x.length; i++) {
    p[i] = Math.exp((x[i]! - m) / T);
    s += p[i]!;
  }
  for (let i = 0; i < x.length; i++) p[i]! /= s;
  return p;
}

/** Shannon entropy in bits. */
export function entropyBits(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) h -= p[i]! * Math.log2(p[i]!);
  return h;
}

/** Lowest index of the maximum (the sampler's greedy tie rule). */
export function argmax(x: ArrayLike<number>): number {
  let k = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[k]!) k = i;
  return k;
}

/**
 * Goodness of fit of generated text to a conditional model: the transitions (previous token →
 * token) are tallied per previous token, each context gets its own Pearson chi-square against
 * `probs(context)`, and the statistics and degrees of freedom add up (independent draws).
 * Each sequence starts with its context token (the prompt's last one).
 */
export function conditionalChiSquare(sequences: number[][], V: number, probs: (a: number) => ArrayLike<number>): Fit {
  const counts = new Map<number, Float64Array>();
  for (const s of sequences) {
    for (let i = 1; i < s.length; i++) {
      const a = s[i - 1]!;
      const c = counts.get(a) ?? new Float64Array(V);
      counts.set(a, c);
      c[s[i]!]!++;
    }
  }
  let chi2 = 0;
  let df = 0;
  for (const [a, c] of counts) {
    const draws = c.reduce((x, y) => x + y, 0);
    if (draws < 20) continue; // too few for any cell to expect 5
    const f = chiSquare(c, probs(a), draws);
    chi2 += f.chi2;
    df += f.df;
  }
  const z = ((chi2 / df) ** (1 / 3) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df));
  return { chi2, df, z };
}
