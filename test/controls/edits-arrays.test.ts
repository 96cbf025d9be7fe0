// The edits that read token sequences — sequenceBias, dry, noRepeatNgramSize, badWords — and
// the arrays around them: the caller's arrays read the same after every call (the edits are
// put back, a token edited by several edits included), user code that runs while the
// sequences are read (a getter in a list) can only meet a clear error or the right answer,
// a call allocates nothing per call, and memory is sized to what the call needs.
import { describe, expect, test } from 'vitest';
import { createSampler, type Sampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { makeLogits } from '../support/data.js';
import { favouring, loopingHistory } from '../support/edits-data.js';
import { bytesPerCall } from '../support/heap.js';
import { thrown } from '../support/thrown.js';

const n = 3001;
const history = loopingHistory(n, 400, 11, 131);
const base = favouring(makeLogits(n, 'lm', 132), history, 5);
const tail = (k: number) => Array.from(history.subarray(history.length - k));

// Every new edit, several of them on the same tokens (each token is put back once).
const PARAMS: SamplingParams[] = [
  {
    history,
    logitBias: { [history[399]!]: 1.5 },
    sequenceBias: [
      [[history[399]!], 1],
      [[...tail(1), history[399]!], -0.5],
    ],
    repetitionPenalty: 1.2,
    dry: { multiplier: 0.8, sequenceBreakers: [[history[10]!, history[11]!]] },
    noRepeatNgramSize: 3,
    badWords: [[...tail(2), history[5]!], [7]],
    topP: 0.95,
  },
  { history: Array.from(history), dry: { multiplier: 2, base: 1.2, allowedLength: 1, lastN: 50 }, temperature: 0.7 },
  { history, noRepeatNgramSize: 1, badWords: [Int32Array.of(9, 9)], sequenceBias: [[Int32Array.of(4), 2]] },
  // The fast form naming a token twice, and tokens the later edits change too: each bias entry
  // is recorded, and the record is put back latest first.
  {
    history,
    logitBias: {
      ids: Int32Array.of(history[399]!, 7, history[399]!, history[10]!, 7),
      values: Float32Array.of(1, 2, -0.25, -Infinity, 0.5),
    },
    repetitionPenalty: 1.3,
    badWords: [[7]],
    temperature: 0.9,
  },
];

function everyCall(s: Sampler, x: Float32Array, params: SamplingParams): void {
  s.sample(x, params);
  s.probs(x, params);
  s.sampleDetailed(x, params, { topLogprobs: 10 });
  s.sampleDetailed(x, params, { topLogprobs: 3, logprobs: 'raw' });
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length));

/** A transferred (detached) copy of an array's buffer. */
const detach = (a: ArrayBufferView) => structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });

