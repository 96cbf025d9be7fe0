// Many sequences at once: per-sequence streams, sampleRows() over a [rows × V] block, and n
// samples of one row. A stream's tokens are those of a sampler created with its seed; a row's
// token is its stream's sample() of that row, whatever else shares the batch.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { block, PARAMS, ROWS, row, V } from '../support/sequences-data.js';

describe.each(BACKENDS)('streams (%s)', (backend) => {
  test("a stream's tokens are a sampler's with the same seed; the sampler's own are untouched", async () => {
    const s = await createSampler({ backend, seed: 1 });
    const a = s.stream(11);
    const b = s.stream(12n);
    const twinA = await createSampler({ backend, seed: 11 });
    const twinB = await createSampler({ backend, seed: 12 });
    const twinS = await createSampler({ backend, seed: 1 });
    for (let i = 0; i < 30; i++) {
      const x = row(i % ROWS),
        p = PARAMS[i % PARAMS.length]!;
      // Interleaved in every way: no call moves another stream.
      expect(a.sample(x, p)).toBe(twinA.sample(x, p));
      if (i % 3 === 0) expect(s.sample(x, p)).toBe(twinS.sample(x, p));
      expect(b.sampleDetailed(x, p, { topLogprobs: 3 })).toEqual(twinB.sampleDetailed(x, p, { topLogprobs: 3 }));
      expect(a.probs(x, p)).toEqual(twinA.probs(x, p));
    }
    a.reseed(11);
    twinA.reseed(11);
    expect(a.sample(row(0))).toBe(twinA.sample(row(0)));
  });

  test('64 streams hold no memory of their own; a rejected call consumes no value', async () => {
    const s = await createSampler({ backend, seed: 2 });
    s.sample(row(0));
    const before = s.memoryBytes;
    const streams = Array.from({ length: 64 }, (_, i) => s.stream(i));
    for (const st of streams) st.sample(row(1));
    expect(s.memoryBytes).toBe(before);
    const t = s.stream(5),
      twin = s.stream(5);
    expect(() => t.sample(Float32Array.of(1, Number.NaN))).toThrow(/logits\[1\] is NaN/);
    expect(t.sample(row(2))).toBe(twin.sample(row(2)));
    s.dispose();
    expect(() => t.sample(row(0))).toThrow(/disposed/);
    expect(() => s.stream(1)).toThrow(/disposed/);
  });
});

