// A seeded workload both a test and a worker thread run, in plain JavaScript (a worker loads
// it without vitest's TypeScript transform): 120 steps over 5,000 logits, the controls
// changing from step to step, as a decoding loop would pass them.

/** mulberry32: deterministic inputs, unrelated to the library's own generator. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const N = 5000;

/** The tokens a sampler draws over the workload (it is reseeded to `seed` first). */
export function runWorkload(sampler, seed) {
  sampler.reseed(seed);
  const r = rng(17);
  const x = Float32Array.from({ length: N }, () => r() * 12 - 6);
  const tokens = [];
  for (let t = 0; t < 120; t++) {
    const j = Math.floor(r() * N);
    const old = x[j];
    x[j] += 3;
    const params = [
      { temperature: 0.8, topK: 50 },
      { topP: 0.9 },
      { minP: 0.05, temperature: 1.2 },
      { typicalP: 0.9 },
      { logitBias: { [j]: -5 }, history: tokens.slice(-32), repetitionPenalty: 1.2 },
      { dynamicTemperature: { min: 0.5, max: 1.5 } },
    ][t % 6];
    tokens.push(t % 7 === 3 ? sampler.sampleDetailed(x, params, { topLogprobs: 5 }).token : sampler.sample(x, params));
    x[j] = old;
  }
  return tokens;
}