describe.each(BACKENDS)('%s: sequence edits and the caller’s arrays', (backend) => {
  test('a Float32Array and the rows of a view read the same after every call', async () => {
    const s = await createSampler({ backend, seed: 1 });
    const x = base.slice();
    const view = s.logitsView(3 * n);
    for (let r = 0; r < 3; r++) view.set(base, r * n);
    const before = bits(view);
    for (const params of PARAMS) {
      everyCall(s, x, params);
      everyCall(s, view.subarray(n, 2 * n), params);
      everyCall(s, view.subarray(2 * n), params);
      expect(bits(x)).toEqual(bits(base));
      expect(bits(view)).toEqual(before);
    }
    // And after calls that throw once the edits are made: DRY past the float32 range, and
    // every token banned.
    const y = s.logitsView(n);
    y.set(base);
    y[history[399]!] = -3e38;
    thrown(
      () => s.sample(y, { history, sequenceBias: [[[history[399]!], 1]], dry: { multiplier: 1e38 } }),
      RangeError,
      /^dry pushed logits/,
    );
    const all = Array.from({ length: n }, (_, i) => [i]);
    thrown(() => s.probs(y, { history, badWords: all, dry: { multiplier: 1 } }), RangeError, /every token is masked/);
    y[history[399]!] = base[history[399]!]!;
    expect(bits(y)).toEqual(bits(base));
  });

  test('getters in the lists that detach, transfer or resize arrays: a clear error or the right answer', async () => {
    const s = await createSampler({ backend, seed: 5 });
    const twin = await createSampler({ backend, seed: 5 });
    const x = base.slice(0, 100);
    const h = Int32Array.from(history.subarray(0, 60), (t) => t % 100);
    const unharmed = () =>
      expect(s.sample(x, { history: h, dry: { multiplier: 1 } })).toBe(
        twin.sample(x, { history: h, dry: { multiplier: 1 } }),
      );
    // A one-element list whose element is a getter running `run` (typed as the list it stands for).
    const getter = <T>(value: T, run: () => void): never => {
      const list: unknown[] = [];
      Object.defineProperty(list, 0, {
        enumerable: true,
        get: () => {
          run();
          return value;
        },
      });
      return list as never;
    };

    // A bad word's token detaches the logits.
    const y = x.slice();
    thrown(
      () => s.sample(y, { history: h, badWords: [getter(3, () => detach(y))] }),
      RangeError,
      /^logits' buffer is detached/,
    );
    unharmed();
    // A sequence bias entry detaches the history.
    const g = h.slice();
    thrown(
      () => s.probs(x, { history: g, sequenceBias: getter([[1], 2], () => detach(g)) }),
      RangeError,
      /^history's buffer is detached/,
    );
    unharmed();
    // A breaker detaches the allowed mask; another detaches out.
    const mask = new Uint32Array(4).fill(0xffffffff);
    thrown(
      () =>
        s.probs(x, {
          allowed: mask,
          history: h,
          dry: { multiplier: 1, sequenceBreakers: getter([1], () => detach(mask)) },
        }),
      RangeError,
      /^allowed's buffer is detached/,
    );
    const out = new Float32Array(100);
    thrown(
      () => s.probs(x, { history: h, badWords: [getter(1, () => detach(out))] }, out),
      RangeError,
      /^out's buffer is detached/,
    );
    unharmed();
    // A breaker resizes the history's resizable buffer: the history is what it is by then.
    // (ES2024's resizable ArrayBuffer; the tsconfig's lib predates it.)
    const Resizable = ArrayBuffer as unknown as new (
      length: number,
      options: { maxByteLength: number },
    ) => ArrayBuffer & { resize(length: number): void };
    const buffer = new Resizable(h.byteLength, { maxByteLength: 4 * h.byteLength });
    const growing = new Int32Array(buffer);
    growing.set(h);
    const shrunk = h.slice(0, 40);
    const got = s.probs(x, {
      history: growing,
      dry: { multiplier: 1, sequenceBreakers: getter([99], () => buffer.resize(40 * 4)) },
    });
    expect(got).toEqual(twin.probs(x, { history: shrunk, dry: { multiplier: 1, sequenceBreakers: [[99]] } }));
    // A later breaker detaches an Int32Array sequence already read: it was copied as it was.
    const first = Int32Array.of(h[30]!, h[31]!);
    const copy = first.slice();
    const params = { history: h, dry: { multiplier: 1, sequenceBreakers: [first, getter(5, () => detach(first))] } };
    expect(s.probs(x, params)).toEqual(
      twin.probs(x, { history: h, dry: { multiplier: 1, sequenceBreakers: [copy, [5]] } }),
    );
    // A number[] history is read after the sequences: its getter detaching one finds it copied.
    const word = Int32Array.of(h[59]!, 4);
    const plain = Array.from(h);
    Object.defineProperty(plain, 0, {
      enumerable: true,
      get: () => {
        detach(word);
        return h[0];
      },
    });
    expect(s.probs(x, { history: plain, badWords: [word] })).toEqual(
      twin.probs(x, { history: h, badWords: [[h[59]!, 4]] }),
    );
    // A breaker that was detached before it was read: its own clear error.
    const gone = Int32Array.of(1, 2);
    detach(gone);
    thrown(() => s.sample(x, { history: h, badWords: [gone] }), RangeError, /^badWords\[0\]'s buffer is detached/);
    // Calling the sampler from a list's getter: the re-entrant TypeError.
    thrown(() => s.sample(x, { history: h, badWords: [getter(1, () => s.sample(x))] }), TypeError, /^re-entrant call/);
    unharmed();
  });

  test('sampleRows and verifyDraft take the sequence edits as sample() does', async () => {
    const s = await createSampler({ backend, seed: 9 });
    const R = PARAMS.length;
    const rows = new Float32Array(R * n);
    for (let r = 0; r < R; r++)
      rows.set(
        base.map((v) => v + r),
        r * n,
      );
    const streams = PARAMS.map((_, r) => s.stream(r + 1));
    const got = s.sampleRows(rows, n, PARAMS, streams);
    for (let r = 0; r < R; r++) {
      const twin = await createSampler({ backend, seed: r + 1 });
      expect(got[r]).toBe(twin.sample(rows.subarray(r * n, (r + 1) * n), PARAMS[r]));
    }
    const v = s.verifyDraft({
      target: rows.subarray(0, 3 * n),
      draftTokens: [history[0]!, history[1]!],
      vocabSize: n,
      params: PARAMS[1],
    });
    expect(v.accepted).toBeGreaterThanOrEqual(0);
  });
});

describe('memory', () => {
  test('a call with every sequence edit allocates no record or array, only a few boxed numbers', async () => {
    const s = await createSampler({ backend: 'wasm-simd', seed: 1 });
    const view = s.logitsView(n);
    view.set(base);
    // (The bias in its typed form: an object's keys are strings made per call, as before.)
    const params = { ...PARAMS[0]!, logitBias: { ids: Int32Array.of(history[399]!), values: Float32Array.of(1.5) } };
    expect(await bytesPerCall(() => s.sample(view, params))).toBeLessThan(256);
  });

  test.each(BACKENDS)(
    '%s: a view has room for sequences up front; more grows memory, sized to the call',
    async (backend) => {
      const s = await createSampler({ backend, seed: 1 });
      const view = s.logitsView(100_000);
      view.set(makeLogits(100_000, 'lm', 133));
      const bytes = s.memoryBytes;
      // 16,384 sequence tokens and a history of 60,000 fit in the room a view reserves.
      const h = loopingHistory(100_000, 60_000, 50, 134);
      const words = Array.from({ length: 8192 }, (_, i) => [i, i + 1]);
      s.sample(view, { history: h, badWords: words, dry: { multiplier: 0.8 }, noRepeatNgramSize: 3 });
      expect(s.memoryBytes).toBe(bytes);
      expect(view.length).toBe(100_000);
      // 40,000 sequence tokens do not: memory grows (the call still works), the view is detached.
      const more = Array.from({ length: 20_000 }, (_, i) => [i, i + 1]);
      const token = s.sample(view, { history: h, badWords: more });
      expect(token).toBeGreaterThanOrEqual(0);
      expect(s.memoryBytes).toBeGreaterThan(bytes);
      // Sized to the call: a few bytes per sequence token, nothing like a fixed cap.
      expect(s.memoryBytes - bytes).toBeLessThan(40_000 * 32 + 2 ** 20);
      thrown(() => s.sample(view), RangeError, /detached.*call logitsView\(\) again/);
    },
  );
});
