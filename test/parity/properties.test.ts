// Property: the three backends are one algorithm — on random cases (every control, huge,
// subnormal, tied and masked logits, sizes 1 … 70k) probs() gives the same bits, sample()
// and sampleDetailed() the same tokens and numbers, errors the same messages; and no call
// changes the caller's array, a logitsView() holding the logits, or the params' arrays.
import fc from 'fast-check';
import { expect, test } from 'vitest';
import { createSampler, type Sampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { bugsMet } from '../support/known-bugs.js';
import { anyCase, type Case, materialize } from '../support/property-case.js';

const fresh = () => Promise.all(BACKENDS.map((backend) => createSampler({ backend, seed: 1 })));

/** Everything a call returns, or the error it throws, as plain data. */
function outcome(run: () => unknown): unknown {
  try {
    const r = run();
    return r instanceof Float32Array ? { bits: Array.from(new Uint32Array(r.buffer, r.byteOffset, r.length)) } : r;
  } catch (e) {
    return { error: `${(e as Error).name}: ${(e as Error).message}` };
  }
}

function bits(x: Float32Array): Uint32Array {
  return new Uint32Array(x.buffer.slice(x.byteOffset, x.byteOffset + x.byteLength));
}

const RUNS = 200;
let leftOut = 0;

/** One case on the three samplers `all`. */
function checkParity(all: Sampler[], c: Case): void {
  const { x, params } = materialize(c);
  const sp = params as SamplingParams;
  // Temporary: cases meeting a known bug on some backend are left to their own tests.
  const raw = BACKENDS.some((b) => bugsMet(b, params, { raw: true, logits: x }).length > 0);
  if (BACKENDS.some((b) => bugsMet(b, params, { logits: x }).length > 0)) {
    leftOut++;
    return;
  }
  const before = bits(x);
  const paramsBefore = structuredClone(params);
  const results = all.map((s) => {
    s.reseed(c.logits.seed);
    return [
      outcome(() => s.probs(x, sp)),
      outcome(() => [s.sample(x, sp), s.sample(x, sp), s.sample(x, sp)]),
      outcome(() => s.sampleDetailed(x, sp, { topLogprobs: 5 })),
      raw ? null : outcome(() => s.sampleDetailed(x, sp, { topLogprobs: 3, logprobs: 'raw' })),
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

// Each case on samplers of its own: every case checked, whatever another case left behind.
test('bit-identical on every backend; inputs untouched (fresh samplers per case)', async () => {
  await fc.assert(
    fc.asyncProperty(anyCase, async (c) => checkParity(await fresh(), c)),
    { seed: 0x5eed_0003, numRuns: RUNS },
  );
});

// The same cases through one set of samplers, as a decoding loop uses them: state one call
// leaves behind must not change the next. Temporary test.fails: known bug staleMassSelection.
const stale = BACKENDS.some((b) => bugsMet(b, {}, { afterOtherCalls: true }).length > 0);
(stale ? test.fails : test)(
  'bit-identical on every backend; inputs untouched (one sampler per backend throughout)',
  async () => {
    const all = await fresh();
    await fc.assert(
      fc.property(anyCase, (c) => checkParity(all, c)),
      // Longer: state bugs need the right predecessor (staleMassSelection shows at run 265).
      { seed: 0x5eed_0003, numRuns: 1.5 * RUNS },
    );
  },
);

test('few cases were left to the known-bug tests', () => {
  // Counted over both properties. Today: huge temperatures over tiny maxima, subnormal
  // maxima halved (see known-bugs.ts).
  expect(leftOut).toBeLessThan(2.5 * RUNS * 0.1);
});
