// What a logitsView() holds and when it stays attached (README, Guarantees): parts of a view are
// read in place and never written; calls with other arrays never touch it; a growth detaches
// it and says so, its contents carried to the next view; edits up to min(n, 65,536) entries
// never grow memory under it. On the three builds: the js build's memory is a plain
// ArrayBuffer, whose growth and detachment take their own path in src/backend/kernels.ts.
// (Issue 7's items 1 and 12, and the view regressions of the old known-bug list.)
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS, draws, KERNEL_BUILDS, twins } from '../support/backends.js';
import { makeLogits } from '../support/data.js';

const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.slice().buffer));
const argmaxOf = (x: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
};

describe.each(BACKENDS)('parts of a logitsView are read in place and left as they are (%s)', (backend) => {
  test('every prefix of a view: nothing after it is read or written', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const v = s.logitsView(100);
    v.fill(0);
    v[93] = 50;
    // The issue's reproduction: a prefix used to pad the 15 slots after it with -Infinity.
    expect(s.sample(v.subarray(0, 90), { temperature: 0 })).toBe(0);
    expect(v[93]).toBe(50);
    expect(s.sample(v, { temperature: 0 })).toBe(93);
    // Every length (every residue mod 16), in a scrambled order so that a pad left by one
    // call would show in a later one.
    for (let i = 0; i < 100; i++) v[i] = i;
    const snapshot = v.slice();
    for (let k = 0; k < 100; k++) {
      const n = 1 + ((k * 37) % 100);
      expect(s.sample(v.subarray(0, n), { temperature: 0 })).toBe(n - 1);
      expect(s.sample(v.subarray(0, n), { topK: 1 })).toBe(n - 1);
    }
    expect(v).toEqual(snapshot);
  });

  test('a subarray at any offset, read twice', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const v = s.logitsView(8);
    v.set([0, 1, 2, 3, 4, 5, 6, 7]);
    const sub = v.subarray(2);
    expect(s.sample(sub, { temperature: 0 })).toBe(5);
    expect(s.sample(sub, { temperature: 0 })).toBe(5);
    const w = s.logitsView(300);
    for (let i = 0; i < 300; i++) w[i] = (i * 7919) % 300; // a permutation: one maximum
    const snapshot = w.slice();
    for (const [from, to] of [
      [1, 300],
      [17, 18],
      [33, 129],
      [150, 299],
      [299, 300],
    ] as const) {
      const part = w.subarray(from, to);
      expect(s.sample(part, { temperature: 0 })).toBe(argmaxOf(snapshot.subarray(from, to)));
      expect(s.probs(part, { temperature: 0.5 })).toEqual(s.probs(snapshot.slice(from, to), { temperature: 0.5 }));
    }
    expect(w).toEqual(snapshot);
  });

  test('rows of a [B, V] batch in one view draw what copies of the rows draw', async () => {
    const B = 5;
    const V = 1003; // not a multiple of 16: every row but the first starts mid-vector
    const [s, twin] = await twins(backend, 7);
    const batch = s.logitsView(B * V);
    const rows = Array.from({ length: B }, (_, b) => makeLogits(V, b % 2 ? 'flat' : 'peaked', 100 + b));
    for (const [b, r] of rows.entries()) batch.set(r, b * V);
    const snapshot = batch.slice();
    const params: SamplingParams[] = [
      {},
      { temperature: 0.7, topK: 40, topP: 0.9 },
      { minP: 0.05 },
      { temperature: 0 },
      { topP: 0.5, logitBias: { 3: 5, 1002: -Infinity } },
      { history: [1, 2, 2, 1000], repetitionPenalty: 1.3, frequencyPenalty: 0.5 },
    ];
    // Rows in reverse order, then forwards: a row never depends on what ran before.
    for (const order of [
      [4, 3, 2, 1, 0],
      [0, 1, 2, 3, 4],
    ]) {
      for (const b of order) {
        const row = batch.subarray(b * V, (b + 1) * V);
        for (const p of params) {
          expect(bitsOf(s.probs(row, p)), `row ${b} ${JSON.stringify(p)}`).toEqual(bitsOf(twin.probs(rows[b]!, p)));
          expect(draws(s, row, p, 3)).toEqual(draws(twin, rows[b]!, p, 3));
        }
      }
    }
    expect(batch).toEqual(snapshot);
  });
});

