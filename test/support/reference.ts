// The float64 reference the kernels are tested against: the pipeline written the obvious
// way (full sort, Math.exp in double precision), with no shared code or constants.

export interface Params {
  temperature?: number;
  topK?: number;
  topP?: number;
  minP?: number;
}

export interface Reference {
  /** Probability of every token after temperature → top-k → top-p → min-p → renormalise. */
  p: Float64Array;
  /** True when a float32 implementation could legitimately decide a boundary differently:
   *  the top-p mass or a min-p ratio lies within `slack` of its threshold, or two tokens
   *  of nearly equal probability straddle the top-p cut. */
  ambiguous: boolean;
}

export function reference(logits: ArrayLike<number>, params: Params = {}, slack = 1e-5): Reference {
  const { temperature = 1, topK = 0, topP = 1, minP = 0 } = params;
  const n = logits.length;
  const x = Array.from(logits, Number);
  const p = new Float64Array(n);
  let ambiguous = false;
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  if (temperature === 0) {
    p[x.indexOf(m)] = 1;
    return { p, ambiguous };
  }
  // temperature
  const w = x.map((v) => (v === -Infinity ? 0 : Math.exp((v - m) / temperature)));
  let kept = x.map((v) => v > -Infinity);
  // top-k on the logits, ties at the boundary kept
  if (topK > 0 && topK < n) {
    const sorted = [...x].sort((a, b) => b - a);
    const th = sorted[topK - 1]!;
    kept = kept.map((k, i) => k && x[i]! >= th);
  }
  // top-p on the renormalised survivors, order: probability desc, index asc
  if (topP < 1) {
    const order = indices(n)
      .filter((i) => kept[i])
      .sort((a, b) => w[b]! - w[a]! || a - b);
    const total = order.reduce((s, i) => s + w[i]!, 0);
    let acc = 0;
    let r = 0;
    for (; r < order.length; r++) {
      const before = acc;
      acc += w[order[r]!]! / total;
      if (acc >= topP) {
        if (Math.abs(acc - topP) < slack || Math.abs(before - topP) < slack) ambiguous = true;
        const next = order[r + 1];
        if (next !== undefined && Math.abs(w[next]! - w[order[r]!]!) <= slack * w[order[r]!]!) ambiguous = true;
        break;
      }
    }
    const keep = new Set(order.slice(0, r + 1));
    kept = kept.map((_, i) => keep.has(i));
  }
  // min-p relative to the most likely survivor
  if (minP > 0) {
    let wmax = 0;
    for (let i = 0; i < n; i++) if (kept[i] && w[i]! > wmax) wmax = w[i]!;
    kept = kept.map((k, i) => {
      if (!k) return false;
      const ratio = w[i]! / wmax;
      if (Math.abs(ratio - minP) <= slack * Math.max(minP, 1e-30)) ambiguous = true;
      return ratio >= minP;
    });
  }
  let s = 0;
  for (let i = 0; i < n; i++) if (kept[i]) s += w[i]!;
  for (let i = 0; i < n; i++) p[i] = kept[i] ? w[i]! / s : 0;
  return { p, ambiguous };
}

function indices(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
