// @ts-check
// What the benchmark's logits look like as distributions, computed in float64 from the
// float32 vectors the contenders sample: how much of the vocabulary a sampler must really
// exponentiate, how wide the nucleus is. These figures are what make a kind "LM-like" (or
// not), so every report carries them next to the timings.

/** Below 2^-53 of the most likely token's probability a token cannot change a float64 draw. */
const CUTOFF_LOG = -53 * Math.LN2;

/**
 * @typedef {object} VectorStats
 * @property {number} std standard deviation of the logits
 * @property {number} entropy1 entropy of softmax(x) in nats
 * @property {number} entropy07 entropy of softmax(x / 0.7) in nats
 * @property {number} pMax1 probability of the most likely token at T = 1
 * @property {number} above1 fraction of tokens with p ≥ 2^-53·p_max at T = 1
 * @property {number} above07 the same at T = 0.7
 * @property {number} nucleus95 tokens in the top-p 0.95 nucleus at T = 1
 * @property {number} minP05 tokens with p ≥ 0.05·p_max at T = 1
 */

/**
 * @param {Float32Array} x
 * @returns {VectorStats}
 */
export function vectorStats(x) {
  const n = x.length;
  let max = -Infinity;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    const v = /** @type {number} */ (x[i]);
    if (v > max) max = v;
    mean += v;
  }
  mean /= n;
  let sq = 0;
  for (let i = 0; i < n; i++) sq += /** @type {number} */ (x[i] - mean) ** 2;
  /** @param {number} t */
  const entropy = (t) => {
    // H = log Z − Σ p·(x − max)/t with Z = Σ exp((x − max)/t).
    let z = 0;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const d = /** @type {number} */ (x[i] - max) / t;
      const e = Math.exp(d);
      z += e;
      s += e * d;
    }
    return Math.log(z) - s / z;
  };
  /** @param {number} t */
  const above = (t) => {
    let k = 0;
    for (let i = 0; i < n; i++) if (/** @type {number} */ (x[i] - max) / t >= CUTOFF_LOG) k++;
    return k / n;
  };
  const p = new Float64Array(n);
  let z = 0;
  for (let i = 0; i < n; i++) z += p[i] = Math.exp(/** @type {number} */ (x[i]) - max);
  let minP05 = 0;
  for (let i = 0; i < n; i++) if (/** @type {number} */ (p[i]) >= 0.05) minP05++;
  p.sort().reverse();
  let cum = 0;
  let nucleus95 = n;
  for (let i = 0; i < n; i++) {
    cum += /** @type {number} */ (p[i]);
    if (cum >= 0.95 * z) {
      nucleus95 = i + 1;
      break;
    }
  }
  return {
    std: Math.sqrt(sq / n),
    entropy1: entropy(1),
    entropy07: entropy(0.7),
    pMax1: 1 / z,
    above1: above(1),
    above07: above(0.7),
    nucleus95,
    minP05,
  };
}

/**
 * @typedef {object} Calibration
 * @property {string} kind
 * @property {number} size
 * @property {number} vectors how many vectors the figures summarise
 * @property {{[K in keyof VectorStats]: {median: number, min: number, max: number}}} stats
 */

/**
 * Median, min and max of each figure over the vectors of one kind and size.
 * @param {string} kind
 * @param {number} size
 * @param {readonly Float32Array[]} vectors
 * @returns {Calibration}
 */
export function calibrate(kind, size, vectors) {
  const each = vectors.map(vectorStats);
  const stats = /** @type {Calibration['stats']} */ ({});
  for (const key of /** @type {(keyof VectorStats)[]} */ (Object.keys(each[0] ?? {}))) {
    const xs = each.map((s) => s[key]).sort((a, b) => a - b);
    const mid = xs.length >> 1;
    const median = xs.length % 2 ? xs[mid] : ((xs[mid - 1] ?? 0) + (xs[mid] ?? 0)) / 2;
    stats[key] = { median: median ?? NaN, min: xs[0] ?? NaN, max: xs[xs.length - 1] ?? NaN };
  }
  return { kind, size, vectors: vectors.length, stats };
}
