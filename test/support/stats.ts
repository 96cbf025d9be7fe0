// Goodness of fit. The statistic is Pearson's chi-square over categories with expected
// count ≥ 5 (the rest pooled); its tail is read through the Wilson–Hilferty cube-root
// normal approximation, accurate to a few percent for df ≥ 3 — plenty for a 1e-4 cut.

export interface Fit {
  chi2: number;
  df: number;
  /** Standard-normal score of the statistic; > 3.7 means p < 1e-4. */
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
