// Run by test/guarantees/determinism-host-math.test.ts in a process of its own: the golden
// sequences and probs() bits (engine-workload.mjs) on the three builds of the built package
// (dist/index.js), and a few sampleDetailed() results; printed as JSON. With the argument
// 'nudged', Math.exp, Math.log, Math.pow and Math.log2 first return the next double up from
// their true result (one ulp: an engine whose last bit differs), and count their calls.
// They are patched before the package is imported, so a reference taken at load time is the
// patched one too. The ** operator cannot be patched (determinism-host-math.test.ts checks
// what ships uses it on constants only).
import { makeLogits } from '../../bench/logits.mjs';

const nudged = process.argv[2] === 'nudged';
const calls = {};
if (nudged) {
  const f64 = new Float64Array(1);
  const u64 = new BigUint64Array(f64.buffer);
  const up = (v) => {
    if (Number.isNaN(v) || v === Infinity) return v;
    if (v === 0) return Number.MIN_VALUE;
    f64[0] = v;
    u64[0] += v > 0 ? 1n : -1n; // toward +Infinity: the magnitude grows if positive, shrinks if not
    return f64[0];
  };
  for (const name of ['exp', 'log', 'pow', 'log2']) {
    const f = Math[name];
    calls[name] = 0;
    Math[name] = (...args) => {
      calls[name]++;
      return up(f(...args));
    };
  }
}

const lib = await import('../../dist/index.js');
const { engineWorkload } = await import('./engine-workload.mjs');

const BUILDS = ['wasm-simd', 'wasm', 'js'];
const builds = {};
for (const backend of BUILDS) builds[backend] = await engineWorkload(lib, backend);
const decided = { ...calls };

// sampleDetailed() reports logprobs and the entropy through Math.log: they may move, a few ulps.
const x = makeLogits(5000, 'lm', 1);
const PARAMS = [
  {},
  { temperature: 0.7, topK: 40 },
  { topP: 0.9 },
  { typicalP: 0.9, minP: 0.02 },
  { dynamicTemperature: { min: 0.5, max: 1.5 } },
  { order: 'llama.cpp', topK: 100, dynamicTemperature: { min: 0.3, max: 2 } },
];
const detailed = {};
for (const backend of BUILDS) {
  const s = await lib.createSampler({ backend, seed: 5 });
  detailed[backend] = PARAMS.flatMap((p) =>
    ['processed', 'raw'].map((logprobs) => s.sampleDetailed(x, p, { topLogprobs: 5, logprobs, entropy: true })),
  );
}

console.log(JSON.stringify({ nudged, probe: Math.exp(1), calls: { decided, all: calls }, builds, detailed }));
