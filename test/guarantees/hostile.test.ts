// Every public path, fed what a hostile or careless caller can pass: wrong `out` arrays,
// throwing getters, proxies, detached buffers, arrays that lie about their length, invalid
// values behind a mask, the float32 extremes, subnormals and -0. Each call either gives the
// right answer or a clear TypeError/RangeError (or the caller's own error), and the sampler is
// unharmed afterwards: its next draws are those of a twin that never saw the bad call.
import { describe, expect, test } from 'vitest';
import { createSampler, createSamplerSync, type Sampler, type SamplingParams } from '../../src/index.js';
import { samplerProcessor } from '../../src/transformers.js';
import { BACKENDS, draws, twins } from '../support/backends.js';
import { CHECKED } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { foreign, foreignCopy } from '../support/realm.js';
import { thrown } from '../support/thrown.js';

const F32_MAX = 3.4028234663852886e38;
const X = [0.5, 1, 2, -1, 0];

/** A transferred (detached) copy of a typed array. */
function detached<T extends Float32Array | Uint32Array | Int32Array>(a: T): T {
  structuredClone(a.buffer, { transfer: [a.buffer] });
  return a;
}

/** The same array, claiming another length through an own `length` property. */
function lying<T extends Float32Array | Uint32Array | Int32Array>(a: T, length: number): T {
  return Object.defineProperty(a, 'length', { value: length });
}

/** softmax(x − max) in float64. */
function softmax(x: number[]): number[] {
  const m = Math.max(...x);
  const w = x.map((v) => (v === -Infinity ? 0 : Math.exp(v - m)));
  const s = w.reduce((a, b) => a + b, 0);
  return w.map((v) => v / s);
}

