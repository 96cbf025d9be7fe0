// User code that runs in the middle of a call (issue 16). A call reads every param first —
// every getter — and only then checks the arrays and hands them to the kernels, so a getter
// that transfers, shrinks or grows an array argument gets that array's own clear error, or the
// right answer for what the array then holds: never a wrong token, never a damaged sampler.
// Every public method, every typed-array argument, every action, every backend.
import { describe, expect, test } from 'vitest';
import { createMirostat, createSampler, type Sampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { makeLogits } from '../support/data.js';

const N = 700;
const X = makeLogits(N, 'lm', 5);

type Action = 'transfer' | 'shrink' | 'grow';
/** ES2024's resizable ArrayBuffer (Node 20 has it; the project's lib is ES2022). */
const Resizable = ArrayBuffer as unknown as new (
  bytes: number,
  options: { maxByteLength: number },
) => ArrayBuffer & { resize(bytes: number): void };
const ACTIONS: Action[] = ['transfer', 'shrink', 'grow'];

/** A typed array over a buffer that can be transferred or resized; `tracking` views follow a
 *  resize (no length given), fixed ones go out of bounds when it shrinks. */
function hostileArray<T extends Float32Array | Int32Array | Uint32Array>(
  Ctor: new (b: ArrayBuffer, o?: number, l?: number) => T,
  values: ArrayLike<number>,
  tracking: boolean,
): { a: T; act: (action: Action) => void } {
  const bytes = values.length * 4;
  const buffer = new Resizable(bytes, { maxByteLength: bytes * 2 });
  const a = tracking ? new Ctor(buffer) : new Ctor(buffer, 0, values.length);
  a.set(values as never);
  const act = (action: Action) => {
    if (action === 'transfer') structuredClone(buffer, { transfer: [buffer] });
    else buffer.resize(action === 'shrink' ? bytes / 2 : bytes * 2);
  };
  return { a, act };
}

/** params whose temperature getter runs `action` — after which the call must still be sound. */
function withGetter(params: SamplingParams, action: () => void): SamplingParams {
  return {
    ...params,
    get temperature() {
      action();
      return 0.9;
    },
  };
}

/** Either a clear error naming the array, or the same result as a clean call on what the
 *  arrays hold afterwards (copied, from a twin sampler with the same stream). */
function soundOutcome(got: () => unknown, clean: () => unknown, name: string): void {
  let error: unknown;
  let value: unknown;
  try {
    value = got();
  } catch (e) {
    error = e;
  }
  if (error !== undefined) {
    expect(error, String(error)).toSatisfy((e: unknown) => e instanceof TypeError || e instanceof RangeError);
    expect((error as Error).message).toContain(name.split('.')[0]!);
    return;
  }
  expect(value).toEqual(clean());
}

/** The sampler still answers like a fresh one, and its stream was not moved by a failure. */
async function unharmed(s: Sampler, twin: Sampler): Promise<void> {
  for (const p of [{}, { topP: 0.9, temperature: 0.7 }, { topK: 5 }]) {
    expect(s.sample(X, p)).toBe(twin.sample(X, p));
    expect(s.probs(X, p)).toEqual(twin.probs(X, p));
  }
}

/** What an array holds now: empty once its buffer shrank below a fixed-length view. */
function copy<T extends Float32Array | Int32Array | Uint32Array>(a: T): T {
  return (a.length === 0 ? new (a.constructor as new (n: number) => T)(0) : a.slice()) as T;
}

describe.each(BACKENDS)('user code mid-call (%s)', (backend) => {
  const twins = async (): Promise<[Sampler, Sampler]> => [
    await createSampler({ backend, seed: 1 }),
    await createSampler({ backend, seed: 1 }),
  ];

  for (const action of ACTIONS) {
    for (const tracking of [false, true]) {
      const how = `${action}, ${tracking ? 'length-tracking' : 'fixed-length'} view`;

      test(`logits (${how}) in sample, probs and sampleDetailed`, async () => {
        const [s, twin] = await twins();
        for (const call of ['sample', 'probs', 'sampleDetailed'] as const) {
          const { a, act } = hostileArray(Float32Array, X, tracking);
          soundOutcome(
            () =>
              s[call](
                a,
                withGetter({ topP: 0.95 }, () => act(action)),
              ),
            () => twin[call](copy(a), { topP: 0.95, temperature: 0.9 }),
            'logits',
          );
        }
        await unharmed(s, twin);
      });

      test(`probs' out (${how})`, async () => {
        const [s, twin] = await twins();
        const { a, act } = hostileArray(Float32Array, new Float32Array(N), tracking);
        soundOutcome(
          () =>
            Array.from(
              s.probs(
                X,
                withGetter({}, () => act(action)),
                a,
              ),
            ),
          () => Array.from(twin.probs(X, { temperature: 0.9 })),
          'out',
        );
        await unharmed(s, twin);
      });

      test(`allowed, logitBias.ids, logitBias.values and history (${how})`, async () => {
        const [s, twin] = await twins();
        const mask = new Uint32Array(Math.ceil(N / 32)).fill(0xfffffff7);
        for (const which of ['allowed', 'logitBias.ids', 'logitBias.values', 'history'] as const) {
          const ids = hostileArray(Int32Array, [1, 2, 300], tracking);
          const values = hostileArray(Float32Array, [5, -Infinity, 2], tracking);
          const allowed = hostileArray(Uint32Array, mask, tracking);
          const history = hostileArray(Int32Array, [4, 4, 9, 12], tracking);
          const target = { allowed, 'logitBias.ids': ids, 'logitBias.values': values, history }[which];
          const params = {
            allowed: allowed.a,
            logitBias: { ids: ids.a, values: values.a },
            history: history.a,
            repetitionPenalty: 1.3,
          };
          soundOutcome(
            () =>
              s.sample(
                X,
                withGetter(params, () => target.act(action)),
              ),
            () =>
              twin.sample(X, {
                allowed: copy(allowed.a) as Uint32Array,
                logitBias: { ids: copy(ids.a) as Int32Array, values: copy(values.a) as Float32Array },
                history: copy(history.a) as Int32Array,
                repetitionPenalty: 1.3,
                temperature: 0.9,
              }),
            which,
          );
        }
        await unharmed(s, twin);
      });
    }
  }

  test('sampleRows and verifyDraft: their logits, out and draft tokens transferred by a getter', async () => {
    const [s, twin] = await twins();
    const V = 50;
    const rows = Float32Array.from({ length: 3 * V }, (_, i) => Math.sin(i) * 3);
    for (const which of ['logits', 'out'] as const) {
      const logits = hostileArray(Float32Array, rows, false);
      const out = hostileArray(Int32Array, [0, 0, 0], false);
      const target = which === 'logits' ? logits : out;
      expect(() =>
        s.sampleRows(
          logits.a,
          V,
          withGetter({}, () => target.act('transfer')),
          [1, 2, 3].map((seed) => s.stream(seed)),
          out.a,
        ),
      ).toThrow(new RegExp(`${which}.*detached`));
    }
    for (const which of ['target', 'draft', 'draftTokens'] as const) {
      const t = hostileArray(Float32Array, rows, false);
      const d = hostileArray(Float32Array, rows.subarray(0, 2 * V), false);
      const ids = hostileArray(Int32Array, [1, 2], false);
      const victim = { target: t, draft: d, draftTokens: ids }[which];
      expect(() =>
        s.verifyDraft({
          target: t.a,
          draft: d.a,
          draftTokens: ids.a,
          vocabSize: V,
          params: withGetter({}, () => victim.act('transfer')),
        }),
      ).toThrow(new RegExp(`${which}.*detached`));
    }
    await unharmed(s, twin);
  });

  // A stateful stage's new state is written back through the caller's object after the draw:
  // a setter there is user code too, and must find nothing left to read or write.
  const withSetter = (action: (mu: number) => void) => {
    const state = createMirostat({ version: 2 });
    let mu = state.mu;
    Object.defineProperty(state, 'mu', {
      enumerable: true,
      get: () => mu,
      set: (v: number) => {
        mu = v;
        action(v);
      },
    });
    return state;
  };

  test('sampleRows: a state setter that detaches out finds the tokens written, or out as it was', async () => {
    const [s, twin] = await twins();
    const V = 50;
    const rows = Float32Array.from({ length: 2 * V }, (_, i) => Math.sin(i) * 3);
    const want = twin.sampleRows(rows, V, { mirostat: createMirostat({ version: 2 }) }, [
      twin.stream(1),
      twin.stream(2),
    ]);
    const out = hostileArray(Int32Array, [-7, -7], false);
    let seen: number[] = [];
    const detaching = withSetter(() => {
      seen = Array.from(out.a);
      out.act('transfer');
    });
    s.sampleRows(rows, V, { mirostat: detaching }, [s.stream(1), s.stream(2)], out.a);
    expect(seen).toEqual(Array.from(want));
    // A setter that throws: out holds what it held, the streams did not move.
    const kept = new Int32Array([-7, -7]);
    const a = s.stream(3);
    const b = twin.stream(3);
    const throwing = withSetter(() => {
      throw new Error('no');
    });
    expect(() => s.sampleRows(rows, V, { mirostat: throwing }, [a, a], kept)).toThrow(/no/);
    expect(Array.from(kept)).toEqual([-7, -7]);
    expect(a.sample(X)).toBe(b.sample(X));
    await unharmed(s, twin);
  });

  test("sampleDetailed: a state setter that transfers the js build's memory leaves the result whole", async () => {
    const [s, twin] = await twins();
    const view = s.logitsView(N);
    const stealing = withSetter(() => {
      try {
        structuredClone(view.buffer, { transfer: [view.buffer] });
      } catch {
        // WebAssembly memory cannot be transferred: nothing happens there.
      }
    });
    const got = s.sampleDetailed(X, { mirostat: stealing }, { topLogprobs: 5 });
    const want = twin.sampleDetailed(X, { mirostat: createMirostat({ version: 2 }) }, { topLogprobs: 5 });
    expect(got).toEqual(want);
    expect(got.topLogprobs).toHaveLength(5);
    // The next call finds the memory gone: the documented error, once, then a fresh start.
    if (backend === 'js') expect(() => s.sample(X)).toThrow(/transferred away/);
    await unharmed(s, twin);
  });

  test("the js build's own memory transferred away by a getter: a clear error, then a fresh start", async () => {
    const [s, twin] = await twins();
    const view = s.logitsView(N);
    view.set(X);
    const steal = () => {
      try {
        structuredClone(view.buffer, { transfer: [view.buffer] });
      } catch {
        // WebAssembly memory cannot be transferred: nothing happens there.
      }
    };
    let error: unknown;
    try {
      s.sample(view, withGetter({}, steal));
    } catch (e) {
      error = e;
    }
    if (backend === 'js') expect(String(error)).toMatch(/RangeError: .*(transferred|detached)/);
    else expect(error).toBeUndefined();
    await unharmed(s, twin);
  });
});

describe.each(BACKENDS)('issue 16 regressions (%s)', (backend) => {
  test('1. probs() into an out detached by a getter: a RangeError, the kernels undamaged', async () => {
    const s = await createSampler({ backend, seed: 2 });
    const buf = new ArrayBuffer(2048);
    const out = new Float32Array(buf, 1024, 256);
    const x = makeLogits(256, 'lm', 6);
    expect(() =>
      s.probs(
        x,
        withGetter({}, () => structuredClone(buf, { transfer: [buf] })),
        out,
      ),
    ).toThrow(/out's buffer is detached/);
    const p = s.probs(x);
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    expect(s.sample(x)).toBeGreaterThanOrEqual(0);
  });

  test('4. a −0 logit orders topLogprobs alike on every build', async () => {
    const s = await createSampler({ backend, seed: 3 });
    const d = s.sampleDetailed(Float32Array.of(-0, 0), {}, { topLogprobs: 2 });
    expect(d.topLogprobs.map((t) => t.token)).toEqual([0, 1]);
    const x = new Float32Array(1000).fill(-3);
    for (let i = 0; i < 10; i++) x[i * 97] = i % 2 ? 0 : -0;
    expect(s.sampleDetailed(x, {}, { topLogprobs: 10 }).topLogprobs.map((t) => t.token)).toEqual(
      Array.from({ length: 10 }, (_, i) => i * 97),
    );
  });

  test('5. topLogprobs never lists a token of probability 0', async () => {
    const s = await createSampler({ backend, seed: 4 });
    const x = Float32Array.of(0, -10, -40, -80);
    const listed = (params: SamplingParams) =>
      s.sampleDetailed(x, params, { topLogprobs: 4 }).topLogprobs.map((t) => t.token);
    const nonzero = (params: SamplingParams) =>
      [...s.probs(x, params).entries()].filter(([, p]) => p > 0).map(([i]) => i);
    for (const params of [{}, { topK: 3 }, { temperature: 1e-45 }, { temperature: 3 }]) {
      expect(listed(params), JSON.stringify(params)).toEqual(nonzero(params));
    }
    // Raw logprobs list every unmasked token, never a masked one.
    const raw = s.sampleDetailed(Float32Array.of(0, -10, -40, -Infinity), {}, { topLogprobs: 4, logprobs: 'raw' });
    expect(raw.topLogprobs.map((t) => t.token)).toEqual([0, 1, 2]);
  });

  test('7. an edit past the float32 range is an error either way, naming the token', async () => {
    const s = await createSampler({ backend, seed: 5 });
    expect(() => s.probs([-3e38, 0], { logitBias: { 0: -1e38 } })).toThrow(
      /logitBias pushed logits\[0\] \(-3e\+38\) past the float32 range/,
    );
    expect(() => s.probs([3e38, 0], { logitBias: { 0: 1e38 } })).toThrow(/pushed logits\[0\]/);
    expect(() => s.sample([-2, -3], { history: [0, 1], repetitionPenalty: 3e38 })).toThrow(
      /a penalty \(repetitionPenalty, presencePenalty or frequencyPenalty\) pushed logits\[0\] \(-2\) past the float32 range/,
    );
    // A -Infinity bias is a ban, not an overflow.
    expect(s.sample([-3e38, 0], { logitBias: { 1: -Infinity } })).toBe(0);
  });

  test('8. a re-entrant call is a TypeError', async () => {
    const s = await createSampler({ backend, seed: 6 });
    expect(() =>
      s.sample(
        X,
        withGetter({}, () => s.sample(X)),
      ),
    ).toThrow(TypeError);
    expect(() =>
      s.sample(
        X,
        withGetter({}, () => s.sample(X)),
      ),
    ).toThrow(/re-entrant call/);
    expect(s.sample(X)).toBeGreaterThanOrEqual(0);
  });

  test("9. a mask and a fast-form bias in the sampler's own memory, detached by the call's own growth", async () => {
    const s = await createSampler({ backend, seed: 7 });
    const twin = await createSampler({ backend, seed: 7 });
    const n = 64;
    const view = s.logitsView(n);
    view.set(makeLogits(n, 'lm', 7));
    // Arrays built on the view's buffer, past the logits: a long history makes the call grow.
    const mask = new Uint32Array(view.buffer, view.byteOffset + 256, 2).fill(0xfffff0ff);
    const ids = new Int32Array(view.buffer, view.byteOffset + 512, 2);
    ids.set([3, 4]);
    const values = new Float32Array(view.buffer, view.byteOffset + 768, 2);
    values.set([9, -Infinity]);
    const history = Int32Array.from({ length: 300_000 }, (_, i) => i % n);
    const params = { allowed: mask, logitBias: { ids, values }, history, frequencyPenalty: 1e-6 };
    const plain = {
      allowed: mask.slice(),
      logitBias: { ids: ids.slice(), values: values.slice() },
      history,
      frequencyPenalty: 1e-6,
    };
    const want = twin.probs(view.slice(0, n), plain);
    expect(s.probs(view, params)).toEqual(want);
    expect(view.length).toBe(0); // grown, as documented
  });

  test('10. fast-form bias values sharing the logits’ buffer: the same on every build', async () => {
    const all = await Promise.all(BACKENDS.map((b) => createSampler({ backend: b, seed: 8 })));
    const results = all.map((s) => {
      const buf = new Float32Array(N + 2);
      buf.set(X);
      const logits = buf.subarray(0, N);
      const values = buf.subarray(1, 3); // the biases are logits 1 and 2 themselves
      return Array.from(s.probs(logits, { logitBias: { ids: Int32Array.of(1, 2), values } }));
    });
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
  });

  test('11. history is checked whenever it is given', async () => {
    const s = await createSampler({ backend, seed: 9 });
    expect(() => s.sample(X, { history: [-1] })).toThrow(/history\[0\] is -1, not a token id/);
    expect(() => s.sample(X, { history: [Number.NaN] })).toThrow(/history\[0\] is NaN/);
    expect(() => s.sample(X, { history: [1.5] })).toThrow(/history\[0\] is 1.5/);
    expect(() => s.sample(X, { history: Int32Array.of(N) })).toThrow(
      /history\[0\] is 700, not a token id in \[0, 700\)/,
    );
  });

  test("12. an object that calls itself a Map is an object; V8's own messages never escape", async () => {
    const s = await createSampler({ backend, seed: 10 });
    const fake = { [Symbol.toStringTag]: 'Map', 3: 1 };
    expect(s.probs(X, { logitBias: fake as never })).toEqual(s.probs(X, { logitBias: { 3: 1 } }));
    const proto = Object.create({ inherited: 5 }) as Record<string, number>;
    proto[2] = 1;
    expect(s.probs(X, { logitBias: proto })).toEqual(s.probs(X, { logitBias: { 2: 1 } }));
  });
});
