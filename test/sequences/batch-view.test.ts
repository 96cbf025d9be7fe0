// logitsView(rows × V, V): a view holding a batch of rows, with room for one row's work. The
// kernels' per-token regions follow the vocabulary the calls take, the view only its floats, so
// that a batch of 64 rows does not make room for one vocabulary of 64 × V tokens (356 MiB at
// V = 128,256, where the rows are 31 MiB).
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { makeLogits } from '../support/data.js';
import { thrown } from '../support/thrown.js';

const V = 5000;
const ROWS = 16;
const PARAMS = { temperature: 0.8, topP: 0.95 };

function fill(view: Float32Array): void {
  for (let r = 0; r < ROWS; r++) view.set(makeLogits(V, 'lm', 100 + r), r * V);
}

describe.each(BACKENDS)('logitsView(rows × V, V) on %s', (backend) => {
  test('holds the rows and one row’s room: no more memory than one row’s view plus the rows', async () => {
    const one = await createSampler({ backend, seed: 1 });
    one.logitsView(V);
    const s = await createSampler({ backend, seed: 1 });
    const view = s.logitsView(ROWS * V, V);
    // The rows beyond the first, and a page of alignment.
    expect(s.memoryBytes).toBeLessThanOrEqual(one.memoryBytes + (ROWS - 1) * V * 4 + 65536);
    const plain = await createSampler({ backend, seed: 1 });
    plain.logitsView(ROWS * V);
    expect(s.memoryBytes).toBeLessThan(plain.memoryBytes / 4);
    expect(view.length).toBe(ROWS * V);
  });

  test('sampleRows, sample() and verifyDraft() over its rows never grow memory, and draw what the default view draws', async () => {
    const s = await createSampler({ backend, seed: 2 });
    const view = s.logitsView(ROWS * V, V);
    fill(view);
    const bytes = s.memoryBytes;
    const twin = await createSampler({ backend, seed: 2 });
    const wide = twin.logitsView(ROWS * V);
    fill(wide);
    const seeds = Array.from({ length: ROWS }, (_, r) => r + 1);
    const rows = s.sampleRows(
      view,
      V,
      PARAMS,
      seeds.map((seed) => s.stream(seed)),
    );
    const rowsTwin = twin.sampleRows(
      wide,
      V,
      PARAMS,
      seeds.map((seed) => twin.stream(seed)),
    );
    expect(Array.from(rows)).toEqual(Array.from(rowsTwin));
    expect(s.sample(view.subarray(3 * V, 4 * V), PARAMS)).toBe(twin.sample(wide.subarray(3 * V, 4 * V), PARAMS));
    const draft = { target: view.subarray(0, 3 * V), draftTokens: [1, 2], vocabSize: V, params: PARAMS };
    expect(s.verifyDraft(draft)).toEqual(twin.verifyDraft({ ...draft, target: wide.subarray(0, 3 * V) }));
    expect(s.memoryBytes).toBe(bytes);
    expect(view.buffer.byteLength).toBeGreaterThan(0); // still attached
    expect(view[3 * V + 7]).toBe(makeLogits(V, 'lm', 103)[7]);
  });

  test('a call over more tokens than it made room for grows memory: the call works, the old view detaches', async () => {
    const s = await createSampler({ backend, seed: 3 });
    const view = s.logitsView(ROWS * V, V);
    fill(view);
    const twin = await createSampler({ backend, seed: 3 });
    const x = view.slice();
    // The whole block as one vocabulary of ROWS × V tokens.
    expect(s.sample(view, PARAMS)).toBe(twin.sample(x, PARAMS));
    expect(view.buffer.byteLength).toBe(0);
    thrown(() => s.sample(view), RangeError, /detached/);
    // The contents carry over to the next view.
    expect(s.logitsView(ROWS * V, V)).toEqual(x);
  });

  test.each([
    [0, RangeError, /vocabSize must be an integer in \[1, 16777216\], got 0/],
    [-1, RangeError, /vocabSize must be an integer in \[1, 16777216\], got -1/],
    [2.5, RangeError, /vocabSize must be an integer in \[1, 16777216\], got 2\.5/],
    [Number.NaN, RangeError, /vocabSize must be an integer in \[1, 16777216\], got NaN/],
    [2 ** 24 + 1, RangeError, /vocabSize must be an integer in \[1, 16777216\], got 16777217/],
    ['5000', TypeError, /vocabSize must be a number, got/],
    [null, TypeError, /vocabSize must be a number, got null/],
  ])('vocabSize %o is an error naming it, and changes nothing', async (bad, type, message) => {
    const s = await createSampler({ backend, seed: 4 });
    const before = s.memoryBytes;
    thrown(() => s.logitsView(ROWS * V, bad as never), type, message);
    expect(s.memoryBytes).toBe(before);
  });
});