describe.each(BACKENDS)('a logitsView holds what the caller wrote, whatever else runs (%s)', (backend) => {
  test('other arrays, rejected arrays and edits of the view itself leave it as written', async () => {
    const s = await createSampler({ backend, seed: 12 });
    const n = 4096;
    const v = s.logitsView(n);
    const written = makeLogits(n, 'peaked', 12);
    v.set(written);
    const other = makeLogits(n, 'flat', 13);
    const calls: (() => unknown)[] = [
      () => s.sample(other),
      () => s.probs(other, { topK: 5 }),
      () => s.sample(new Float64Array(other)),
      () => s.sample(Array.from(other.subarray(0, 1000))),
      () => s.sample(other, { logitBias: { 7: 3 }, history: [7, 8], presencePenalty: 1 }),
      () => s.sample(other, { allowed: new Uint32Array(n / 32).fill(0xff) }),
      () => s.sample(Float32Array.from(other, Math.abs), { input: 'probs' }),
      // Rejected half-way through a conversion: the stage is not the view.
      () => s.sample([...Array.from(other.subarray(0, 3000)), 'x' as never]),
      () => s.sample(Float64Array.from([...other.subarray(0, 2000), 1e39])),
      () => s.probs(other, { temperature: -1 }),
      // The view itself, with edits that are applied in place and undone.
      () => s.sample(v, { logitBias: { 0: 100, 5: -Infinity }, history: [1, 1, 2], repetitionPenalty: 2 }),
      () => s.sampleDetailed(v, { topK: 40, logitBias: new Map([[9, -5]]) }, { topLogprobs: 5 }),
      () => s.sampleDetailed(v, { dynamicTemperature: { min: 0.5, max: 1.5 } }, { logprobs: 'raw', topLogprobs: 3 }),
      () => s.probs(v, { allowed: new Uint32Array(n / 32).fill(0xf0f0f0f0), topP: 0.9 }),
      () => s.probs(v.subarray(10, 100), { typicalP: 0.8, frequencyPenalty: 1, history: [5] }),
      // Rejected by the kernel after the edits: pushed past the float32 range.
      () => s.sample(v, { logitBias: { 3: -3.4e38 }, history: [3], presencePenalty: 3.4e38 }),
    ];
    for (const [k, call] of calls.entries()) {
      try {
        call();
      } catch (e) {
        expect(e instanceof RangeError || e instanceof TypeError, `call ${k}: ${e}`).toBe(true);
      }
      expect(v, `after call ${k}`).toEqual(written);
    }
    // A larger vocabulary grows the memory: the old view is detached, the new one holds the
    // same contents at the same place.
    s.sample(makeLogits(3 * n, 'flat', 14));
    expect(s.logitsView(n)).toEqual(written);
  });
});

describe.each(BACKENDS)('a view given to the very call that grows memory (%s)', (backend) => {
  // A long logit bias or history needs more room than the vocabulary alone: the growth
  // detaches every view, including the logits or the out array of the call that grew it.
  const longBias = (count: number) => {
    const ids = Int32Array.from({ length: count }, (_, i) => (i * 7) % 2000);
    return { ids, values: new Float32Array(count).fill(1e-4) };
  };

  test('the logits: read where they are, same tokens as a copy', async () => {
    const [s, twin] = await twins(backend, 12);
    const x = makeLogits(2000, 'peaked', 15);
    const v = s.logitsView(x.length);
    v.set(x);
    const logitBias = longBias(400_000);
    expect(s.sample(v, { logitBias })).toBe(twin.sample(x, { logitBias }));
    // WASM memory grew and detached the view, as documented: ask for the view again.
    expect(v.length).toBe(0);
    const again = s.logitsView(x.length);
    expect(again).toEqual(x);
    expect(draws(s, again, { logitBias }, 3)).toEqual(draws(twin, x, { logitBias }, 3));
    const history = Int32Array.from({ length: 1_000_000 }, (_, i) => (i * 13) % 2000);
    const penalties = { history, repetitionPenalty: 1.1, frequencyPenalty: 1e-4 };
    expect(s.sampleDetailed(again, penalties, { topLogprobs: 3 })).toEqual(
      twin.sampleDetailed(x, penalties, { topLogprobs: 3 }),
    );
    expect(s.logitsView(x.length)).toEqual(x);
  });

  test('out: the distribution lands in the view', async () => {
    const [s, twin] = await twins(backend, 12);
    const x = makeLogits(2000, 'flat', 16);
    const out = s.logitsView(x.length);
    const logitBias = longBias(600_000);
    const got = s.probs(x, { logitBias }, out);
    const want = twin.probs(x, { logitBias });
    expect(got).toEqual(want);
    expect(s.logitsView(x.length)).toEqual(want);
  });
});

describe.each(BACKENDS)('out in the sampler’s own memory (%s)', (backend) => {
  // Past the view the memory is the kernels': an out there would overwrite their work or their
  // constants, and every later call with them.
  test('outside the view it is refused, and the sampler is unharmed', async () => {
    const [s, twin] = await twins(backend, 13);
    const x = makeLogits(3000, 'flat', 17);
    const view = s.logitsView(x.length);
    const streams = [1, 2].map((seed) => s.stream(seed));
    const outside = [0, 1024, view.byteOffset + view.byteLength];
    for (const at of outside) {
      const probsOut = new Float32Array(view.buffer, at, x.length);
      const rowsOut = new Int32Array(view.buffer, at, 2);
      expect(() => s.probs(x, { topP: 0.9 }, probsOut), `probs out at ${at}`).toThrow(
        /out lies in the sampler's own memory outside logitsView\(\)/,
      );
      expect(() => s.sampleRows(x, x.length, {}, streams, rowsOut), `rows out at ${at}`).toThrow(RangeError);
    }
    expect(s.probs(x, { topP: 0.9, minP: 0.01 })).toEqual(twin.probs(x, { topP: 0.9, minP: 0.01 }));
    expect(s.sample(x, { temperature: 0.7, topK: 50 })).toBe(twin.sample(x, { temperature: 0.7, topK: 50 }));
    // A part of the view is the caller's: allowed.
    expect(s.probs(x, {}, view)).toEqual(twin.probs(x));
  });
});

