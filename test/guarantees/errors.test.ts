// Bad input gets a TypeError/RangeError naming the parameter and the value; the sampler stays
// usable, the call consumes no random value and the caller's array is untouched; options are
// read from own enumerable properties only. Each control's own errors are in its suite
// (test/controls/); hostile input (getters, proxies, lying arrays) in hostile.test.ts. The
// wrapper's checks are the same code on every build: on wasm-simd (the errors the kernels
// find: test/parity/errors.test.ts, on the three builds).
import { describe, expect, test } from 'vitest';
import { createMirostat, createSampler, createSamplerSync, type SamplingParams } from '../../src/index.js';
import { BACKENDS, draws } from '../support/backends.js';
import { CHECKED } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { foreign } from '../support/realm.js';
import { thrown } from '../support/thrown.js';

const good = new Float32Array([1, 2, 3, -Infinity, 0.5]);

describe('bad input is rejected, naming what and why', () => {
  const backend = CHECKED;
  const make = () => createSampler({ backend, seed: 1 });

  test.each([
    [null, TypeError, /logits must be a Float32Array/],
    [undefined, TypeError, /logits must be a Float32Array, Float64Array or number\[\], got undefined$/],
    [() => 1, TypeError, /logits must be .*, got a function$/],
    ['1,2,3', TypeError, /got "1,2,3"/],
    [new Int32Array(3), TypeError, /got an Int32Array of length 3/],
    [{ length: 3 }, TypeError, /logits must be/],
    [new Float32Array(0), RangeError, /logits is empty/],
    [[], RangeError, /logits is empty/],
    [new Float32Array([1, NaN, 2]), RangeError, /logits\[1\] is NaN/],
    [new Float64Array([0, 1, Infinity]), RangeError, /logits\[2\] is Infinity/],
    [[0, 1e39], RangeError, /logits\[1\] is 1e\+39, outside the float32 range/],
    [[0, '1'], TypeError, /logits\[1\] must be a number, got "1"/],
    [
      new Float32Array([-Infinity, -Infinity]),
      RangeError,
      /every token is masked \(-Infinity.*none can be drawn \(length 2\)/,
    ],
  ])('logits %#', async (logits, type, message) => {
    const s = await make();
    expect(() => s.sample(logits as Float32Array)).toThrow(type);
    expect(() => s.sample(logits as Float32Array)).toThrow(message);
    expect(() => s.probs(logits as Float32Array)).toThrow(message);
    // Still usable, and the rejected calls consumed nothing: the draw is a fresh sampler's first.
    const token = s.sample(good);
    expect([0, 1, 2, 4]).toContain(token);
    expect(token).toBe((await make()).sample(good));
  });

  test.each([
    ['greedy', /params must be an object like \{ temperature, .*\}, got "greedy"/],
    [5, /params must be an object like \{ temperature, .*\}, got 5/],
  ])('params %o', async (params, message) => {
    const s = await make();
    expect(() => s.sample(good, params as never)).toThrow(TypeError);
    expect(() => s.sample(good, params as never)).toThrow(message);
    expect(() => s.probs(good, params as never)).toThrow(message);
    expect(s.sample(good, { temperature: 0 })).toBe(2);
  });

  test('probs() out must be a Float32Array of the logits length', async () => {
    const s = await make();
    expect(() => s.probs(good, {}, new Float32Array(4))).toThrow(/out must have the logits' length 5, got length 4/);
    expect(() => s.probs(good, {}, new Float64Array(5) as unknown as Float32Array)).toThrow(TypeError);
  });

  test('logitsView(n) needs a positive integer', async () => {
    const s = await make();
    expect(() => s.logitsView(0)).toThrow(/n must be an integer in \[1, 16777216\], got 0/);
    expect(() => s.logitsView(1.5)).toThrow(RangeError);
    expect(() => s.logitsView('8' as unknown as number)).toThrow(TypeError);
  });

  test('seed: any integer number or bigint, taken mod 2^64; anything else is rejected', async () => {
    const s = await make();
    expect(() => s.reseed(1.5)).toThrow(RangeError);
    expect(() => s.reseed(1.5)).toThrow(/seed must be an integer \(taken mod 2\^64\), got 1.5/);
    expect(() => s.reseed(Number.NaN)).toThrow(/seed must be an integer.*got NaN/);
    expect(() => s.reseed(Infinity)).toThrow(/seed must be an integer.*got Infinity/);
    expect(() => s.reseed('1' as unknown as number)).toThrow(TypeError);
    expect(() => s.reseed('1' as unknown as number)).toThrow(/seed must be an integer number or a bigint, got "1"/);
    // Integers beyond 2^53 and negative ones are seeds too, reduced mod 2^64.
    const draws = (seed: number | bigint) => {
      s.reseed(seed);
      return Array.from({ length: 8 }, () => s.sample(good));
    };
    expect(draws(2 ** 64)).toEqual(draws(0));
    expect(draws(-1)).toEqual(draws(2n ** 64n - 1n));
    expect(draws(2 ** 70 + 2 ** 64)).toEqual(draws(0n));
  });

  // The message is built from what the kernels read, in the fewest digits naming that float32:
  // an element of a number[] (a getter, perhaps) is read once, also when the call fails.
  test.each([
    ['a NaN', Number.NaN, {}, /^logits\[1\] is NaN; logits must be finite/],
    ['a negative probability', -0.1, { input: 'probs' }, /^logits\[1\] is -0\.1; with input 'probs'/],
    ['a bias pushing past float32', 3e38, { logitBias: { 1: 1e38 } }, /^logitBias pushed logits\[1\] \(3e\+38\)/],
  ])('%s in a number[] element getter: read once, named by the value read', async (_, value, params, message) => {
    const s = await make();
    let reads = 0;
    const logits = Object.defineProperty([0.5, 0, 0.25], 1, {
      get: () => {
        reads++;
        return reads === 1 ? value : 0.5;
      },
    }) as number[];
    expect(() => s.sample(logits, params as never)).toThrow(message);
    expect(reads).toBe(1);
  });

  // Every float32 is named by 9 significant digits at most; some need all 9.
  test.each(BACKENDS)('%s: a value that needs nine digits is named in nine', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    for (const [v, text] of [
      [-122880.4453125, '-122880.445'],
      [-1.4088236531691577e-14, '-1.40882365e-14'],
    ] as const) {
      expect(Math.fround(Number(text))).toBe(v);
      thrown(
        () => s.sample(new Float32Array([0.5, v]), { input: 'probs' }),
        RangeError,
        new RegExp(`^logits\\[1\\] is ${text.replace(/[.+]/g, '\\$&')}; with input 'probs'`),
      );
    }
  });

  test("the caller's logits are never modified", async () => {
    const s = await make();
    const x = new Float32Array(5000).map((_, i) => Math.sin(i) * 5);
    x[7] = -Infinity;
    const copy = x.slice();
    const arr = Array.from(copy);
    for (const params of [
      {},
      { temperature: 0 },
      { topK: 40, topP: 0.9 },
      { minP: 0.1 },
      { temperature: 0.3, topP: 0.5 },
    ]) {
      s.sample(x, params);
      s.probs(x, params);
      s.sample(arr, params);
    }
    expect(x).toEqual(copy);
    expect(arr).toEqual(Array.from(copy));
  });
});

// A view of a resizable buffer reads as empty once the buffer shrinks below it: the error says
// so, where "logits is empty" alone pointed at the caller's array and not at its buffer.
/** ES2024's resizable and growable buffers (Node 20 has them; the project's lib is ES2022). */
const Resizable = ArrayBuffer as unknown as new (
  bytes: number,
  options: { maxByteLength: number },
) => ArrayBuffer & { resize(bytes: number): void };
const Growable = SharedArrayBuffer as unknown as new (
  bytes: number,
  options: { maxByteLength: number },
) => SharedArrayBuffer;

describe.each(BACKENDS)('%s: logits on a buffer that shrank below them', (backend) => {
  test('a RangeError naming the buffer, from every method; an empty array keeps its own message', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const buffer = new Resizable(64, { maxByteLength: 128 });
    const x = new Float32Array(buffer, 16, 4);
    buffer.resize(8);
    const shrank =
      /^logits is empty: it is a view of a resizable buffer that now holds 8 bytes, which may end before it; need one logit per vocabulary entry$/;
    thrown(() => s.sample(x), RangeError, shrank);
    thrown(() => s.probs(x), RangeError, shrank);
    thrown(() => s.sampleDetailed(x), RangeError, shrank);
    const shared = new Float32Array(new Growable(8, { maxByteLength: 64 }), 8);
    thrown(() => s.sample(shared), RangeError, shrank);
    thrown(() => s.sample(new Float32Array(0)), RangeError, /^logits is empty: need one logit per vocabulary entry$/);
    // Grown back, the same view reads its logits again.
    buffer.resize(64);
    x.set([0, 5, 1, 2]);
    expect(s.sample(x, { temperature: 0 })).toBe(1);
  });
});

