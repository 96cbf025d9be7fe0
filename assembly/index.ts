// Exported entry points: numbers in, numbers out. The host validates parameters and owns
// memory growth; these trust their inputs (n ≤ capacity, logits finite or -Infinity, at
// least one finite, 0 ≤ minP ≤ 1, 0 < topP ≤ 1, c > 0 finite).
import { cumulate, expHistogram } from "./histogram";
import { draw, writeProbs } from "./draw";
import { LIST, X, XL } from "./layout";
import { firstIndexOf, scanMax } from "./reduce";
import { buildTopK, cut } from "./select";

export { configure } from "./layout";

/** 1 in the SIMD build, 0 in the scalar build. */
export function simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

/** Byte offset of the logits buffer (valid after configure). */
export function logitsPtr(): usize {
  return X;
}

/** Byte offset where probs() leaves its n results. */
export function outPtr(): usize {
  return XL;
}

/** Maximum of the n logits; NaN if any is NaN, +Infinity if any is, -Infinity if all are. */
export function max(n: i32): f32 {
  return scanMax(n);
}

/** Lowest index holding the maximum m: the greedy token. */
export function argmax(n: i32, m: f32): i32 {
  return firstIndexOf(n, m);
}

let listed = false;
let len = 0;

function prepare(n: i32, m: f32, c: f32, topK: i32, topP: f64, minP: f32): void {
  let src = X;
  listed = topK > 0 && topK < n;
  len = n;
  if (listed) {
    len = buildTopK(n, topK);
    src = XL;
  }
  const top = expHistogram(src, len, m, c);
  cut(len, top, cumulate(top), topP, minP);
}

/**
 * Draws one token with u ∈ [0, 1). m is max(n); c = log2(e) / temperature, rounded to f32.
 * topK 0 means off; topP 1 means off; minP 0 means off (else the smallest f32 ≥ min-p).
 */
export function sample(n: i32, m: f32, c: f32, topK: i32, topP: f64, minP: f32, u: f64): i32 {
  prepare(n, m, c, topK, topP, minP);
  const j = draw(len, u);
  return listed ? load<i32>(LIST + (<usize>j << 2)) : j;
}

/** Writes the distribution sample() draws from (0 outside the kept set) at outPtr(). */
export function probs(n: i32, m: f32, c: f32, topK: i32, topP: f64, minP: f32): void {
  prepare(n, m, c, topK, topP, minP);
  writeProbs(n, len, listed);
}
