// The error cases of a param: each rejected by sample(), probs() and sampleDetailed() with the
// same error, naming the param, and consuming no random value.
import { expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { makeLogits } from './data.js';
import { thrown } from './thrown.js';

export type Rejection = [params: object, type: new (...a: never[]) => Error, message: RegExp];

/** Registers one test per case on `backend`, over 100 flat logits. */
export function rejectsEach(backend: 'wasm-simd' | 'wasm' | 'js', cases: Rejection[]): void {
  test.each(cases)('%o', async (params, type, message) => {
    const s = await createSampler({ backend, seed: 1 });
    const x = makeLogits(100, 'flat', 1);
    thrown(() => s.sample(x, params as never), type, message);
    thrown(() => s.probs(x, params as never), type, message);
    thrown(() => s.sampleDetailed(x, params as never), type, message);
    expect(s.sample(x)).toBe((await createSampler({ backend, seed: 1 })).sample(x));
  });
}