describe.each(BACKENDS)('edits and the view (%s)', (backend) => {
  // The regression of viewDetachedByEdits (fixed in 7602d32): a bias on a view grew memory
  // under it.
  test('a 4,000-entry bias on a logitsView(4099): read in place, the view still attached', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const view = s.logitsView(4099);
    view.fill(0);
    view[7] = 1;
    const bias = { ids: Int32Array.from({ length: 4000 }, (_, k) => k + 10), values: new Float32Array(4000) };
    expect(s.sample(view, { logitBias: bias, temperature: 0 })).toBe(7);
    expect(view[7]).toBe(1);
    expect(view.length).toBe(4099);
  });

  test('a logitsView keeps its buffer through edits up to min(n, 65,536); a longer one says so', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const view = s.logitsView(100);
    view.fill(0);
    view[7] = 1;
    const ids = Int32Array.from({ length: 100 }, (_, k) => k);
    const values = new Float32Array(100).fill(-0.5);
    expect(s.sample(view, { logitBias: { ids, values }, temperature: 0 })).toBe(7);
    expect(view.length).toBe(100); // still attached
    const many = { ids: Int32Array.from({ length: 40_000 }, (_, k) => k % 100), values: new Float32Array(40_000) };
    expect(s.sample(view, { logitBias: many, temperature: 0 })).toBe(7); // the call itself is right
    expect(view.length).toBe(0); // but its growth detached the view, as documented
    expect(() => s.sample(view)).toThrow(/logitsView\(\) again/);
  });
});

describe.each(KERNEL_BUILDS)('a view and memory growth (%s)', (backend) => {
  test(`logitsView is read in place and matches the copying path`, async () => {
    const s = await createSampler({ backend, seed: 3 });
    const t = await createSampler({ backend, seed: 3 });
    const x = makeLogits(50_257, 'peaked', 1);
    const view = s.logitsView(x.length);
    view.set(x);
    for (const params of [{}, { topK: 40, topP: 0.9 }, { temperature: 0 }]) {
      expect(s.sample(view, params)).toBe(t.sample(x, params));
      expect(s.probs(view, params)).toEqual(t.probs(x, params));
    }
    // In place: a write through the view is what the next call sees.
    view.fill(-Infinity);
    view[12345] = 1;
    expect(s.sample(view)).toBe(12345);
    expect(view[12345]).toBe(1);
  });

  test(`growth detaches old views; the view region keeps its place and contents`, async () => {
    const s = await createSampler({ backend, seed: 4 });
    // The js build, bit-identical by test/parity/, says which token each call must draw.
    const twin = await createSampler({ backend: 'js', seed: 4 });
    const small = makeLogits(1000, 'flat', 2);
    const view = s.logitsView(small.length);
    view.set(small);
    expect(s.sample(view, { topP: 0.9 })).toBe(twin.sample(small, { topP: 0.9 }));
    const before = s.memoryBytes;

    const big = makeLogits(300_000, 'flat', 3);
    expect(s.sample(big, { topP: 0.9 })).toBe(twin.sample(big, { topP: 0.9 }));
    expect(s.memoryBytes).toBeGreaterThan(before);
    expect(view.length).toBe(0); // detached by the growth
    expect(() => s.sample(view)).toThrow(RangeError);
    expect(() => s.sample(view)).toThrow(/detached.*call logitsView\(\) again/);
    // The same memory, at the same place, with what was written before the growth.
    const again = s.logitsView(small.length);
    expect(again).toEqual(small);
    expect(s.sample(again, { temperature: 0 })).toBe(argmaxOf(small));
    // And a view that grows memory itself carries the old contents into the larger view.
    const larger = s.logitsView(600_000);
    expect(larger.subarray(0, small.length)).toEqual(small);
    expect(again.length).toBe(0);
  });
});

describe('the js build', () => {
  test('logitsView is a plain Float32Array the sampler reads directly, and keeps its contents', async () => {
    const s = await createSampler({ backend: 'js', seed: 1 });
    const v = s.logitsView(1000);
    v.fill(0);
    v[999] = 10;
    expect(s.sample(v, { temperature: 0 })).toBe(999);
    const w = s.logitsView(5000);
    expect(w[999]).toBe(10);
    expect(s.sample(w.subarray(0, 1000), { temperature: 0 })).toBe(999);
  });
});
