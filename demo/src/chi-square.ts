// Pearson's chi-square goodness-of-fit test with an exact tail: p = Q(df/2, χ²/2), Q the
// regularized upper incomplete gamma function, evaluated by its power series where that
// converges fast (x < a + 1) and by its continued fraction elsewhere, the classical split
// (Abramowitz & Stegun 6.5.29 and 6.5.31), to ~1e-14 relative. No normal approximation.

/** ln Γ(x) for x > 0: Lanczos' approximation (g = 7, 9 terms), ~1e-15 relative. */
export function logGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x); // reflection
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const z = x - 1;
  let s = c[0]!;
  for (let i = 1; i < 9; i++) s += c[i]! / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(s);
}

/** Q(a, x) = Γ(a, x) / Γ(a), the upper tail; a > 0, x ≥ 0. */
export function gammaQ(a: number, x: number): number {
  if (!(a > 0) || !(x >= 0)) throw new RangeError(`gammaQ needs a > 0 and x ≥ 0, got a = ${a}, x = ${x}`);
  if (x === 0) return 1;
  if (x === Infinity) return 0;
  const front = Math.exp(a * Math.log(x) - x - logGamma(a));
  if (x < a + 1) {
    // P(a, x) = front/a · Σ xⁿ / ((a+1)…(a+n)); terms shrink by x/(a+n) < 1.
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 10_000; n++) {
      term *= x / (a + n);
      sum += term;
      if (term < sum * 1e-16) break;
    }
    return Math.max(0, 1 - front * sum);
  }
  // Q(a, x) = front · 1/(x+1−a− 1·(1−a)/(x+3−a− 2·(2−a)/(x+5−a− …))), by modified Lentz.
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let f = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-15) break;
  }
  return front * f;
}

/** The upper tail of the chi-square distribution with `df` degrees of freedom at `chi2`. */
export function chiSquareTail(chi2: number, df: number): number {
  return gammaQ(df / 2, chi2 / 2);
}

/** A goodness-of-fit result. */
export interface ChiSquareFit {
  chi2: number;
  /** Degrees of freedom: cells − 1. */
  df: number;
  /** P(χ²_df ≥ chi2); NaN when there are fewer than 2 cells (nothing random to test). */
  p: number;
  /** Cells after pooling. */
  cells: number;
  /** How many tokens went into the pooled cell (expected count < 5 each). */
  pooled: number;
  /** Draws of tokens whose probability is 0: any is proof of a wrong sampler (p is then 0). */
  impossible: number;
}

/**
 * Pearson's test of `counts` against `probs` (any scale: normalised here, in float64).
 * Tokens expected fewer than 5 times are pooled into one cell (the usual validity rule); if
 * that cell still expects fewer than 5, it joins the smallest other cell.
 */
export function chiSquareFit(counts: ArrayLike<number>, probs: ArrayLike<number>): ChiSquareFit {
  let total = 0;
  let draws = 0;
  for (let i = 0; i < probs.length; i++) total += probs[i]!;
  for (let i = 0; i < counts.length; i++) draws += counts[i]!;
  const cells: { obs: number; exp: number }[] = [];
  const pool = { obs: 0, exp: 0 };
  let pooled = 0;
  let impossible = 0;
  for (let i = 0; i < probs.length; i++) {
    const e = (probs[i]! / total) * draws;
    const o = counts[i]!;
    if (e === 0) impossible += o;
    else if (e >= 5) cells.push({ obs: o, exp: e });
    else {
      pool.obs += o;
      pool.exp += e;
      pooled++;
    }
  }
  if (pool.exp >= 5 || (pool.exp > 0 && cells.length === 0)) cells.push(pool);
  else if (pool.exp > 0) {
    let s = 0;
    for (let j = 1; j < cells.length; j++) if (cells[j]!.exp < cells[s]!.exp) s = j;
    cells[s]!.obs += pool.obs;
    cells[s]!.exp += pool.exp;
  }
  let chi2 = 0;
  for (const { obs, exp } of cells) chi2 += (obs - exp) ** 2 / exp;
  const df = cells.length - 1;
  const p = impossible > 0 ? 0 : df >= 1 ? chiSquareTail(chi2, df) : Number.NaN;
  return { chi2, df, p, cells: cells.length, pooled, impossible };
}
