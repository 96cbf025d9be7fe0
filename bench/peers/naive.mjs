// @ts-check
// A sampler as a typical developer writes it on a first try: readable, correct
// in the Hugging Face order (temperature → top-k → top-p → min-p), and slow
// where such code usually is — a fresh softmax array per call, a full sort of
// the vocabulary whenever a filter is asked for, and Math.random().
// It is a peer for comparison only; nothing in src/ uses it.

/**
 * @param {Float32Array} logits
 * @param {import('../../src/index.js').SamplingParams} [params]
 * @returns {number} the token
 */
export function naiveSample(logits, { temperature = 1, topK = 0, topP = 1, minP = 0 } = {}) {
  const n = logits.length;

  // Greedy: the obvious argmax loop (lowest index wins ties).
  if (temperature === 0) {
    let best = 0;
    for (let i = 1; i < n; i++) if (logits[i] > logits[best]) best = i;
    return best;
  }

  // Softmax with temperature, max subtracted for stability.
  let max = -Infinity;
  for (let i = 0; i < n; i++) if (logits[i] > max) max = logits[i];
  const probs = new Float32Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    probs[i] = Math.exp((logits[i] - max) / temperature);
    sum += probs[i];
  }
  for (let i = 0; i < n; i++) probs[i] /= sum;

  // Without filters nobody sorts: draw straight from the softmax.
  if (topK <= 0 && topP >= 1 && minP <= 0) return draw(probs, null);

  // Filters: sort every index by probability, then cut.
  let kept = Array.from({ length: n }, (_, i) => i);
  kept.sort((a, b) => probs[b] - probs[a] || a - b);
  if (topK > 0 && topK < n) kept = kept.slice(0, topK);
  if (topP < 1) {
    // top-p on the distribution top-k left, i.e. relative to its mass.
    let mass = 0;
    for (const i of kept) mass += probs[i];
    let cum = 0;
    let cut = kept.length;
    for (let j = 0; j < kept.length; j++) {
      cum += probs[kept[j]];
      if (cum >= topP * mass) {
        cut = j + 1;
        break;
      }
    }
    kept = kept.slice(0, cut);
  }
  if (minP > 0) {
    const threshold = minP * probs[kept[0]];
    kept = kept.filter((i) => probs[i] >= threshold);
  }
  return draw(probs, kept);
}

/**
 * Inverse-CDF draw over `kept` (or over every index when null), renormalised.
 * @param {Float32Array} probs
 * @param {number[] | null} kept
 */
function draw(probs, kept) {
  const count = kept ? kept.length : probs.length;
  let total = 0;
  for (let j = 0; j < count; j++) total += probs[kept ? kept[j] : j];
  let r = Math.random() * total;
  for (let j = 0; j < count; j++) {
    const i = kept ? kept[j] : j;
    r -= probs[i];
    if (r < 0) return i;
  }
  return kept ? kept[count - 1] : count - 1; // rounding left a sliver of mass
}
