// Regression tests for the defects of issue 7 ("Hardening"), numbered as in the issue. Each
// describe block failed on the code before the rewrite (c479b4c). Expected values are computed
// here in float64 or taken from a second sampler fed plain copies, never copied from output.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createSampler, createSamplerSync, type Logits, type Sampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { makeLogits, rng } from '../support/data.js';
import { foreign, foreignCopy } from '../support/realm.js';
import { reference } from '../support/reference.js';
import { thrown } from '../support/thrown.js';
import { PROB_TOLERANCE } from '../support/tolerance.js';

/** The documented vocabulary limit (src/limits.ts MAX_TOKENS). */
const MAX_TOKENS = 2 ** 24;
const WASM = ['wasm-simd', 'wasm'] as const;

const bitsOf = (a: Float32Array) => Array.from(new Uint32Array(a.slice().buffer));
const argmaxOf = (x: ArrayLike<number>) => {
  let best = 0;
  for (let i = 1; i < x.length; i++) if (x[i]! > x[best]!) best = i;
  return best;
};
/** Draws `count` tokens. */
const draws = (s: Sampler, x: Logits, params: SamplingParams | undefined, count: number) =>
  Array.from({ length: count }, () => s.sample(x, params));

/** Two samplers of one backend and seed: one is tested, the other fed plain copies. */
async function twins(backend: (typeof BACKENDS)[number], seed: number): Promise<[Sampler, Sampler]> {
  return [await createSampler({ backend, seed }), await createSampler({ backend, seed })];
}