describe.each(BACKENDS)('sampleRows (%s)', (backend) => {
  test("row r's token is streams[r].sample(row r), whatever the batch and its order", async () => {
    const s = await createSampler({ backend, seed: 3 });
    const twin = await createSampler({ backend, seed: 3 });
    const seeds = [7, 8, 9, 10, 11, 12];
    const want = seeds.map((seed, r) => {
      const st = twin.stream(seed);
      return [0, 1, 2].map(() => st.sample(row(r), PARAMS[r]));
    });
    // The whole batch, three times: each stream advances one value per call.
    const streams = seeds.map((seed) => s.stream(seed));
    const out = new Int32Array(ROWS);
    for (let step = 0; step < 3; step++) {
      expect(s.sampleRows(block, V, PARAMS, streams, out)).toBe(out);
      expect(Array.from(out)).toEqual(want.map((w) => w[step]));
    }
    // Rows 4, 1, 3 alone, in that order, with fresh streams: the same first tokens.
    const picked = [4, 1, 3];
    const sub = new Float32Array(picked.length * V);
    for (const [i, r] of picked.entries()) sub.set(row(r), i * V);
    const got = s.sampleRows(
      sub,
      V,
      picked.map((r) => PARAMS[r]!),
      picked.map((r) => s.stream(seeds[r]!)),
    );
    expect(Array.from(got)).toEqual(picked.map((r) => want[r]![0]));
  });

  test('one params object for every row; a logitsView and a Float64Array are read alike', async () => {
    const s = await createSampler({ backend, seed: 4 });
    const p = { temperature: 0.9, topP: 0.95 };
    const view = s.logitsView(V * ROWS);
    view.set(block);
    const a = s.sampleRows(
      view,
      V,
      p,
      [1, 2, 3, 4, 5, 6].map((seed) => s.stream(seed)),
    );
    const b = s.sampleRows(
      Float64Array.from(block),
      V,
      p,
      [1, 2, 3, 4, 5, 6].map((seed) => s.stream(seed)),
    );
    const c = [1, 2, 3, 4, 5, 6].map((seed, r) => s.stream(seed).sample(row(r), p));
    expect(Array.from(a)).toEqual(c);
    expect(Array.from(b)).toEqual(c);
    expect(view).toEqual(block); // read in place, never written
  });

  test('n > 1 completions: one row and n streams give n samples of it', async () => {
    const s = await createSampler({ backend, seed: 5 });
    const x = row(1);
    const p = { temperature: 1.1, minP: 0.02 };
    const got = s.sampleRows(
      x,
      V,
      p,
      [21, 22, 23, 24].map((seed) => s.stream(seed)),
    );
    expect(Array.from(got)).toEqual([21, 22, 23, 24].map((seed) => s.stream(seed).sample(x, p)));
    expect(new Set(got).size).toBeGreaterThan(1);
  });

  test('a bad row is an error naming it, and no stream moves', async () => {
    const s = await createSampler({ backend, seed: 6 });
    const bad = block.slice();
    bad[3 * V + 17] = Number.NaN;
    const streams = [1, 2, 3, 4, 5, 6].map((seed) => s.stream(seed));
    expect(() => s.sampleRows(bad, V, {}, streams)).toThrow(/^row 3: logits\[17\] is NaN/);
    // One row drawn three times, each with its params: the error names the draw's params.
    const one = row(0);
    const three = streams.slice(0, 3);
    const paramsOf = (bad: object) => [{}, {}, bad];
    expect(() => s.sampleRows(one, V, paramsOf({ allowed: new Uint32Array(Math.ceil(V / 32)) }), three)).toThrow(
      /^row 0 with params\[2\]: every token is masked/,
    );
    const big = row(0).slice();
    big[0] = 3e38;
    expect(() => s.sampleRows(big, V, paramsOf({ logitBias: { 0: 1e38 } }), three)).toThrow(
      /^row 0 with params\[2\]: logitBias pushed logits\[0\]/,
    );
    expect(Array.from(s.sampleRows(block, V, {}, streams))).toEqual(
      [1, 2, 3, 4, 5, 6].map((seed, r) => s.stream(seed).sample(row(r))),
    );
  });

  test('every shape mismatch is a clear error', async () => {
    const s = await createSampler({ backend, seed: 7 });
    const other = await createSampler({ backend, seed: 7 });
    const six = [1, 2, 3, 4, 5, 6].map((seed) => s.stream(seed));
    expect(() => s.sampleRows(block.subarray(1), V, {}, six)).toThrow(/not a whole number of rows of vocabSize 5000/);
    expect(() => s.sampleRows(block, V, {}, six.slice(1))).toThrow(/6 rows but 5 streams/);
    expect(() => s.sampleRows(block, V, [{}, {}], six)).toThrow(/params has 2 entries for 6 streams/);
    expect(() => s.sampleRows(block, V, {}, [...six.slice(1), other.stream(1)])).toThrow(
      /streams\[5\] is an object, not a stream of this sampler/,
    );
    expect(() => s.sampleRows(block, V, {}, [...six.slice(1), {} as never])).toThrow(TypeError);
    expect(() => s.sampleRows(block, V, {}, [])).toThrow(/streams is empty/);
    expect(() => s.sampleRows(block, V, {}, 'x' as never)).toThrow(TypeError);
    expect(() => s.sampleRows(block, 0, {}, six)).toThrow(/vocabSize must be an integer in \[1, 16777216\], got 0/);
    expect(() => s.sampleRows(block, 2.5, {}, six)).toThrow(RangeError);
    expect(() => s.sampleRows(Array.from(block) as never, V, {}, six)).toThrow(TypeError);
    expect(() => s.sampleRows(block, V, {}, six, new Int32Array(5))).toThrow(/out must have one entry per stream, 6/);
    expect(() => s.sampleRows(block, V, {}, six, new Float32Array(6) as never)).toThrow(/out must be an Int32Array/);
    expect(() => s.sampleRows(block, V, { topP: 2 }, six)).toThrow(/topP must be in/);
    const rowParams = [{}, {}, { topP: 2 }, {}, {}, {}];
    expect(() => s.sampleRows(block, V, rowParams, six)).toThrow(/^params\[2\]: topP must be in \(0, 1\]/);
    rowParams[2] = { topk: 3 } as never;
    expect(() => s.sampleRows(block, V, rowParams, six)).toThrow(/^params\[2\]: .*did you mean 'topK'/);
  });
});
