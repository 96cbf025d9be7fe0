// Summaries of a distribution, in float64 whatever the input's precision.

/** Shannon entropy in nats of `p` (zeros contribute nothing). */
export function entropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) {
    const x = p[i]!;
    if (x > 0) h -= x * Math.log(x);
  }
  return h;
}

/** The largest entry of `p`. */
export function top1(p: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > m) m = p[i]!;
  return m;
}

/** How many entries of `p` are above zero: the kept set's size. */
export function keptCount(p: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < p.length; i++) if (p[i]! > 0) k++;
  return k;
}

/** How many logits are not masked (−Infinity): the V in ln V. */
export function unmaskedCount(logits: ArrayLike<number>): number {
  let k = 0;
  for (let i = 0; i < logits.length; i++) if (logits[i]! > -Infinity) k++;
  return k;
}

/** The indices of the `count` largest logits, largest first (ties by index). */
export function topIndices(logits: ArrayLike<number>, count: number): number[] {
  const n = logits.length;
  if (count >= n) return Array.from({ length: n }, (_, i) => i);
  // A bounded insertion list: count is small (tens) and n large (up to 256k).
  const best: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = logits[i]!;
    if (best.length === count && v <= logits[best[count - 1]!]!) continue;
    let j = best.length < count ? best.length : count - 1;
    while (j > 0 && logits[best[j - 1]!]! < v) j--;
    best.splice(j, 0, i);
    if (best.length > count) best.pop();
  }
  return best;
}
