// The in-browser benchmark's measurement: sample() calls per second, one token each, on
// LM-like logits, timed in slices with the event loop in between so the page keeps painting.
// It measures; it asserts nothing (the project's speed claims come from bench/, in Node).

import { naiveSample } from 'bench-naive';
import { createSampler, type SamplingParams } from 'logit-sampler';

export const CONTENDERS = ['wasm-simd', 'wasm', 'js', 'naive JS'] as const;
export type Contender = (typeof CONTENDERS)[number];

/** One token per call: the function a contender is timed through. */
export type SampleFn = (logits: Float32Array, params: SamplingParams) => number;

/** A contender ready to run: its sampling function, and what frees its memory afterwards. */
export interface Runner {
  sample: SampleFn;
  dispose(): void;
}

/** A contender's runner, or undefined if this browser cannot run it. */
export async function contender(name: Contender): Promise<Runner | undefined> {
  if (name === 'naive JS') return { sample: naiveSample, dispose: () => {} };
  try {
    const s = await createSampler({ backend: name, seed: 1 });
    return { sample: (logits, params) => s.sample(logits, params), dispose: () => s.dispose() };
  } catch {
    return undefined; // e.g. 'wasm-simd' in a browser without WebAssembly SIMD
  }
}

const SLICE_MS = 40;
const yieldToPage = () => new Promise<void>((r) => setTimeout(r, 0));

/**
 * Calls per second of `fn` over at least `budgetMs` of sampling (and at least 3 calls), after
 * a warm-up of a few calls (compilation, first-touch of the sampler's memory).
 */
export async function tokensPerSecond(
  fn: SampleFn,
  logits: Float32Array,
  params: SamplingParams,
  budgetMs: number,
): Promise<number> {
  const warm = performance.now();
  for (let i = 0; i < 3 || performance.now() - warm < Math.min(budgetMs / 5, 50); i++) fn(logits, params);
  await yieldToPage();
  let calls = 0;
  let busy = 0;
  while (busy < budgetMs || calls < 3) {
    const t0 = performance.now();
    let t = t0;
    do {
      fn(logits, params);
      calls++;
      t = performance.now();
    } while (t - t0 < SLICE_MS);
    busy += t - t0;
    await yieldToPage();
  }
  return (calls * 1000) / busy;
}
