// Inputs for the edits that read the history as text: histories that repeat themselves as a
// looping model's output does, and logits under which the tokens such a history would repeat
// are likely, so that DRY, the n-gram ban, bad words and the sequence bias move real mass.
import { rng } from './data.js';

/** A history of `length` tokens that keeps saying a phrase of `phrase` tokens again, a token
 *  here and there changed, and a few other words between; it ends partway into the phrase. */
export function loopingHistory(n: number, length: number, phrase: number, seed: number): Int32Array {
  const r = rng(seed);
  const words = Array.from({ length: phrase }, () => Math.floor(r() * n));
  const out: number[] = [];
  while (out.length < length) {
    for (const w of words) out.push(r() < 0.06 ? Math.floor(r() * n) : w);
    for (let k = Math.floor(r() * 4); k > 0; k--) out.push(Math.floor(r() * n));
  }
  // End 2 … phrase − 1 tokens into the phrase: its next token is what a repeat would bring.
  const into = 2 + Math.floor(r() * (phrase - 2));
  return Int32Array.from([...out.slice(0, length - into), ...words.slice(0, into)]);
}

/** x with every token of the history raised by `by` (a copy): what a model that loops does. */
export function favouring(x: Float32Array, history: ArrayLike<number>, by: number): Float32Array {
  const y = x.slice();
  const seen = new Set(Array.from(history));
  for (const t of seen) if (y[t]! > -Infinity) y[t] = y[t]! + by;
  return y;
}