describe.each(BACKENDS)('%s', (backend) => {
  let s: Sampler;
  let twin: Sampler;
  /** After the bad calls (and `samples` good sample() calls, one uniform each): the sampler
   *  still draws exactly what its twin draws. */
  const unharmed = (samples = 0) => {
    for (let i = 0; i < samples; i++) twin.sample(X);
    expect([s.sample(X), s.sample(X, { topK: 2 })]).toEqual([twin.sample(X), twin.sample(X, { topK: 2 })]);
    expect(s.probs(X)).toEqual(twin.probs(X));
  };
  const fresh = async () => {
    s = await createSampler({ backend, seed: 31 });
    twin = await createSampler({ backend, seed: 31 });
  };

  describe('probs() out', () => {
    test('of another type or length: TypeError / RangeError naming out', async () => {
      await fresh();
      thrown(
        () => s.probs(X, {}, new Float64Array(5) as never),
        TypeError,
        /^out must be a Float32Array, got a Float64Array of length 5$/,
      );
      thrown(
        () => s.probs(X, {}, [0, 0, 0, 0, 0] as never),
        TypeError,
        /^out must be a Float32Array, got an array of length 5$/,
      );
      thrown(() => s.probs(X, {}, null as never), TypeError, /^out must be a Float32Array, got null$/);
      thrown(
        () => s.probs(X, {}, new Float32Array(4)),
        RangeError,
        /^out must have the logits' length 5, got length 4$/,
      );
      thrown(() => s.probs(X, {}, new Float32Array(6)), RangeError, /got length 6/);
      thrown(
        () => s.probs(X, {}, new Proxy(new Float32Array(5), {})),
        TypeError,
        /out must be a Float32Array, got an object/,
      );
      unharmed();
    });

    test('detached, or lying about its length: a clear RangeError', async () => {
      await fresh();
      thrown(() => s.probs(X, {}, detached(new Float32Array(5))), RangeError, /out.*detached/);
      thrown(
        () => s.probs(X, {}, lying(new Float32Array(3), 5)),
        RangeError,
        /out must have the logits' length 5, got length 3/,
      );
      unharmed();
    });

    test('a part of a larger buffer, the logits themselves, or a logitsView: written exactly', async () => {
      await fresh();
      const want = twin.probs(X);
      const big = new Float32Array(20).fill(7);
      const out = big.subarray(10, 15);
      expect(s.probs(X, {}, out)).toBe(out);
      expect(out).toEqual(want);
      expect(Array.from(big.subarray(0, 10))).toEqual(Array(10).fill(7));
      expect(Array.from(big.subarray(15))).toEqual(Array(5).fill(7));
      const x = Float32Array.from(X);
      expect(s.probs(x, {}, x)).toEqual(want); // in place, as asked
      const view = s.logitsView(5);
      expect(s.probs(X, {}, view)).toEqual(want);
      expect(s.probs(view, { temperature: 0 })).toEqual(twin.probs(want, { temperature: 0 }));
      unharmed();
    });
  });

  describe('logitBias as { ids, values }: entries checked where they are applied', () => {
    // The fast form is the caller's own arrays, checked by the kernels in the loop that
    // applies them: a bad entry after good ones must still leave the logits as they were.
    const n = 300;
    const logits = makeLogits(n, 'lm', 5);
    const cases: [string, number[], number[], RegExp][] = [
      ['an id past the end', [3, 7, n], [1, 2, 3], /^logitBias\.ids\[2\] is 300, outside the vocabulary \[0, 300\)$/],
      ['a negative id', [-1], [1], /^logitBias\.ids\[0\] is -1, outside the vocabulary/],
      ['the largest int32 id', [5, 2 ** 31 - 1], [1, 1], /^logitBias\.ids\[1\] is 2147483647, outside/],
      ['a NaN value', [3, 7, 9], [1, Number.NaN, 3], /^logitBias\.values\[1\] is NaN; a bias is finite or -Infinity/],
      ['a +Infinity value', [3], [Infinity], /^logitBias\.values\[0\] is Infinity; a bias is finite/],
    ];
    test.each(cases)(
      '%s: RangeError naming the entry; logits unchanged, nothing consumed',
      async (_, ids, values, re) => {
        await fresh();
        const logitBias = { ids: Int32Array.from(ids), values: Float32Array.from(values) };
        const view = s.logitsView(n);
        view.set(logits);
        for (const call of [
          () => s.sample(view, { logitBias, temperature: 0.8 }),
          () => s.sample(logits, { logitBias, temperature: 0 }),
          () => s.sampleDetailed(view, { logitBias, allowed: new Uint32Array(10).fill(-1) }, { topLogprobs: 3 }),
          () => s.probs(view, { logitBias, topP: 0.9 }),
        ]) {
          thrown(call, RangeError, re);
          expect(Array.from(view)).toEqual(Array.from(logits));
        }
        unharmed();
      },
    );
  });

  // The rest are the wrapper's checks, the same code on every build (their numbers are the
  // kernels', which test/parity/ proves identical): on wasm-simd alone.
  if (backend !== CHECKED) return;

  describe('getters that throw: the caller’s own error comes through, nothing is consumed', () => {
    test.each<[string, (s: Sampler, boom: () => never) => unknown]>([
      [
        'a params getter (sample)',
        (s, boom) =>
          s.sample(X, {
            get topK() {
              return boom();
            },
          } as SamplingParams),
      ],
      [
        'a params getter (probs)',
        (s, boom) =>
          s.probs(X, {
            get temperature() {
              return boom();
            },
          } as SamplingParams),
      ],
      [
        'a sampleDetailed option getter',
        (s, boom) =>
          s.sampleDetailed(X, {}, {
            get topLogprobs() {
              return boom();
            },
          } as never),
      ],
      [
        'a logitBias value getter',
        (s, boom) =>
          s.sample(X, {
            logitBias: {
              get 2() {
                return boom();
              },
            },
          }),
      ],
      [
        'a dynamicTemperature getter',
        (s, boom) =>
          s.sample(X, {
            dynamicTemperature: {
              min: 0.5,
              get max() {
                return boom();
              },
            },
          }),
      ],
      [
        'a history element getter',
        (s, boom) => s.sample(X, { history: Object.defineProperty([1, 2], 1, { get: boom }), presencePenalty: 1 }),
      ],
      ['a logits element getter', (s, boom) => s.sample(Object.defineProperty([...X], 3, { get: boom }))],
      ['a Proxy over the params', (s, boom) => s.sample(X, new Proxy({ topK: 1 }, { ownKeys: boom }))],
      [
        'a Proxy over the logits',
        (s, boom) => s.probs(new Proxy([...X], { get: (t, k) => (k === '2' ? boom() : Reflect.get(t, k)) })),
      ],
    ])('%s', async (_, call) => {
      await fresh();
      const mine = new Error('the caller’s own error');
      const boom = (): never => {
        throw mine;
      };
      let error: unknown;
      try {
        call(s, boom);
      } catch (e) {
        error = e;
      }
      expect(error).toBe(mine);
      unharmed();
    });

    test('in createSampler / createSamplerSync options', async () => {
      const mine = new Error('options getter');
      const opts = {
        get seed(): number {
          throw mine;
        },
      };
      await expect(createSampler(opts)).rejects.toBe(mine);
      expect(() => createSamplerSync(opts)).toThrow(mine);
    });
  });

  describe('proxies and foreign shapes as logits', () => {
    test('a Proxy of an array is read like the array; of a typed array it is rejected', async () => {
      await fresh();
      expect(s.sample(new Proxy([...X], {}), { topP: 0.9 })).toBe(twin.sample(X, { topP: 0.9 }));
      thrown(() => s.sample(new Proxy(new Float32Array(X), {})), TypeError, /got an object$/);
      const { proxy, revoke } = Proxy.revocable([...X], {});
      revoke();
      thrown(() => s.sample(proxy), TypeError, /./);
      for (const bad of [
        new Uint8Array(5),
        new DataView(new ArrayBuffer(20)),
        new ArrayBuffer(20),
        'abc',
        5,
        Symbol('x'),
      ]) {
        thrown(
          () => s.sample(bad as never),
          TypeError,
          /^logits must be a Float32Array, Float64Array or number\[\], got /,
        );
      }
      unharmed();
    });

    test('a typed array that lies about its length is read by its real length', async () => {
      await fresh();
      // Something else was read first, so stale memory past the real end would show.
      s.sample(Float32Array.from({ length: 8 }, (_, i) => 10 * i));
      twin.sample(Float32Array.from({ length: 8 }, (_, i) => 10 * i));
      const short = lying(Float32Array.from([0, 1, 5]), 8);
      expect(s.sample(short, { temperature: 0 })).toBe(2);
      expect(s.probs(short).length).toBe(3);
      const long = lying(Float32Array.from([0, 1, 5, 9]), 2);
      expect(s.sample(long, { temperature: 0 })).toBe(3);
      // A mask and bias ids that lie are read by their real length too: rejected here.
      thrown(
        () => s.sample(new Float32Array(40), { allowed: lying(new Uint32Array(1), 2) }),
        RangeError,
        /allowed must have .* = 2 words for 40 tokens, got 1/,
      );
      const ids = lying(Int32Array.from([1]), 2);
      thrown(
        () => s.sample(X, { logitBias: { ids, values: Float32Array.from([1, 1]) } }),
        RangeError,
        /ids and .values must have one length, got 1 and 2/,
      );
      unharmed(2);
    });

    test('a detached buffer in any argument is called detached', async () => {
      await fresh();
      thrown(() => s.sample(detached(Float32Array.from(X))), RangeError, /logits' buffer is detached/);
      thrown(() => s.sample(X, { allowed: detached(new Uint32Array(1)) }), RangeError, /allowed.*detached/);
      thrown(
        () => s.sample(X, { history: detached(Int32Array.from([1])), presencePenalty: 1 }),
        RangeError,
        /history.*detached/,
      );
      const ids = detached(Int32Array.from([1]));
      const values = detached(Float32Array.from([1]));
      thrown(() => s.sample(X, { logitBias: { ids, values } }), RangeError, /logitBias.*detached/);
      unharmed();
    });
  });

  describe('values', () => {
    test('NaN or +Infinity is rejected even where the token is masked', async () => {
      await fresh();
      const allowed = new Uint32Array([0b101]);
      thrown(
        () => s.sample([1, NaN, 2], { allowed }),
        RangeError,
        /^logits\[1\] is NaN; logits must be finite numbers or -Infinity \(masked\)$/,
      );
      thrown(() => s.probs([1, Infinity, 2], { allowed }), RangeError, /^logits\[1\] is Infinity;/);
      thrown(() => s.sample([1, NaN, 2], { logitBias: { 1: -Infinity } }), RangeError, /^logits\[1\] is NaN;/);
      thrown(
        () => s.sample([0.5, NaN, 0.5], { input: 'probs', allowed }),
        RangeError,
        /^logits\[1\] is NaN; with input 'probs' every entry must be a finite probability ≥ 0$/,
      );
      thrown(
        () => s.sample([0.5, -1, 0.5], { input: 'probs', allowed }),
        RangeError,
        /^logits\[1\] is -1; with input 'probs'/,
      );
      unharmed();
    });

    test('logits exactly at ±3.4028234663852886e38 (the float32 extremes)', async () => {
      await fresh();
      expect(Array.from(s.probs([F32_MAX, -F32_MAX]))).toEqual([1, 0]);
      expect(Array.from(s.probs([F32_MAX, F32_MAX]))).toEqual([0.5, 0.5]);
      expect(Array.from(s.probs([-F32_MAX, -F32_MAX, -Infinity]))).toEqual([0.5, 0.5, 0]);
      expect(s.sample([-F32_MAX, F32_MAX, F32_MAX], { temperature: 0 })).toBe(1);
      // softmax((x − max)/T) in float64: 6.8e38/1e38 = 6.8 nats apart.
      const p = s.probs([F32_MAX, -F32_MAX], { temperature: 1e38 });
      const want = 1 / (1 + Math.exp(-(2 * F32_MAX) / 1e38));
      expect(Math.abs(p[0]! - want)).toBeLessThan(1e-6);
      // Float64 values that round to the largest float32 are it; the next ones are not floats.
      expect(Array.from(s.probs(new Float64Array([3.4028235677973362e38, 0])))).toEqual([1, 0]);
      thrown(
        () => s.sample(new Float64Array([3.4028235677973366e38, 0])),
        RangeError,
        /^logits\[0\] is 3.4028235677973366e\+38, outside the float32 range/,
      );
      thrown(() => s.sample([0, -1e39]), RangeError, /^logits\[1\] is -1e\+39, outside the float32 range/);
      // A bias or penalty that pushes a logit past the range is reported as such.
      thrown(
        () => s.sample([F32_MAX, 0], { logitBias: { 0: 1e38 } }),
        RangeError,
        /logitBias pushed logits\[\d+\] .* past the float32 range/,
      );
      unharmed(1);
    });

    test('subnormal logits: uniform probabilities, exact logit order for greedy and top-k', async () => {
      await fresh();
      const x = [1e-45, 0, -1e-45, 2e-40];
      const p = s.probs(x);
      for (const v of p) expect(Math.abs(v - 0.25)).toBeLessThan(1e-6);
      expect(s.sample(x, { temperature: 0 })).toBe(3);
      // e^(x − max) of a subnormal gap is exactly 1 in float32 and in float64 alike: every
      // probability is 1/4, so top-p's ties go by index, while top-k compares the logits.
      expect(Array.from(s.probs(x, { topP: 0.3 }))).toEqual([0.5, 0.5, 0, 0]);
      expect(Array.from(s.probs(x, { topK: 2 }), (v) => v > 0)).toEqual([true, false, false, true]);
      // Greater than a subnormal gap: temperature 1e-38 makes 1e-37 vs 0 a 10-nat gap.
      const q = s.probs([1e-37, 0], { temperature: 1e-38 });
      const want = softmax([Math.fround(1e-37) / 1e-38, 0]);
      expect(Math.abs(q[0]! - want[0]!)).toBeLessThan(1e-6);
      unharmed(1);
    });

    test('-0 is 0: a tie with 0 everywhere, and probability 0 with input probs', async () => {
      await fresh();
      expect(s.sample([-0, 0], { temperature: 0 })).toBe(0);
      expect(s.sample([0, -0], { temperature: 0 })).toBe(0);
      expect(s.sample([-1, -0, 0], { temperature: 0 })).toBe(1);
      expect(Array.from(s.probs([-0, 0]))).toEqual([0.5, 0.5]);
      expect(Array.from(s.probs([-0, 0, -1], { topK: 1 }))).toEqual([0.5, 0.5, 0]);
      expect(Array.from(s.probs([0, -0, -5], { topP: 0.4 }))).toEqual([1, 0, 0]);
      expect(Array.from(s.probs([-0, 0, -5], { topP: 0.4 }))).toEqual([1, 0, 0]);
      expect(Array.from(s.probs([-0, 1], { input: 'probs' }))).toEqual([0, 1]);
      expect(s.probs(X, { temperature: -0 })).toEqual(s.probs(X, { temperature: 0 }));
      expect(s.probs(X, { logitBias: { 1: -0 }, minP: -0 })).toEqual(s.probs(X));
      unharmed(3);
    });
  });

  describe('logitsView(n) and reseed(seed)', () => {
    test('bad n and bad seeds are TypeError/RangeError naming the value', async () => {
      await fresh();
      for (const n of [0, -1, 2.5, NaN, Infinity, 2 ** 53, 1e308]) {
        thrown(() => s.logitsView(n), RangeError, /^n must be an integer in \[1, 16777216\], got /);
      }
      for (const n of ['8', 8n, null, undefined, {}, [8]])
        thrown(() => s.logitsView(n as never), TypeError, /^n must be a number, got /);
      for (const seed of [0.5, NaN, -Infinity])
        thrown(() => s.reseed(seed), RangeError, /^seed must be an integer \(taken mod 2\^64\), got /);
      for (const seed of ['1', null, undefined, {}, [1]])
        thrown(() => s.reseed(seed as never), TypeError, /^seed must be an integer number or a bigint, got /);
      unharmed();
    });
  });
});

// The adapter checks its input like the sampler does (issue 7's items 7, 9 and 11): tensors of
// other realms, own options only, short descriptions.
describe('the transformers.js adapter', () => {
  const tensor = (data: Float32Array) => ({ dims: [1, data.length], data });

  test('draws a row and leaves only that token finite', () => {
    const s = createSamplerSync({ seed: 3 });
    const out = samplerProcessor(s, { temperature: 0 })([[1n]], tensor(Float32Array.from(X)));
    expect(Array.from(out.data as Float32Array)).toEqual([-Infinity, -Infinity, 0, -Infinity, -Infinity]);
  });

  test('accepts tensor data from another realm', () => {
    const s = createSamplerSync({ seed: 3 });
    const data = foreignCopy(Float32Array.from(X));
    samplerProcessor(s, { temperature: 0 })([[1n]], tensor(data));
    expect(Array.from(data)).toEqual([-Infinity, -Infinity, 0, -Infinity, -Infinity]);
  });

  test('ignores a polluted Object.prototype', () => {
    const proto = Object.prototype as Record<string, unknown>;
    try {
      proto.verbose = true;
      expect(() => samplerProcessor(createSamplerSync({ seed: 3 }), {}, {})).not.toThrow();
    } finally {
      delete proto.verbose;
    }
  });

  test('describes undefined and functions briefly', () => {
    const s = createSamplerSync({ seed: 3 });
    const process = samplerProcessor(s);
    thrown(() => process([[1n]], { dims: [1, 1], data: undefined }), TypeError, /got data undefined$/);
    thrown(() => samplerProcessor(s, (() => 'secret source') as never), TypeError, /got a function$/);
  });
});

// A getter that calls the sampler it is read by (issue 7, item 6).
describe('params never carry over from one call to the next', () => {
  // The params record is reused and only the names the last call set are cleared: a name set
  // once, by a call that then threw, or by a nested object, must be gone the call after.
  test('each call reads only its own params', async () => {
    const s = await createSampler({ backend: CHECKED, seed: 3 });
    const x = makeLogits(300, 'flat', 4);
    // What a sampler that never saw another call gives.
    const alone = async (p: SamplingParams | undefined) => (await createSampler({ backend: CHECKED })).probs(x, p);
    const calls: (SamplingParams | undefined)[] = [
      { temperature: 0, topK: 5 },
      {},
      { topP: 0.5, dynamicTemperature: { min: 0.5, max: 2 } },
      undefined,
      { minP: 0.2, xtc: { probability: 1, threshold: 0.01 } },
      { temperature: 0.7 },
    ];
    for (const p of calls) {
      s.sample(x, p);
      expect(s.probs(x, p)).toEqual(await alone(p));
    }
    // A call that throws after setting some names (the unknown one comes last).
    expect(() => s.sample(x, { temperature: 0, topK: 3, tpoP: 0.5 } as SamplingParams)).toThrow(/tpoP/);
    for (const p of [undefined, {}, { temperature: 1.3 }]) expect(s.probs(x, p)).toEqual(await alone(p));
  });
});

describe('re-entrancy', () => {
  const backend = CHECKED;
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

// Arrays built by another realm's constructors (issue 7, item 7).
describe('arrays from another realm', () => {
  const backend = CHECKED;
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
