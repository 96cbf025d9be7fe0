// The stateful stages (mirostat, adaptive-p) across many sequences. A state belongs to one
// sequence and a stream supplies its randomness: stream.sample(x, { mirostat: st }) is what a
// sampler with the stream's seed gives. sampleRows() draws its rows in order, so a row's
// token and its state's update are those of the calls one after another — rows that share a
// state (one params object for all, or one state in several) see it as earlier rows left it.
// A rejected batch changes no state and consumes no value. verifyDraft() refuses them.
import { describe, expect, test } from 'vitest';
import {
  type AdaptivePState,
  createAdaptiveP,
  createMirostat,
  createSampler,
  type MirostatState,
  type SamplingParams,
} from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { makeLogits } from '../support/data.js';
import { bytesPerCall } from '../support/heap.js';

const V = 3000;
const ROWS = 4;
const block = new Float32Array(V * ROWS);
for (let r = 0; r < ROWS; r++) block.set(makeLogits(V, r % 2 ? 'lm' : 'peaked', 300 + r), r * V);
const row = (r: number) => block.subarray(r * V, (r + 1) * V);

/** One sequence's params for row r: its own state of either kind. */
function sequences(): { params: SamplingParams[]; states: (MirostatState | AdaptivePState)[] } {
  const states = [
    createMirostat({ version: 2, tau: 2 }),
    createMirostat({ version: 1, tau: 3 }),
    createAdaptiveP({ target: 0.3 }),
    createMirostat({ version: 2, tau: 1, eta: 0.5 }),
  ];
  const params: SamplingParams[] = [
    { mirostat: states[0] as MirostatState, temperature: 0.9 },
    { mirostat: states[1] as MirostatState },
    { adaptiveP: states[2] as AdaptivePState, minP: 0.02 },
    { mirostat: states[3] as MirostatState, temperature: 0 },
  ];
  return { params, states };
}

