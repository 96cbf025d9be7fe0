// Float64 references of the terminal stages (mirostat, adaptive-p), written the obvious way from
// their definitions (llama.cpp src/llama-sampler.cpp; PR #17927): full sorts, Math.log and
// Math.pow in double precision, nothing shared with src/ or assembly/.

export interface MirostatLike {
  version: 1 | 2;
  tau: number;
  eta: number;
  m: number;
  mu: number;
}

export interface AdaptiveLike {
  target: number;
  decay: number;
  weightedSum: number;
  totalWeight: number;
}

export interface TerminalReference {
  /** The distribution drawn from. */
  p: Float64Array;
  /** A float32 implementation may decide a boundary otherwise: a −log2 p within 1e-6 of mu
   *  (version 2), or a k within 1e-9 of an integer (version 1). */
  ambiguous: boolean;
  /** Version 1: the k computed (before flooring), for messages. */
  k?: number;
}

/** softmax(x/T) over the finite logits, in float64. */
export function softmaxAt(x: ArrayLike<number>, T: number): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < x.length; i++) max = Math.max(max, x[i]!);
  const p = new Float64Array(x.length);
  let sum = 0;
  for (let i = 0; i < x.length; i++) {
    p[i] = x[i] === -Infinity ? 0 : Math.exp((x[i]! - max) / T);
    sum += p[i]!;
  }
  for (let i = 0; i < x.length; i++) p[i]! /= sum;
  return p;
}

/** Mirostat over logits x (after the edits) at temperature T > 0: the kept set renormalised. */
export function mirostatReference(x: ArrayLike<number>, s: MirostatLike, T = 1): TerminalReference {
  const n = x.length;
  const p = softmaxAt(x, T);
  const keep = new Uint8Array(n);
  let ambiguous = false;
  let k: number | undefined;
  if (s.version === 2) {
    let any = false;
    for (let i = 0; i < n; i++) {
      if (p[i] === 0) continue;
      const surprise = -Math.log2(p[i]!);
      if (Math.abs(surprise - s.mu) < 1e-6) ambiguous = true;
      if (surprise <= s.mu) {
        keep[i] = 1;
        any = true;
      }
    }
    if (!any) keep[argmax(x)] = 1;
  } else {
    const sorted = Array.from(x)
      .filter((v) => v !== -Infinity)
      .sort((a, b) => b - a);
    const top = Math.min(s.m, sorted.length);
    let kept = 1;
    if (top >= 2) {
      let tb = 0;
      let tt = 0;
      for (let i = 0; i < top - 1; i++) {
        const t = Math.log((i + 2) / (i + 1));
        tb += t * ((sorted[i]! - sorted[i + 1]!) / T);
        tt += t * t;
      }
      const sHat = tb / tt;
      const eps = sHat - 1;
      const r = eps === 0 ? 1 / Math.log(n) : eps / (1 - n ** -eps);
      // ŝ = 0 (the top all tied): the limit of the power, every token or one.
      k = sHat === 0 ? (r * 2 ** s.mu > 1 ? Infinity : 1) : (r * 2 ** s.mu) ** (1 / sHat);
      // Near an integer, float64 roundings may floor it either way (a k past the unmasked
      // tokens keeps them all, whichever way).
      if (k < sorted.length && Math.abs(k - Math.round(k)) < 1e-9 * Math.max(1, k)) ambiguous = true;
      kept = Math.max(1, Math.floor(Math.min(k, 2 ** 31)));
    }
    // The top k, ties at the boundary kept (as topK).
    const bound = sorted[Math.min(kept, sorted.length) - 1]!;
    for (let i = 0; i < n; i++) if (x[i]! >= bound && x[i] !== -Infinity) keep[i] = 1;
  }
  return { p: renormalised(p, keep), ambiguous, k };
}

/** The mirostat state after drawing a token whose renormalised probability is p. */
export function mirostatAfter(s: MirostatLike, p: number): number {
  return s.mu - s.eta * (-Math.log2(p) - s.tau);
}

/** The target adaptive-p aims at for state s. */
export function adaptedTarget(s: AdaptiveLike): number {
  const t = s.totalWeight === 0 ? s.target : 2 * s.target - s.weightedSum / s.totalWeight;
  return Math.min(1, Math.max(0, t));
}

/** adaptive-p's distribution from the distribution it receives (0 outside the kept set). */
export function adaptiveReference(kept: ArrayLike<number>, s: AdaptiveLike): Float64Array {
  const a = adaptedTarget(s);
  const out = new Float64Array(kept.length);
  let sum = 0;
  for (let i = 0; i < kept.length; i++) {
    if (!(kept[i]! > 0)) continue;
    const d = Math.abs(kept[i]! - a) / 0.3;
    out[i] = Math.exp(5 - (10 * d * d) / (1 + d));
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/** The adaptive-p state after drawing a token whose probability before the transform was p. */
export function adaptiveAfter(s: AdaptiveLike, p: number): { weightedSum: number; totalWeight: number } {
  return { weightedSum: p + s.decay * s.weightedSum, totalWeight: 1 + s.decay * s.totalWeight };
}

function argmax(x: ArrayLike<number>): number {
  let at = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[at]!) at = i;
  return at;
}

function renormalised(p: Float64Array, keep: Uint8Array): Float64Array {
  const out = new Float64Array(p.length);
  let sum = 0;
  for (let i = 0; i < p.length; i++) if (keep[i]) sum += p[i]!;
  for (let i = 0; i < p.length; i++) out[i] = keep[i] ? p[i]! / sum : 0;
  return out;
}
