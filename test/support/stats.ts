// Goodness of fit. The statistic is Pearson's chi-square over categories with expected
// count ≥ 5 (the rest pooled); its tail is read through the Wilson–Hilferty cube-root
// normal approximation, accurate to a few percent for df ≥ 3 — plenty for cuts near 1e-5.

export interface Fit {
  chi2: number;
  df: number;
  /** Standard-normal score of the statistic: compare it with `criticalZ(alpha)`. */
  z: number;
}

export function chiSquare(counts: ArrayLike<number>, probs: ArrayLike<number>, draws: number): Fit {
  let chi2 = 0;
  let cells = 0;
  let poolObs = 0;
  let poolExp = 0;
  for (let i = 0; i < probs.length; i++) {
    const e = probs[i]! * draws;
    if (e >= 5) {
      const d = counts[i]! - e;
      chi2 += (d * d) / e;
      cells++;
    } else {
      poolObs += counts[i]!;
      poolExp += e;
    }
  }
  if (poolExp >= 5) {
    chi2 += (poolObs - poolExp) ** 2 / poolExp;
    cells++;
  } else if (poolObs > poolExp + 10 + 5 * Math.sqrt(poolExp)) {
    // Draws where (almost) none are expected: fail loudly through the statistic.
    chi2 += (poolObs - poolExp) ** 2 / Math.max(poolExp, 1e-3);
  }
  const df = Math.max(cells - 1, 1);
  const z = ((chi2 / df) ** (1 / 3) - (1 - 2 / (9 * df))) / Math.sqrt(2 / (9 * df));
  return { chi2, df, z };
}

/** Upper tail of the standard normal, P(Z > z), by Simpson's rule over [z, z + 12]; beyond
 *  that the density is below 1e-31; with 4000 steps the relative error is below 1e-11. */
export function normalTail(z: number): number {
  const steps = 4000;
  const h = 12 / steps;
  const phi = (t: number) => Math.exp(-0.5 * t * t) / Math.sqrt(2 * Math.PI);
  let s = phi(z) + phi(z + 12);
  for (let i = 1; i < steps; i++) s += (i % 2 ? 4 : 2) * phi(z + i * h);
  return (s * h) / 3;
}

/** The z a fit may reach before it counts as a failure, so that a correct sampler fails with
 *  probability `alpha` (one-sided: only a large chi-square is evidence against it). */
export function criticalZ(alpha: number): number {
  let lo = 0;
  let hi = 40;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalTail(mid) > alpha) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}
