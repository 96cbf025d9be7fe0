// @ts-check
// Input shapes that have made samplers fall off a speed cliff, each timed next to the ordinary
// shape it should cost about as much as: `node bench/shapes.mjs` (after `npm run build`; a
// build older than the sources is refused).
// Copy-in calls (a Float32Array each time), 128,256 tokens unless said, min of 10 batches.
// A row reads "shape: time (vs the reference shape: its time, ratio)".
import { loadLibrary } from './lib/library.mjs';
import { makeLogits } from './logits.mjs';

const { createSampler } = await loadLibrary();

const n = 128256;
const chain = { temperature: 0.7, topK: 40, topP: 0.9 };

/** @param {() => unknown} fn @param {number} reps @returns {number} µs per call */
function time(fn, reps) {
  for (let i = 0; i < 5; i++) fn();
  let best = Infinity;
  for (let b = 0; b < 10; b++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) fn();
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return best * 1000;
}

const flat = makeLogits(n, 'flat', 1);
const lm = makeLogits(n, 'lm', 1);
// Constrained decoding: all but 13 tokens masked, as -Infinity or through `allowed`.
const masked = lm.map((v, i) => (i % 10_000 === 7 ? v : -Infinity));
const allowed = new Uint32Array(Math.ceil(n / 32));
for (let i = 7; i < n; i += 10_000) allowed[i >>> 5] |= 1 << (i & 31);
// Near-uniform logits over a large vocabulary (the whole of it in one narrow range).
const uniform = Float32Array.from({ length: 300_000 }, (_, i) => 1000 + ((i * 7919) % 1000) * 1e-6);
// Subnormal logits: arithmetic on them is slow on x86 unless rescaled.
const subnormal = Float32Array.from({ length: n }, (_, i) => ((i * 7919) % 1000) * 1e-41);

for (const backend of /** @type {const} */ (['wasm-simd', 'wasm', 'js'])) {
  const s = await createSampler({ backend, seed: 1 });
  const flatChain = time(() => s.sample(flat, chain), 20);
  const flatTopP = time(() => s.sample(flat, { topP: 0.9 }), 3);
  /** @param {string} name @param {number} t @param {string} refName @param {number} ref */
  const row = (name, t, refName, ref) =>
    `  ${name}: ${t.toFixed(0)} µs (vs ${refName}: ${ref.toFixed(0)} µs, ${(t / ref).toFixed(2)}×)`;
  console.log(backend);
  console.log(
    row(
      '99.99% -Infinity, top-k 40 + top-p 0.9',
      time(() => s.sample(masked, chain), 20),
      'flat logits',
      flatChain,
    ),
  );
  console.log(
    row(
      '13 tokens allowed by a mask, same params',
      time(() => s.sample(lm, { ...chain, allowed }), 20),
      'flat logits',
      flatChain,
    ),
  );
  const perToken = (flatTopP * uniform.length) / n;
  console.log(
    row(
      '300,000 near-uniform logits, top-p 0.5',
      time(() => s.sample(uniform, { topP: 0.5 }), 3),
      'flat top-p 0.9 scaled to 300,000',
      perToken,
    ),
  );
  console.log(
    row(
      'subnormal logits, top-p 0.9',
      time(() => s.sample(subnormal, { topP: 0.9 }), 3),
      'flat top-p 0.9',
      flatTopP,
    ),
  );
}
