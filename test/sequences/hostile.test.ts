// Hostile input on the many-sequence paths: sampleRows() and verifyDraft() given views and
// subarrays of views at any offset, a view left stale by memory growth, extreme logits (±0 ties,
// float32 extremes, subnormals, masked draft tokens) and a stream of another sampler. Each gets
// the answer its single-row equivalent gives, or a clear error that moves no stream.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { DRAFT_V, model } from '../support/sequences-data.js';

const V = DRAFT_V;
const P = { temperature: 0.9, topP: 0.95 };

/** Rows with ties of ±0, the float32 extremes, subnormals and masked tokens. */
function extremeRows(rows: number): Float32Array {
  const x = new Float32Array(rows * V);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < V; t++) {
      const k = (t + r) % 8;
      x[r * V + t] =
        k === 0
          ? 0
          : k === 1
            ? -0
            : k === 2
              ? 3.4e38
              : k === 3
                ? -3.4e38
                : k === 4
                  ? 2 ** -149
                  : k === 5
                    ? -Infinity
                    : k === 6
                      ? 3.4e38
                      : -(2 ** -140);
    }
  }
  return x;
}

describe.each(BACKENDS)('%s', (backend) => {
  test('sampleRows over a subarray of a logitsView, at a row offset and at an odd one, equals each stream alone', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const twin = await createSampler({ backend, seed: 1 });
    const m = model(5, 700);
    const view = s.logitsView(7 * V + 3);
    for (const offset of [V, 3]) {
      view.fill(0);
      view.set(m.target, offset);
      const rows = view.subarray(offset, offset + 6 * V);
      const streams = [41, 42, 43, 44, 45, 46].map((seed) => s.stream(seed));
      const alone = [41, 42, 43, 44, 45, 46].map((seed) => twin.stream(seed));
      const got = s.sampleRows(rows, V, P, streams);
      for (let r = 0; r < 6; r++) expect(got[r]).toBe(alone[r]!.sample(m.target.subarray(r * V, (r + 1) * V), P));
      // Nothing the call read was written to.
      expect(Array.from(rows)).toEqual(Array.from(m.target));
    }
  });

  test('extreme logits: ±0 ties, float32 extremes, subnormals, masked tokens — rows equal single draws', async () => {
    const s = await createSampler({ backend, seed: 2 });
    const twin = await createSampler({ backend, seed: 2 });
    const x = extremeRows(4);
    for (const params of [{}, { temperature: 0 }, P, { topK: 3, minP: 0.5 }, { temperature: 1e-30 }]) {
      const got = s.sampleRows(
        x,
        V,
        params,
        [1, 2, 3, 4].map((seed) => s.stream(seed)),
      );
      const want = [1, 2, 3, 4].map((seed, r) => twin.stream(seed).sample(x.subarray(r * V, (r + 1) * V), params));
      expect(Array.from(got)).toEqual(want);
      for (let r = 0; r < 4; r++) expect(x[r * V + got[r]!]).not.toBe(-Infinity);
      // Greedy: the first of the two 3.4e38 logits of each row (at (t + r) % 8 = 2 or 6).
      if (params.temperature === 0) expect(Array.from(got)).toEqual([2, 1, 0, 3]);
    }
  });

  test('verifyDraft: a draft token the target masks is rejected, never emitted; extremes are read exactly', async () => {
    const s = await createSampler({ backend, seed: 3 });
    const m = model(2, 710);
    const target = m.target.slice();
    target[5] = -Infinity; // the first draft token is impossible under the target
    for (let i = 0; i < 50; i++) {
      const v = s.verifyDraft({ target, draft: m.draft, draftTokens: [5, 7], vocabSize: V, params: P });
      expect(v.accepted).toBe(0);
      expect(v.token).not.toBe(5);
      expect(s.probs(target.subarray(0, V), P)[v.token]).toBeGreaterThan(0);
    }
    // Float32 extremes and ±0 in both models: a draft equal to the target is always accepted.
    // Tokens 2 (row 0) and 1 (row 1) hold 3.4e38.
    const x = extremeRows(3);
    const v = s.verifyDraft({ target: x, draft: x.subarray(0, 2 * V), draftTokens: [2, 1], vocabSize: V });
    expect(v.accepted).toBe(2);
    expect(s.probs(x.subarray(2 * V), {})[v.token]).toBeGreaterThan(0);
  });

  test('a Float64Array value past float32 names its array, row and index in the row, as a NaN does', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const rows = (r: number, i: number, v: number) => {
      const x = new Float64Array(3 * V);
      x[r * V + i] = v;
      return x;
    };
    const none = new Float64Array(2 * V);
    for (const [v, what] of [
      [1e39, /is 1e\+39, outside the float32 range/],
      [Number.NaN, /is NaN; logits must be finite/],
    ] as const) {
      expect(() => s.verifyDraft({ target: rows(1, 7, v), draft: none, draftTokens: [1, 2], vocabSize: V })).toThrow(
        new RegExp(`^target row 1: logits\\[7\\] ${what.source}`),
      );
      expect(() =>
        s.verifyDraft({
          target: rows(0, 0, 0),
          draft: rows(0, 3, v).subarray(0, 2 * V),
          draftTokens: [1, 2],
          vocabSize: V,
        }),
      ).toThrow(new RegExp(`^draft row 0: logits\\[3\\] ${what.source}`));
      expect(() =>
        s.sampleRows(
          rows(2, 5, v),
          V,
          P,
          [1, 2, 3].map((k) => s.stream(k)),
        ),
      ).toThrow(new RegExp(`^row 2: logits\\[5\\] ${what.source}`));
    }
  });

  test('a view left stale by memory growth, and a stream of another sampler, are errors that move no stream', async () => {
    const s = await createSampler({ backend, seed: 4 });
    const other = await createSampler({ backend, seed: 4 });
    const m = model(3, 720);
    const stale = s.logitsView(4 * V);
    stale.set(m.target);
    s.logitsView(1 << 20); // grows memory: the first view's buffer is detached
    const streams = [1, 2, 3, 4].map((seed) => s.stream(seed));
    const twins = [1, 2, 3, 4].map((seed) => other.stream(seed));
    expect(() => s.sampleRows(stale, V, P, streams)).toThrow(/detached.*call logitsView\(\) again/);
    expect(() => s.verifyDraft({ target: stale, draftTokens: [1, 2, 3], vocabSize: V })).toThrow(
      /detached.*call logitsView\(\) again/,
    );
    expect(() => s.sampleRows(m.target, V, P, [streams[0]!, other.stream(9), streams[2]!, streams[3]!])).toThrow(
      /streams\[1\] is .*not a stream of this sampler/,
    );
    // None of the rejected calls moved a stream.
    for (let r = 0; r < 4; r++) {
      const row = m.target.subarray(r * V, (r + 1) * V);
      expect(streams[r]!.sample(row, P)).toBe(twins[r]!.sample(row, P));
    }
  });

  // A row copied into the kernels' input was taken with logits.subarray(), which runs the
  // caller's Symbol.species constructor after every check: it could rewrite a checked history
  // to ids outside the vocabulary (a WebAssembly trap).
  test('a Symbol.species on the logits never runs, and cannot rewrite a checked history', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const t = await createSampler({ backend, seed: 1 });
    const n = 1000;
    const history = new Int32Array([1, 2, 3]);
    let ran = 0;
    function Evil(buffer: ArrayBuffer, offset: number, length: number) {
      ran++;
      history[0] = 0x7fffff00;
      history[1] = -5;
      return new Float32Array(buffer, offset, length);
    }
    const plain = new Float32Array(2 * n).map((_, i) => Math.sin(i));
    const x = plain.slice();
    Object.defineProperty(x, 'constructor', { value: { [Symbol.species]: Evil } });
    const params = { history, repetitionPenalty: 1.3, frequencyPenalty: 0.5 };
    const rows = s.sampleRows(x, n, params, [s.stream(1), s.stream(2)]);
    expect(Array.from(rows)).toEqual(Array.from(t.sampleRows(plain, n, params, [t.stream(1), t.stream(2)])));
    const v = s.verifyDraft({ target: x, draftTokens: [5], vocabSize: n, params });
    expect(v).toEqual(t.verifyDraft({ target: plain, draftTokens: [5], vocabSize: n, params }));
    expect(ran).toBe(0);
    expect(Array.from(history)).toEqual([1, 2, 3]);
  });

  // out[r] was written after each row: where out lies in the kernels' memory past the view (the
  // input region) the next row's copy overwrote it, and over the view's next row it changed the
  // logits that row then read.
  test('out in the sampler memory: past the view refused, over a later row every row’s token', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const t = await createSampler({ backend, seed: 1 });
    const n = 64;
    const rows = 4;
    const view = s.logitsView(rows * n, n);
    const plain = new Float32Array(rows * n).map((_, i) => 3 * Math.sin(i * 0.7));
    const want = Array.from(
      t.sampleRows(
        plain,
        n,
        {},
        [1, 2, 3, 4].map((i) => t.stream(i)),
      ),
    );
    // Past the view the memory is the kernels' own (their constants lie below it).
    for (const at of [view.byteOffset + view.byteLength, 1024]) {
      const outside = new Int32Array(view.buffer, at, rows);
      expect(() =>
        s.sampleRows(
          plain,
          n,
          {},
          [1, 2, 3, 4].map((i) => s.stream(i)),
          outside,
        ),
      ).toThrow(/out lies in the sampler's own memory outside logitsView\(\)/);
    }
    view.set(plain);
    const over = new Int32Array(view.buffer, view.byteOffset + n * 4, rows);
    expect(
      Array.from(
        s.sampleRows(
          view,
          n,
          {},
          [1, 2, 3, 4].map((i) => s.stream(i)),
          over,
        ),
      ),
    ).toEqual(want);
  });
});
