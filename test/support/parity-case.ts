// The parity property's check of one random case (test/parity/properties-*.test.ts): on the
// three samplers, probs() gives the same bits, sample() and sampleDetailed() the same tokens and
// numbers, errors the same messages; and no call changes the caller's array, a logitsView()
// holding the logits, or the params' arrays.
import { expect } from 'vitest';
import type { Sampler, SamplingParams } from '../../src/index.js';
import { BACKENDS } from './backends.js';
import { outcome } from './outcome.js';
import { type Case, materialize } from './property-case.js';

function bits(x: Float32Array): Uint32Array {
  return new Uint32Array(x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength));
}

/** One case on the three samplers `all`. */
export function checkParity(all: Sampler[], c: Case): void {
  const { x, params } = materialize(c);
  const sp = params as SamplingParams;
  const before = bits(x);
  const paramsBefore = structuredClone(params);
  const results = all.map((s) => {
    s.reseed(c.logits.seed);
    return [
      outcome(() => s.probs(x, sp)),
      outcome(() => [s.sample(x, sp), s.sample(x, sp), s.sample(x, sp)]),
      outcome(() => s.sampleDetailed(x, sp, { topLogprobs: 5 })),
      outcome(() => s.sampleDetailed(x, sp, { topLogprobs: 3, logprobs: 'raw' })),
    ];
  });
  expect(results[1], 'wasm').toEqual(results[0]);
  expect(results[2], 'js').toEqual(results[0]);
  expect(bits(x)).toEqual(before);
  expect(params).toEqual(paramsBefore);

  // The same logits in a view (made now: this case's edits have reserved their room).
  const s = all[c.n % BACKENDS.length]!;
  const view = s.logitsView(c.n);
  view.set(x);
  s.reseed(c.logits.seed);
  const viaView = [
    outcome(() => s.probs(view, sp)),
    outcome(() => [s.sample(view, sp), s.sample(view, sp), s.sample(view, sp)]),
    outcome(() => s.sampleDetailed(view, sp, { topLogprobs: 5 })),
  ];
  expect(viaView, `${s.backend} logitsView`).toEqual(results[0]!.slice(0, 3));
  expect(bits(view)).toEqual(before);
}
