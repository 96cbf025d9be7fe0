// Exported entry points: numbers in, numbers out. The host validates parameters and owns
// memory growth; these trust their inputs (n ≤ capacity, 0 ≤ minP ≤ 1, 0 < topP ≤ 1,
// c ≥ 0 finite). The logits are checked here, as a by-product of the pass that finds their
// maximum: an entry point answers -1 when one is NaN or +Infinity, or all are -Infinity, and
// the host then explains which.
import { cumulate, expHistogram } from "./histogram";
import { draw, writeProbs } from "./draw";
import { LIST, X, XL } from "./layout";
import { firstIndexOf, padLogits, scanBlocks, scanMax } from "./reduce";
import { buildTopK, cut, seenMax } from "./select";

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

/** Maximum of the n logits; NaN if any is NaN. One pass that only reads (the bench's floor). */
export function max(n: i32): f32 {
  padLogits(n);
  return scanMax(n);
}

let listed = false;
let len = 0;
let maxLogit: f32 = 0;

// @ts-ignore: decorator
@inline function valid(m: f32): bool {
  return m > -Infinity && m < Infinity; // false for NaN too
}

/** The argmax, lowest index on ties; -1 for invalid logits. */
function greedy(n: i32): i32 {
  padLogits(n);
  const m = scanMax(n);
  return valid(m) ? firstIndexOf(n, m) : -1;
}

/** Runs temperature → top-k → top-p → min-p; false if the logits are invalid. */
function prepare(n: i32, c: f32, topK: i32, topP: f64, minP: f32): bool {
  padLogits(n);
  listed = topK > 0 && topK < n;
  if (listed) {
    len = buildTopK(n, topK);
    maxLogit = seenMax;
  } else {
    len = n;
    maxLogit = ASC_FEATURE_SIMD ? scanBlocks(n) : scanMax(n);
  }
  if (!valid(maxLogit)) return false;
  const top = expHistogram(listed ? XL : X, len, maxLogit, c, ASC_FEATURE_SIMD && !listed);
  cut(len, top, cumulate(top), topP, minP);
  return true;
}

/**
 * Draws one token with u ∈ [0, 1); -1 for invalid logits. c = log2(e)/temperature as f32,
 * 0 for greedy (argmax, lowest index). topK 0 = off; topP 1 = off; minP 0 = off (else the
 * smallest f32 ≥ min-p).
 */
export function sample(n: i32, c: f32, topK: i32, topP: f64, minP: f32, u: f64): i32 {
  if (c == 0) return greedy(n);
  if (!prepare(n, c, topK, topP, minP)) return -1;
  const j = draw(len, u);
  return listed ? load<i32>(LIST + (<usize>j << 2)) : j;
}

/** Writes the distribution sample() draws from (0 outside the kept set) at outPtr();
 *  0 on success, -1 for invalid logits. */
export function probs(n: i32, c: f32, topK: i32, topP: f64, minP: f32): i32 {
  if (c == 0) {
    const t = greedy(n);
    if (t < 0) return -1;
    memory.fill(XL, 0, <usize>n << 2);
    store<f32>(XL + (<usize>t << 2), 1);
    return 0;
  }
  if (!prepare(n, c, topK, topP, minP)) return -1;
  writeProbs(n, len, listed);
  return 0;
}
