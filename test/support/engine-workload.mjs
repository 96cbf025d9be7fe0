// What a JavaScript engine without WebAssembly runs: the golden sequences of
// test/runtimes/fixture/golden.mjs on one sampler, and probs() at each case's first step.
// test/support/engine-script.ts bundles this file with dist/browser.js into one script for a
// `vm` context, QuickJS or Hermes, so it is plain JavaScript whose only import is golden.mjs.

import { GOLDEN_CASES, goldenTokens } from '../runtimes/fixture/golden.mjs';

/** probs() as the uint32 bits of its floats: exact, and free of any engine's float printing. */
function bitsOf(p) {
  return Array.from(new Uint32Array(p.buffer, p.byteOffset, p.length));
}

/**
 * Runs the golden cases named in `names` (all of them when omitted) on a sampler made by
 * `lib.createSampler({ backend })`. probs() is taken on the exact input and params of each
 * case's first step, by a stand-in that goldenTokens drives like a sampler (so the inputs are
 * golden.mjs's own, not a copy of them). `steps`: how many tokens of each case (default all,
 * golden.mjs's STEPS; an interpreter may take fewer, the committed table's first ones).
 * @returns {Promise<{ webAssembly: string, backend: string, golden: Record<string, number[]>, probs: Record<string, number[]> }>}
 */
export async function engineWorkload(lib, backend, names, steps) {
  const sampler = await lib.createSampler({ backend, seed: 0 });
  const golden = {};
  const probs = {};
  for (const c of GOLDEN_CASES) {
    if (names !== undefined && !names.includes(c.name)) continue;
    const recording = {
      reseed: (seed) => sampler.reseed(seed),
      sample: (x, params) => {
        if (probs[c.name] === undefined) probs[c.name] = bitsOf(sampler.probs(x, params));
        return sampler.sample(x, params);
      },
    };
    golden[c.name] = goldenTokens(recording, c, steps);
  }
  return { webAssembly: typeof WebAssembly, backend: sampler.backend, golden, probs };
}