describe('options', () => {
  test.each([
    [{ backend: 'gpu' }, RangeError, /backend must be one of 'auto', 'wasm-simd', 'wasm', 'js', got "gpu"/],
    [{ seed: 'x' }, TypeError, /seed must be/],
    [{ module: new Uint8Array(8) }, TypeError, /module must be a WebAssembly.Module/],
    [42, TypeError, /createSampler options must be an object like \{ backend, seed, module \}, got 42/],
    [{ sed: 42 }, TypeError, /unknown createSampler option 'sed' \(did you mean 'seed'\?\)/],
  ])('createSampler(%j)', async (opts, type, message) => {
    await expect(createSampler(opts as object)).rejects.toThrow(type);
    await expect(createSampler(opts as object)).rejects.toThrow(message);
  });

  test('createSamplerSync needs a module for WASM backends', () => {
    expect(() => createSamplerSync({ backend: 'wasm-simd' })).toThrow(/needs opts.module/);
    expect(createSamplerSync({ seed: 1 }).backend).toBe('js');
  });
});

describe('typos in createSampler options (issue 7, item 8)', () => {
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

describe('options are read from own enumerable properties only (issue 7, item 9)', () => {
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

  // A Map's entries are no properties: read as an object it gave no options at all, silently —
  // createSampler(new Map([['seed', 1]])) a random seed, sample(x, new Map([['temperature',
  // 0]])) a draw at T = 1.
  test.each(BACKENDS)('%s: a Map or Set of any realm where options go is a TypeError', async (backend) => {
    const s = await createSampler({ backend, seed: 9 });
    const fresh = await createSampler({ backend, seed: 9 });
    const maps: [unknown, string][] = [
      [new Map([['temperature', 0]]), 'a Map'],
      [foreign('new Map([["temperature", 0]])'), 'a Map'],
      [new Set(['topK']), 'a Set'],
      [new WeakMap(), 'a WeakMap'],
    ];
    for (const [m, what] of maps) {
      const got = new RegExp(`got ${what}: its entries are not options$`);
      thrown(() => s.sample(x, m as SamplingParams), TypeError, /^params must be an object like \{ temperature, /);
      thrown(() => s.probs(x, m as SamplingParams), TypeError, got);
      thrown(() => s.sampleDetailed(x, {}, m as never), TypeError, /^sampleDetailed options must be an object like/);
      thrown(() => s.sampleRows(x, 50, m as SamplingParams, [s.stream(1)]), TypeError, got);
      thrown(() => createSamplerSync(m as never), TypeError, /^createSampler options must be an object like/);
      await expect(createSampler(m as never)).rejects.toThrow(got);
    }
    // Nothing drawn; an empty plain object, one without a prototype and a class instance with
    // options of its own are options still.
    expect(s.sample(x)).toBe(fresh.sample(x));
    class Own {
      topK = 1;
    }
    expect(s.probs(x, {})).toEqual(s.probs(x));
    expect(s.probs(x, Object.create(null))).toEqual(s.probs(x));
    expect(s.probs(x, new Own())).toEqual(s.probs(x, { topK: 1 }));
    expect(s.sampleDetailed(x, {}, Object.create(null)).entropy).toBeUndefined();
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

describe('messages (issue 7, item 11)', () => {
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

// Greedy's argmax reads the logits four at a time on the scalar builds and block by block on
// wasm-simd: a NaN or +Infinity is found, and the first maximum is the token, wherever it sits
// in a group, a block or the tail.
describe.each(BACKENDS)('%s: greedy at every position', (backend) => {
  const n = 71; // a whole block, then a tail of 7 (not a multiple of 4)
  const base = Float32Array.from({ length: n }, (_, i) => -1 - (i % 5) / 8);

  test('a NaN or +Infinity anywhere is an error naming it', async () => {
    const s = await createSampler({ backend, seed: 1 });
    for (let at = 0; at < n; at++) {
      for (const bad of [Number.NaN, Infinity]) {
        const x = base.slice();
        x[at] = bad;
        thrown(() => s.sample(x, { temperature: 0 }), RangeError, new RegExp(`logits\\[${at}\\] is ${bad}`));
      }
    }
  });

  test('the first maximum wins, ties by lowest index', async () => {
    const s = await createSampler({ backend, seed: 1 });
    for (let at = 0; at < n; at++) {
      const x = base.slice();
      x[at] = 3;
      x[n - 1 - ((at + 5) % n)] = x[n - 1 - ((at + 5) % n)] === 3 ? 3 : 2.5;
      expect(s.sample(x, { temperature: 0 })).toBe(at);
      if (at + 3 < n) {
        x[at + 3] = 3; // a later tie
        expect(s.sample(x, { temperature: 0 })).toBe(at);
      }
    }
  });
});

// The vector passes watch for NaN with lane-wise sums over the whole pass. Finite logits near
// the float32 limit overflow those sums to +Infinity, which a masked -Infinity turns into NaN: a
// false alarm, which the exact check behind it (validate) must clear, and a real NaN or
// +Infinity behind such a false alarm must still be found wherever it sits.
describe.each(BACKENDS)('%s: logits whose sums overflow', (backend) => {
  const n = 200; // three blocks and a tail of 8
  const huge = (at: number) => Float32Array.from({ length: n }, (_, i) => (i === at ? 3.2e38 : 3e38 - i * 1e33));

  test('are valid: the argmax, min-p and probabilities come out right', async () => {
    const s = await createSampler({ backend, seed: 1 });
    for (const at of [0, 5, 63, 64, 130, 191, 192, 199]) {
      const x = huge(at);
      x[(at + 17) % n] = -Infinity;
      expect(s.sample(x, { temperature: 0 })).toBe(at);
      // Every gap here is at least 1e33: min-p 0.5 keeps the maximum alone.
      expect(s.sample(x, { minP: 0.5 })).toBe(at);
      const p = s.probs(x, { temperature: 1e36 });
      expect(p[(at + 17) % n]).toBe(0);
      expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    }
  });

  test('a NaN or +Infinity among them is an error naming it, at every position', async () => {
    const s = await createSampler({ backend, seed: 1 });
    for (let at = 0; at < n; at++) {
      for (const bad of [Number.NaN, Infinity]) {
        const x = huge(-1);
        x[(at + 1) % n] = -Infinity;
        x[at] = bad;
        for (const params of [{ temperature: 0 }, { minP: 0.1 }, { temperature: 1 }]) {
          thrown(() => s.sample(x, params), RangeError, new RegExp(`logits\\[${at}\\] is ${bad}`));
        }
      }
    }
  });
});

// An edit that bans a token (-Infinity) must not hide a broken logit there: the bans add
// -Infinity, which keeps a NaN a NaN and turns +Infinity into one, as a -Infinity bias does.
describe.each(BACKENDS)('%s: a NaN or +Infinity that an edit bans is still an error', (backend) => {
  const n = 100;
  const at = 5;
  const most = new Uint32Array(4).fill(0xffffffff); // every token but 7: the masked copy
  most[0] = 0xffffffff & ~(1 << 7);
  const few = new Uint32Array(4); // tokens 3, 5 and 40: the sparse-mask route
  few[0] = (1 << 3) | (1 << at);
  few[1] = 1 << 8;
  const bans = {
    badWords: { history: [1, 2], badWords: [[at]] },
    noRepeatNgramSize: { history: [9, at, 9], noRepeatNgramSize: 2 },
    logitBias: { logitBias: { [at]: -Infinity } },
  };
  const masks = { 'no mask': {}, 'a dense mask': { allowed: most }, 'a sparse mask': { allowed: few } };
  test.each(Object.keys(bans))('%s, with no mask, a dense mask or a sparse one', async (ban) => {
    const s = await createSampler({ backend, seed: 1 });
    const wrong: string[] = [];
    for (const [mask, allowed] of Object.entries(masks)) {
      for (const bad of [Number.NaN, Infinity]) {
        const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
        x[at] = bad;
        for (const temperature of [1, 0]) {
          const params = { temperature, ...bans[ban as keyof typeof bans], ...allowed };
          let said: string;
          try {
            said = `token ${s.sample(x, params)}`;
          } catch (e) {
            said = e instanceof RangeError ? e.message : String(e);
          }
          if (!said.startsWith(`logits[${at}] is ${bad}`)) wrong.push(`${mask}, ${bad}, T ${temperature}: ${said}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

// A mask never hides a broken logit: a NaN or +Infinity at a token the mask disallows is the
// same error as anywhere, whatever stage reads the logits first. The masked copy turns it into
// NaN (x − ∞) for the chain's NaN watch; 1,000 tokens put position 70 in its vector part and
// 995 in the scalar tail.
describe.each(BACKENDS)('%s: a NaN or +Infinity the mask disallows is still an error', (backend) => {
  const n = 1000;
  const firsts: Record<string, SamplingParams> = {
    'T = 1': {},
    greedy: { temperature: 0 },
    'top-k': { topK: 5 },
    "min-p (llama.cpp's order)": { minP: 0.1, order: 'llama.cpp' },
    'top-nσ': { topNSigma: 1 },
    'dynamic temperature': { dynamicTemperature: { min: 0.5, max: 1.5 } },
    mirostat: { mirostat: createMirostat({ version: 2 }) },
    'a bias and penalties': { logitBias: { 3: 1 }, history: [3, 4], repetitionPenalty: 1.2 },
  };
  test.each(Object.keys(firsts))('%s: sample, probs and sampleDetailed name it', async (first) => {
    const s = await createSampler({ backend, seed: 1 });
    const wrong: string[] = [];
    for (const at of [70, 995]) {
      const allowed = new Uint32Array(Math.ceil(n / 32)).fill(0xffffffff);
      allowed[at >> 5]! &= ~(1 << (at & 31));
      for (const bad of [Number.NaN, Infinity]) {
        const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
        x[at] = bad;
        const params = { ...firsts[first], allowed };
        for (const [method, call] of [
          ['sample', () => s.sample(x, params)],
          ['probs', () => s.probs(x, params)],
          ['sampleDetailed', () => s.sampleDetailed(x, params, { topLogprobs: 3 })],
        ] as const) {
          let said: string;
          try {
            said = `no error: ${JSON.stringify(call()).slice(0, 40)}`;
          } catch (e) {
            said = e instanceof RangeError ? e.message : String(e);
          }
          if (!said.startsWith(`logits[${at}] is ${bad}`)) wrong.push(`${method}, ${at}, ${bad}: ${said}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

// A broken logit and an edit's overflow in one call: the edits run before the chain's passes
// find the broken logit, with or without a mask, so the overflow is the error on every build.
// The masked copy's scalar loop refused the broken logit before the edits: the error then
// depended on the build and on where it sat (1,000 tokens: 70 in the SIMD copy's vector part,
// 995 in its tail), and greedy through the mask, which skips the copy, disagreed with it.
describe.each(BACKENDS)('%s: a broken logit and an edit that overflows', (backend) => {
  const n = 1000;
  const most = new Uint32Array(Math.ceil(n / 32)).fill(0xffffffff); // every token but 7: dense
  most[0] = 0xffffffff & ~(1 << 7);
  test.each([70, 995])('logits[%i] broken: the overflow is named, with or without a dense mask', async (at) => {
    const s = await createSampler({ backend, seed: 1 });
    const wrong: string[] = [];
    for (const bad of [Number.NaN, Infinity]) {
      const x = Float32Array.from({ length: n }, (_, i) => Math.sin(i));
      x[at] = bad;
      x[10] = 3e38;
      for (const allowed of [undefined, most]) {
        for (const temperature of [1, 0]) {
          const params = { temperature, allowed, logitBias: { 10: 3e38 } };
          let said: string;
          try {
            said = `token ${s.sample(x, params)}`;
          } catch (e) {
            said = e instanceof RangeError ? e.message : String(e);
          }
          if (!said.startsWith('logitBias pushed logits[10] (3e+38) past the float32 range'))
            wrong.push(`${bad}, ${allowed ? 'mask' : 'no mask'}, T ${temperature}: ${said}`);
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(draws(s, good, undefined, 1)).toEqual(draws(await createSampler({ backend, seed: 1 }), good, undefined, 1));
  });
});