describe.each(BACKENDS)('1. parts of a logitsView are read in place and left as they are (%s)', (backend) => {
  test('every prefix of a view: nothing after it is read or written', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const v = s.logitsView(100);
    v.fill(0);
    v[93] = 50;
    // The reproduction: a prefix used to pad the 15 slots after it with -Infinity.
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

describe.each(BACKENDS)('2. the largest vocabularies (%s)', (backend) => {
  test(`n = 2^24 works, or is a clear RangeError when memory cannot grow`, async () => {
    const s = await createSampler({ backend, seed: 2 });
    let v: Float32Array;
    try {
      v = s.logitsView(MAX_TOKENS);
    } catch (e) {
      // A runtime may refuse 2^24 × ~40 bytes: then it must say so, and stay usable.
      expect(e).toBeInstanceOf(RangeError);
      expect((e as Error).message).toMatch(/cannot grow .* for 16777216 tokens/);
      expect(s.sample([1, 2, 3], { temperature: 0 })).toBe(2);
      return;
    }
    expect(v.length).toBe(MAX_TOKENS);
    v[MAX_TOKENS - 1] = 1;
    expect(s.sample(v, { temperature: 0 })).toBe(MAX_TOKENS - 1);
    v[12_345] = 1;
    v[MAX_TOKENS - 2] = -Infinity;
    expect(s.sample(v, { temperature: 0 })).toBe(12_345);
    const t = s.sample(v, { topK: 2 }); // ties at the top: exactly the two ones are kept
    expect([12_345, MAX_TOKENS - 1]).toContain(t);
    expect(s.sample([1, 2, 3], { temperature: 0 })).toBe(2);
    s.dispose();
  });

  test('n > 2^24 is a RangeError naming the limit, and never breaks the sampler', async () => {
    const [s, twin] = await twins(backend, 2);
    // The sizes of the reproduction (64,949,521 threw for good; 147,781,895 trapped).
    for (const n of [MAX_TOKENS + 1, 64_949_521, 147_781_895, 2 ** 30 - 1]) {
      thrown(() => s.logitsView(n), RangeError, /n must be an integer in \[1, 16777216\]/);
    }
    const over = new Float32Array(MAX_TOKENS + 1);
    thrown(() => s.sample(over), RangeError, /logits has 16777217 entries; at most 16777216 are supported/);
    thrown(() => s.probs(over), RangeError, /at most 16777216/);
    thrown(() => s.sample(new Array(MAX_TOKENS + 1)), RangeError, /at most 16777216/);
    const x = makeLogits(1000, 'peaked', 2);
    expect(draws(s, x, {}, 5)).toEqual(draws(twin, x, {}, 5));
    expect(s.probs([1, 2, 3])).toEqual(twin.probs([1, 2, 3]));
  });
});

describe.each(WASM)('3. a failed memory growth (%s)', (backend) => {
  afterEach(() => {
    vi.restoreAllMocks();
  });
  const refuse = () =>
    vi.spyOn(WebAssembly.Memory.prototype, 'grow').mockImplementationOnce(() => {
      throw new RangeError('WebAssembly.Memory.grow(): Maximum memory size exceeded');
    });

  test('is a clear RangeError; smaller calls work; the random stream is not consumed', async () => {
    const [s, twin] = await twins(backend, 3);
    const small = makeLogits(1000, 'peaked', 3);
    const big = makeLogits(300_000, 'flat', 4);
    expect(s.sample(small)).toBe(twin.sample(small));
    refuse();
    thrown(() => s.sample(big), RangeError, /cannot grow the sampler's memory to [\d.]+ MiB for 300000 tokens/);
    for (const p of [{}, { topK: 40, topP: 0.9 }, { minP: 0.1 }, { temperature: 0 }]) {
      expect(draws(s, small, p, 4)).toEqual(draws(twin, small, p, 4));
      expect(s.probs(small, p)).toEqual(twin.probs(small, p));
    }
    // Growth works again once the runtime allows it.
    expect(draws(s, big, { topP: 0.9 }, 2)).toEqual(draws(twin, big, { topP: 0.9 }, 2));
  });

  test('in logitsView(): the earlier view keeps working and keeps its contents', async () => {
    const [s, twin] = await twins(backend, 3);
    const x = makeLogits(2000, 'peaked', 5);
    const v = s.logitsView(x.length);
    v.set(x);
    refuse();
    thrown(() => s.logitsView(400_000), RangeError, /cannot grow the sampler's memory .* for 400000 tokens/);
    expect(v).toEqual(x);
    expect(draws(s, v, { topK: 50 }, 5)).toEqual(draws(twin, x, { topK: 50 }, 5));
  });

  test('when a long logit bias needs more room: the same', async () => {
    const [s, twin] = await twins(backend, 3);
    const x = makeLogits(2000, 'peaked', 6);
    const ids = Int32Array.from({ length: 400_000 }, (_, i) => i % 2000);
    const logitBias = { ids, values: new Float32Array(ids.length).fill(1e-3) };
    refuse();
    thrown(() => s.sample(x, { logitBias }), RangeError, /cannot grow the sampler's memory/);
    expect(draws(s, x, {}, 3)).toEqual(draws(twin, x, {}, 3));
    expect(draws(s, x, { logitBias }, 3)).toEqual(draws(twin, x, { logitBias }, 3));
  });
});

describe.each(BACKENDS)('4. huge logits (%s)', (backend) => {
  test('[2e38, 0, 0, 0, 2e38]: the two maxima share the mass', async () => {
    const s = await createSampler({ backend, seed: 4 });
    const x = [2e38, 0, 0, 0, 2e38];
    expect(Array.from(s.probs(x))).toEqual([0.5, 0, 0, 0, 0.5]);
    expect(new Set(draws(s, x, {}, 40))).toEqual(new Set([0, 4]));
    expect(s.sample(x, { temperature: 0 })).toBe(0);
    expect(Array.from(s.probs(x, { topK: 1 }))).toEqual([0.5, 0, 0, 0, 0.5]);
  });

  test('magnitudes up to ±3.4e38 in every lane position match float64', async () => {
    const s = await createSampler({ backend, seed: 4 });
    const r = rng(4);
    const values = [3.4028234663852886e38, -3.4028234663852886e38, 2e38, -2e38, 1e38, 1, 0, -Infinity];
    for (let c = 0; c < 300; c++) {
      const n = 1 + (c % 41);
      const x = Float32Array.from({ length: n }, () => values[Math.floor(r() * values.length)]!);
      if (x.every((v) => v === -Infinity)) x[c % n] = 0;
      for (const temperature of [1, 1e37, 1e38]) {
        const want = reference(x, { temperature }).p;
        const got = s.probs(x, { temperature });
        for (let i = 0; i < n; i++) {
          const tolerance = Math.max(PROB_TOLERANCE * want[i]!, 1e-7);
          expect(Math.abs(got[i]! - want[i]!), `${Array.from(x)} T=${temperature} [${i}]`).toBeLessThanOrEqual(
            tolerance,
          );
        }
      }
    }
  });
});

describe('4. huge logits: every backend draws the same', () => {
  test('300 arrays of huge magnitudes: bit-identical probs and equal tokens', async () => {
    const all = await Promise.all(BACKENDS.map((backend) => createSampler({ backend, seed: 44 })));
    const r = rng(44);
    for (let c = 0; c < 300; c++) {
      const n = 1 + Math.floor(r() * 70);
      const x = Float32Array.from({ length: n }, () => (r() < 0.1 ? -Infinity : (r() - 0.5) * 6.8e38));
      x[Math.floor(r() * n)] = (r() - 0.5) * 6.8e38;
      const probs = all.map((s) => bitsOf(s.probs(x)));
      expect(probs[1]).toEqual(probs[0]);
      expect(probs[2]).toEqual(probs[0]);
      const tokens = all.map((s) => draws(s, x, { topP: 0.9 }, 2));
      expect(tokens[1]).toEqual(tokens[0]);
      expect(tokens[2]).toEqual(tokens[0]);
    }
  });
});

describe.each(BACKENDS)('5. a huge temperature over logits far apart (%s)', (backend) => {
  // softmax((x − max)/T) in float64. For T ≥ 1e38 the kernels' log2(e)/T is a subnormal
  // float32 (down to 2^-149): z = (x − max)·c is then off by at most |x − max|·2^-150 ≈ 5e-7,
  // which moves a probability by less than 1e-7. Hence an absolute tolerance of 1e-6.
  const expected = (x: number[], T: number) => {
    const f = x.map(Math.fround);
    const m = Math.max(...f);
    const w = f.map((v) => Math.exp((v - m) / T));
    const sum = w.reduce((a, b) => a + b, 0);
    return w.map((v) => v / sum);
  };

  test('temperature 1e40, logits 6e38 apart: ≈ [0.515, 0.485] as in float64', async () => {
    const s = await createSampler({ backend, seed: 5 });
    const x = [3e38, -3e38];
    const want = expected(x, 1e40);
    expect(want[0]).toBeCloseTo(0.515, 3);
    const got = s.probs(x, { temperature: 1e40 });
    expect(Math.abs(got[0]! - want[0]!)).toBeLessThan(1e-6);
    expect(Math.abs(got[1]! - want[1]!)).toBeLessThan(1e-6);
  });

  test('T from 1e38 to 1e300 over the whole float32 range, with top-p and min-p', async () => {
    const s = await createSampler({ backend, seed: 5 });
    const x = [3.4028234663852886e38, 1e38, 0, -1e38, -3.4028234663852886e38];
    for (const T of [1e38, 1e39, 1e40, 1e41, 1e45, 1e300]) {
      const want = expected(x, T);
      const got = s.probs(x, { temperature: T });
      for (let i = 0; i < x.length; i++) expect(Math.abs(got[i]! - want[i]!), `T=${T} [${i}]`).toBeLessThan(1e-6);
      // Kept sets of top-p and min-p follow the float64 probabilities (none is near a cut).
      const kept = (p: Float32Array) => Array.from(p, (v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0);
      const order = want.map((_, i) => i).sort((a, b) => want[b]! - want[a]! || a - b);
      let acc = 0;
      const prefix: number[] = [];
      for (const i of order) {
        if (acc >= 0.5) break;
        prefix.push(i);
        acc += want[i]!;
      }
      if (Math.abs(acc - 0.5) > 1e-3) expect(kept(s.probs(x, { temperature: T, topP: 0.5 }))).toEqual(prefix.sort());
      const wmax = Math.max(...want);
      const minP = want.map((w, i) => (w >= 0.9 * wmax ? i : -1)).filter((i) => i >= 0);
      if (want.every((w) => Math.abs(w / wmax - 0.9) > 1e-3)) {
        expect(kept(s.probs(x, { temperature: T, minP: 0.9 }))).toEqual(minP);
      }
    }
  });
});

describe.each(BACKENDS)('6. re-entrancy (%s)', (backend) => {
  const X = [0.5, 1, 2, -1, 0];

  test('a getter that calls the same sampler gets a clear Error; the outer call is right', async () => {
    const [s, twin] = await twins(backend, 6);
    const errors: unknown[] = [];
    const tricky = [...X];
    Object.defineProperty(tricky, 2, {
      enumerable: true,
      get() {
        try {
          s.sample([1, 2, 3]);
        } catch (e) {
          errors.push(e);
        }
        return 2;
      },
    });
    expect(s.sample(tricky, { topP: 0.95 })).toBe(twin.sample(X, { topP: 0.95 }));
    expect(Array.from(s.probs(tricky))).toEqual(Array.from(twin.probs(X)));
    expect(errors).toHaveLength(2);
    for (const e of errors) {
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toMatch(/^re-entrant call: /);
    }
    expect(draws(s, X, {}, 5)).toEqual(draws(twin, X, {}, 5));
  });

  test('every method, from a getter in the logits, in params or in a logit bias', async () => {
    const [s, twin] = await twins(backend, 6);
    const calls: [string, () => unknown][] = [
      ['sample', () => s.sample(X)],
      ['probs', () => s.probs(X)],
      ['sampleDetailed', () => s.sampleDetailed(X)],
      ['logitsView', () => s.logitsView(10)],
      ['reseed', () => s.reseed(1)],
    ];
    for (const [name, call] of calls) {
      const inLogits = [...X];
      Object.defineProperty(inLogits, 1, { get: () => call() });
      thrown(() => s.sample(inLogits), Error, /^re-entrant call: /);
      const inParams = {
        get topK() {
          return call();
        },
      };
      thrown(() => s.probs(X, inParams as SamplingParams), Error, /^re-entrant call: /);
      const inBias = {
        get 3() {
          return call();
        },
      };
      thrown(() => s.sampleDetailed(X, { logitBias: inBias as Record<number, number> }), Error, /^re-entrant call: /);
      // Nothing was consumed and nothing is stuck, whichever method was tried.
      expect(draws(s, X, {}, 2), name).toEqual(draws(twin, X, {}, 2));
    }
    const disposing = [...X];
    Object.defineProperty(disposing, 0, { get: () => s.dispose() });
    thrown(() => s.sample(disposing), Error, /dispose\(\) was called from inside a call of the same sampler/);
    expect(s.sample(X)).toBe(twin.sample(X));
  });

  test('a second sampler may be called from inside the first', async () => {
    const [s, twin] = await twins(backend, 6);
    const other = await createSampler({ backend, seed: 60 });
    const inner: number[] = [];
    const tricky = [...X];
    Object.defineProperty(tricky, 4, {
      get() {
        inner.push(other.sample(X));
        return 0;
      },
    });
    expect(s.sample(tricky)).toBe(twin.sample(X));
    expect(inner).toHaveLength(1);
  });
});

describe.each(BACKENDS)('7. arrays from another realm (%s)', (backend) => {
  test('Float32Array, Float64Array, number[] logits; Uint32Array mask; Int32Array history; out', async () => {
    const s = await createSampler({ backend, seed: 7 });
    const x = makeLogits(100, 'peaked', 7);
    const same = (a: Float32Array | Float64Array | number[], p: SamplingParams = {}) => {
      s.reseed(70);
      const t = draws(s, a, p, 3);
      const pr = s.probs(a, p);
      s.reseed(70);
      expect(t).toEqual(draws(s, x, p, 3));
      expect(pr).toEqual(s.probs(x, p));
    };
    same(foreignCopy(x));
    same(foreignCopy(new Float64Array(x)));
    same(foreign<number[]>(`[${Array.from(x).join(',')}]`));
    const mask = new Uint32Array(4).fill(0x0f0f0f0f);
    same(x, { allowed: foreignCopy(mask) });
    expect(s.probs(x, { allowed: foreignCopy(mask) })).toEqual(s.probs(x, { allowed: mask }));
    const history = Int32Array.from([1, 5, 5, 9]);
    const penalties = { repetitionPenalty: 1.5, presencePenalty: 0.5 };
    expect(s.probs(x, { history: foreignCopy(history), ...penalties })).toEqual(s.probs(x, { history, ...penalties }));
    const ids = Int32Array.from([3, 4]);
    const values = Float32Array.from([2, -Infinity]);
    expect(s.probs(x, { logitBias: { ids: foreignCopy(ids), values: foreignCopy(values) } })).toEqual(
      s.probs(x, { logitBias: { ids, values } }),
    );
    const map = foreign<Map<number, number>>('new Map([[3, 2], [4, -Infinity]])');
    expect(s.probs(x, { logitBias: map })).toEqual(s.probs(x, { logitBias: { ids, values } }));
    const out = foreign<Float32Array>('new Float32Array(100)');
    expect(s.probs(x, {}, out)).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(s.probs(x)));
  });
});

describe('8. typos in createSampler options', () => {
  test.each([
    [{ sed: 42 }, /unknown createSampler option 'sed' \(did you mean 'seed'\?\)/],
    [{ Backend: 'wasm' }, /unknown createSampler option 'Backend' \(did you mean 'backend'\?\)/],
    [{ seed: 1, modul: null }, /unknown createSampler option 'modul' \(did you mean 'module'\?\)/],
    [{ backend: 'js', random_seed: 1 }, /unknown createSampler option 'random_seed'; known: backend, seed, module/],
  ])('%j is a TypeError with a hint, from createSampler and createSamplerSync', async (opts, message) => {
    await expect(createSampler(opts as object)).rejects.toThrow(TypeError);
    await expect(createSampler(opts as object)).rejects.toThrow(message);
    thrown(() => createSamplerSync(opts as object), TypeError, message);
  });
});

describe('9. options are read from own enumerable properties only', () => {
  const x = makeLogits(50, 'flat', 9);

  test('a polluted Object.prototype changes nothing', async () => {
    const s = await createSampler({ backend: 'js', seed: 9 });
    const plain = s.probs(x);
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.topP = 0.5;
      proto.topK = 1;
      proto.temperature = 0;
      proto.backend = 'js';
      proto.seed = 1;
      proto.topLogprobs = 5;
      expect(s.probs(x, {})).toEqual(plain);
      expect(s.probs(x, { minP: 0 })).toEqual(plain);
      expect(s.sampleDetailed(x, {}, {}).topLogprobs).toEqual([]);
      expect((await createSampler({})).backend).toBe('wasm-simd');
      expect((await createSampler()).backend).toBe('wasm-simd');
      const a = await createSampler({ backend: 'js' });
      const b = await createSampler({ backend: 'js' });
      // Random seeds, not the polluted one: 20 draws over 50 near-equal tokens never coincide.
      expect(draws(a, x, {}, 20)).not.toEqual(draws(b, x, {}, 20));
    } finally {
      for (const k of ['topP', 'topK', 'temperature', 'backend', 'seed', 'topLogprobs']) delete proto[k];
    }
  });

  test('inherited, non-enumerable and symbol-keyed properties are ignored', async () => {
    const s = await createSampler({ backend: 'js', seed: 9 });
    const plain = s.probs(x);
    expect(s.probs(x, Object.create({ topK: 1 }))).toEqual(plain);
    expect(s.probs(x, Object.defineProperty({}, 'topK', { value: 1, enumerable: false }))).toEqual(plain);
    expect(s.probs(x, { [Symbol('topK')]: 1 } as SamplingParams)).toEqual(plain);
    class Params {
      get topK() {
        return 1;
      }
    }
    expect(s.probs(x, new Params())).toEqual(plain);
  });

  test('an own "__proto__" key (from JSON.parse) is an unknown option, not a prototype', async () => {
    const s = await createSampler({ backend: 'js', seed: 9 });
    const params = JSON.parse('{"__proto__": {"topK": 1}}');
    thrown(() => s.probs(x, params), TypeError, /unknown sampling option '__proto__'/);
    thrown(
      () => createSamplerSync(JSON.parse('{"__proto__": {"seed": 1}}')),
      TypeError,
      /unknown createSampler option '__proto__'/,
    );
  });
});

describe('10. constrained and degenerate inputs give the right distribution', () => {
  /** Checks probs(input, params) against the float64 reference for `masked` (the same
   *  logits with the disallowed ones at -Infinity): kept sets equal, probabilities within
   *  PROB_TOLERANCE (the kernels flush p below 2^-53·p_max to 0); backends bit-identical. */
  async function checkAll(masked: Float32Array, input: Float32Array, params: SamplingParams) {
    const want = reference(masked, params);
    expect(want.ambiguous).toBe(false);
    const flush = 2 ** -53 * want.p.reduce((a, b) => Math.max(a, b), 0);
    const all = await Promise.all(BACKENDS.map((backend) => createSampler({ backend, seed: 10 })));
    const got = all.map((s) => s.probs(input, params));
    expect(bitsOf(got[1]!)).toEqual(bitsOf(got[0]!));
    expect(bitsOf(got[2]!)).toEqual(bitsOf(got[0]!));
    let kept = 0;
    for (let i = 0; i < masked.length; i++) {
      const w = want.p[i]!;
      const g = got[0]![i]!;
      if (g > 0) kept++;
      if (w > flush ? Math.abs(g - w) > PROB_TOLERANCE * w : g > 0)
        throw new Error(`token ${i}: float64 ${w}, got ${g}`);
    }
    const tokens = all.map((s) => draws(s, input, params, 20));
    expect(tokens[1]).toEqual(tokens[0]);
    expect(tokens[2]).toEqual(tokens[0]);
    for (const t of tokens[0]!) expect(want.p[t]).toBeGreaterThan(0);
    return kept;
  }

  test.each([13, 128])(
    'grammar-style masks: %i of 128,256 logits allowed, topK 40 / topP 0.9',
    async (allowedCount) => {
      const n = 128_256;
      const r = rng(allowedCount);
      const logits = makeLogits(n, 'flat', 10).map((v) => v * 3);
      const masked = new Float32Array(n).fill(-Infinity);
      const allowed = new Uint32Array(Math.ceil(n / 32));
      for (let k = 0; k < allowedCount; k++) {
        const i = Math.floor(r() * n);
        masked[i] = logits[i]!;
        allowed[i >> 5]! |= 1 << (i & 31);
      }
      for (const params of [
        { temperature: 0.7, topK: 40, topP: 0.9 },
        { temperature: 0.7, topK: 40 },
        { temperature: 1.5, minP: 0.05 },
      ]) {
        const kept = await checkAll(masked, masked, params);
        expect(kept).toBeGreaterThan(1); // a real choice, not a single survivor
        // The same constraint given as a bitmask over the unmasked logits.
        await checkAll(masked, logits, { ...params, allowed });
      }
    },
  );

  /** For near-ties: the kept set is a prefix of (probability desc, index asc), and its
   *  float64 mass reaches topP without the last token not (within `slack`). */
  async function checkTopPPrefix(x: Float32Array, topP: number, slack: number) {
    const want = reference(x, {}).p;
    const order = Array.from(want.keys()).sort((a, b) => want[b]! - want[a]! || a - b);
    const all = await Promise.all(BACKENDS.map((backend) => createSampler({ backend, seed: 10 })));
    const got = all.map((s) => s.probs(x, { topP }));
    expect(bitsOf(got[1]!)).toEqual(bitsOf(got[0]!));
    expect(bitsOf(got[2]!)).toEqual(bitsOf(got[0]!));
    const p = got[0]!;
    let kept = 0;
    while (kept < order.length && p[order[kept]!]! > 0) kept++;
    for (let r = kept; r < order.length; r++) if (p[order[r]!]! > 0) throw new Error(`rank ${r} kept after a gap`);
    let mass = 0;
    for (let r = 0; r < kept - 1; r++) mass += want[order[r]!]!;
    expect(mass).toBeLessThan(topP + slack);
    expect(mass + want[order[kept - 1]!]!).toBeGreaterThanOrEqual(topP - slack);
    let keptMass = 0;
    for (let r = 0; r < kept; r++) keptMass += want[order[r]!]!;
    for (let r = 0; r < kept; r++) {
      const i = order[r]!;
      expect(Math.abs(p[i]! - want[i]! / keptMass)).toBeLessThanOrEqual(PROB_TOLERANCE * (want[i]! / keptMass));
    }
  }

  test('near-uniform logits (1000 ± 1e-3) at 300,000 with topP 0.5', async () => {
    const r = rng(11);
    const x = Float32Array.from({ length: 300_000 }, () => 1000 + (r() - 0.5) * 2e-3);
    // Each token holds ≈ 3.3e-6 of the mass: float32 sums may move the cut by a token or two.
    await checkTopPPrefix(x, 0.5, 1e-5);
  });

  test('subnormal logits with top-p', async () => {
    const r = rng(12);
    const x = Float32Array.from({ length: 128_256 }, () => (r() - 0.5) * 2e-39);
    await checkTopPPrefix(x, 0.9, 1e-5);
    await checkTopPPrefix(x, 0.3, 1e-5);
  });
});

describe('11. messages', () => {
  const s = createSamplerSync({ seed: 11 });

  test('undefined, a function and an Int32Array are described briefly and correctly', () => {
    const ok = /^logits must be a Float32Array, Float64Array or number\[\], got /;
    expect(thrown(() => s.sample(undefined as never), TypeError, ok).message).toMatch(/got undefined$/);
    const fn = () => 'secret source';
    const m = thrown(() => s.sample(fn as never), TypeError, ok).message;
    expect(m).toMatch(/got a function$/);
    expect(m).not.toMatch(/secret/);
    expect(thrown(() => s.sample(new Int32Array(3) as never), TypeError, ok).message).toMatch(
      /got an Int32Array of length 3$/,
    );
    const long = 'x'.repeat(10_000);
    expect(thrown(() => s.sample(long as never), TypeError, ok).message.length).toBeLessThan(200);
  });

  test('{ constructor: 1 } is an unknown option without a made-up suggestion', () => {
    const m = thrown(
      () => s.sample([1, 2], { constructor: 1 } as never),
      TypeError,
      /unknown sampling option 'constructor'/,
    );
    expect(m.message).not.toMatch(/did you mean|native code/);
    thrown(() => s.sample([1, 2], { toString: 1 } as never), TypeError, /unknown sampling option 'toString'; known:/);
  });

  test('a detached buffer is called detached, not empty', () => {
    const x = new Float32Array([1, 2, 3]);
    structuredClone(x.buffer, { transfer: [x.buffer] });
    for (const call of [() => s.sample(x), () => s.probs(x), () => s.sampleDetailed(x)]) {
      thrown(call, RangeError, /logits' buffer is detached/);
    }
    thrown(() => s.sample(new Float32Array(0)), RangeError, /logits is empty/);
  });

  test('seed 2^64 (an integer, taken mod 2^64) is accepted and equals seed 0', async () => {
    const x = makeLogits(100, 'flat', 11);
    const a = await createSampler({ backend: 'js', seed: 2 ** 64 });
    const b = await createSampler({ backend: 'js', seed: 0 });
    expect(draws(a, x, {}, 10)).toEqual(draws(b, x, {}, 10));
    a.reseed(2 ** 64 + 2 ** 12);
    b.reseed(4096n);
    expect(draws(a, x, {}, 10)).toEqual(draws(b, x, {}, 10));
    thrown(() => createSamplerSync({ seed: 0.5 }), RangeError, /seed must be an integer \(taken mod 2\^64\), got 0.5/);
  });

  test('an object with a throwing length getter: the same TypeError from every method', () => {
    const o = {
      get length(): number {
        throw new Error('length getter ran');
      },
    };
    const type = /^logits must be a Float32Array, Float64Array or number\[\], got an object$/;
    thrown(() => s.sample(o as never), TypeError, type);
    thrown(() => s.probs(o as never), TypeError, type);
    thrown(() => s.probs(o as never, {}, new Float32Array(3)), TypeError, type);
    thrown(() => s.sampleDetailed(o as never), TypeError, type);
  });
});

describe.each(BACKENDS)('12. a logitsView holds what the caller wrote, whatever else runs (%s)', (backend) => {
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

describe.each(BACKENDS)('12. a view given to the very call that grows memory (%s)', (backend) => {
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

describe('13. cost per sampler', () => {
  test('200 WASM samplers: one compilation per build, small memory each for a small vocabulary', async () => {
    vi.resetModules();
    const entry = await import('../../src/index.js');
    const compile = vi.spyOn(WebAssembly, 'compile');
    try {
      const x = makeLogits(1000, 'peaked', 13);
      const all: Sampler[] = [];
      for (let i = 0; i < 100; i++) all.push(await entry.createSampler({ backend: 'wasm-simd', seed: i }));
      for (let i = 0; i < 100; i++) all.push(await entry.createSampler({ backend: 'wasm', seed: i }));
      expect(compile).toHaveBeenCalledTimes(2);
      let total = 0;
      for (const s of all) {
        s.sample(x, { topK: 40, topP: 0.9 });
        // A 1000-token vocabulary: the fixed regions plus ~40 bytes a token, far below the
        // 8.8 MB the old code reserved per sampler.
        expect(s.memoryBytes).toBeLessThanOrEqual(2 ** 20);
        total += s.memoryBytes;
      }
      expect(total).toBeLessThanOrEqual(200 * 2 ** 20);
      // Independent: same seed, same tokens, whatever the other 199 did.
      const fresh = await entry.createSampler({ backend: 'wasm-simd', seed: 5 });
      all[5]!.reseed(5);
      expect(draws(all[5]!, x, {}, 5)).toEqual(draws(fresh, x, {}, 5));
      for (const s of all) s.dispose();
    } finally {
      compile.mockRestore();
    }
  });

  test('a js sampler for a small vocabulary is small too', async () => {
    const s = await createSampler({ backend: 'js', seed: 13 });
    s.sample(makeLogits(1000, 'peaked', 13), { topK: 40, topP: 0.9 });
    expect(s.memoryBytes).toBeLessThanOrEqual(2 ** 20);
  });
});