describe.each(BACKENDS)('stateful stages across sequences (%s)', (backend) => {
  test("a stream's tokens and states are a sampler's with its seed, whatever is interleaved", async () => {
    const s = await createSampler({ backend, seed: 1 });
    const a = s.stream(21);
    const b = s.stream(22);
    const twinA = await createSampler({ backend, seed: 21 });
    const twinB = await createSampler({ backend, seed: 22 });
    const [stA, stB] = [createMirostat({ version: 2, tau: 2 }), createAdaptiveP({ target: 0.2 })];
    const [mirrorA, mirrorB] = [{ ...stA }, { ...stB }];
    for (let i = 0; i < 40; i++) {
      const x = row(i % ROWS);
      expect(a.sample(x, { mirostat: stA })).toBe(twinA.sample(x, { mirostat: mirrorA }));
      if (i % 3 === 0) s.sample(x, { mirostat: createMirostat({ version: 1 }) });
      const d = b.sampleDetailed(x, { adaptiveP: stB, minP: 0.01 });
      expect(d).toEqual(twinB.sampleDetailed(x, { adaptiveP: mirrorB, minP: 0.01 }));
      expect(a.probs(x, { mirostat: stA })).toEqual(twinA.probs(x, { mirostat: mirrorA }));
    }
    expect(stA).toEqual(mirrorA);
    expect(stB).toEqual(mirrorB);
  });

  test("sampleRows: row r's token and state are its stream's sample() of row r with its state", async () => {
    const s = await createSampler({ backend, seed: 2 });
    const batch = sequences();
    const alone = sequences();
    const streams = Array.from({ length: ROWS }, (_, r) => s.stream(40 + r));
    const twins = Array.from({ length: ROWS }, (_, r) => s.stream(40 + r));
    for (let step = 0; step < 8; step++) {
      const tokens = s.sampleRows(block, V, batch.params, streams);
      for (let r = 0; r < ROWS; r++) expect(tokens[r]).toBe(twins[r]!.sample(row(r), alone.params[r]));
      expect(batch.states).toEqual(alone.states);
    }
  });

  test('sampleRows: rows that share a state are drawn in order', async () => {
    const s = await createSampler({ backend, seed: 3 });
    const streams = Array.from({ length: ROWS }, (_, r) => s.stream(60 + r));
    const twins = Array.from({ length: ROWS }, (_, r) => s.stream(60 + r));
    // One params object for every row: one state, moved row after row.
    const shared = createMirostat({ version: 2, tau: 2 });
    const mirror = { ...shared };
    const tokens = s.sampleRows(block, V, { mirostat: shared }, streams);
    for (let r = 0; r < ROWS; r++) expect(tokens[r]).toBe(twins[r]!.sample(row(r), { mirostat: mirror }));
    expect(shared).toEqual(mirror);
    // One state in several rows' params (n samples of one row, say).
    const st = createAdaptiveP({ target: 0.25 });
    const twin = { ...st };
    const params = [{ adaptiveP: st }, { adaptiveP: st, minP: 0.05 }, {}, { adaptiveP: st, temperature: 1.3 }];
    const out = s.sampleRows(block, V, params, streams);
    for (let r = 0; r < ROWS; r++) {
      const p = { ...params[r], ...(params[r]!.adaptiveP ? { adaptiveP: twin } : {}) };
      expect(out[r]).toBe(twins[r]!.sample(row(r), p));
    }
    expect(st).toEqual(twin);
  });

  test('a rejected batch changes no state and consumes no value', async () => {
    const s = await createSampler({ backend, seed: 4 });
    const batch = sequences();
    const before = structuredClone(batch.states);
    const streams = Array.from({ length: ROWS }, (_, r) => s.stream(80 + r));
    const twins = Array.from({ length: ROWS }, (_, r) => s.stream(80 + r));
    const bad = Float32Array.from(block);
    bad[3 * V + 7] = Number.NaN; // the last row: every earlier row has been drawn
    expect(() => s.sampleRows(bad, V, batch.params, streams)).toThrow(/row 3: logits\[7\] is NaN/);
    expect(batch.states).toEqual(before);
    const broken = [...batch.params];
    broken[2] = { adaptiveP: { ...createAdaptiveP({ target: 0.3 }), decay: 2 } };
    expect(() => s.sampleRows(block, V, broken, streams)).toThrow(/adaptiveP\.decay must be in \[0, 0\.99\], got 2/);
    expect(batch.states).toEqual(before);
    // The last row's state cannot take its new mu: the earlier rows' states are put back.
    const readOnly = { ...createMirostat({ version: 2 }) };
    Object.defineProperty(readOnly, 'mu', { value: readOnly.mu, writable: false, enumerable: true });
    broken[2] = batch.params[2]!;
    broken[3] = { mirostat: readOnly };
    expect(() => s.sampleRows(block, V, broken, streams)).toThrow(
      /^params\[3\]: mirostat: the draw's new state could not be written back/,
    );
    expect(batch.states).toEqual(before);
    const again = sequences();
    const tokens = s.sampleRows(block, V, batch.params, streams);
    for (let r = 0; r < ROWS; r++) expect(tokens[r]).toBe(twins[r]!.sample(row(r), again.params[r]));
    expect(batch.states).toEqual(again.states);
  });

  test('verifyDraft refuses a stateful stage, before any value or state is touched', async () => {
    const s = await createSampler({ backend, seed: 5 });
    const twin = await createSampler({ backend, seed: 5 });
    const target = block.subarray(0, 3 * V);
    for (const params of [
      { mirostat: createMirostat({ version: 2 }) },
      { adaptiveP: createAdaptiveP({ target: 0.3 }) },
    ] as SamplingParams[]) {
      const state = structuredClone(params.mirostat ?? params.adaptiveP);
      expect(() => s.verifyDraft({ target, draftTokens: [1, 2], vocabSize: V, params })).toThrow(
        /verifyDraft takes no stage that flips a coin or keeps state \(XTC, mirostat, adaptive-p\)/,
      );
      expect(params.mirostat ?? params.adaptiveP).toEqual(state);
    }
    expect(s.sample(row(1))).toBe(twin.sample(row(1)));
  });
});

describe('stateful stages: memory', () => {
  test.each([
    ['mirostat v2', () => ({ mirostat: createMirostat({ version: 2, tau: 3 }), temperature: 0.9 })],
    ['mirostat v1', () => ({ mirostat: createMirostat({ version: 1, tau: 3 }) })],
    ['adaptive-p', () => ({ adaptiveP: createAdaptiveP({ target: 0.3 }), minP: 0.02 })],
  ] as const)('%s: a call allocates no record or array, only boxed numbers and the state write', async (_, make) => {
    // Measured as test/memory.test.ts does; about 150–180 bytes a call, as without the state.
    const n = 4096;
    const s = await createSampler({ backend: 'wasm-simd', seed: 1 });
    const view = s.logitsView(n);
    view.set(makeLogits(n, 'lm', 2));
    const params = make() as SamplingParams;
    expect(await bytesPerCall(() => s.sample(view, params))).toBeLessThan(256);
  });
});
