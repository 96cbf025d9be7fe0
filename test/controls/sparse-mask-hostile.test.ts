// The sparse-mask route (assembly/sparse-mask.ts: a mask allowing at most n/64 tokens becomes the
// chain's first candidate list, the edits running in place on the caller's logits) under a
// hostile caller. Whatever the input, a call with such a mask must answer as the same call on
// logits where every disallowed token is -Infinity and no mask is given: the same tokens for the
// same seed, the same probabilities (to rounding: the list sums in another order), the same
// error, the same use of the random stream — and the caller's arrays never change. Where the
// untouched logits matter (raw logprobs, an invalid logit the mask hides), the reference is the
// dense mask route instead: the same mask and logits with a few more allowed tokens that are
// -Infinity, which pushes the mask past n/64 and changes nothing else.
import { describe, expect, test } from 'vitest';
import { createAdaptiveP, createSampler, type Logits, type Sampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { compareProbs } from '../support/compare.js';
import { allowedIds, maskOf } from '../support/controls-data.js';
import { makeLogits, rng } from '../support/data.js';
import { reference } from '../support/reference.js';
import { probTolerance } from '../support/tolerance.js';

type Backend = (typeof BACKENDS)[number];

/** The most a sparse mask allows over n tokens (assembly/sparse-mask.ts SPARSE_SHIFT). */
const limitOf = (n: number) => n >> 6;

const isAllowed = (mask: Uint32Array, i: number) => ((mask[i >> 5]! >>> (i & 31)) & 1) === 1;

/** `count` distinct tokens of [0, n) from a seed. */
function pickTokens(n: number, count: number, seed: number): number[] {
  const r = rng(seed);
  const ids = new Set<number>();
  while (ids.size < count) ids.add(Math.floor(r() * n));
  return [...ids];
}

/** The mask allowing `ids`; `junk`: every bit past n in the last word set too (slack). */
function maskFor(n: number, ids: readonly number[], junk = false): Uint32Array {
  const set = new Set(ids);
  const mask = maskOf(n, (i) => set.has(i));
  if (junk && n & 31) mask[mask.length - 1] = (mask[mask.length - 1]! | ~((1 << (n & 31)) - 1)) >>> 0;
  return mask;
}

/** x with every token the mask disallows at -Infinity. */
function maskedLogits(x: ArrayLike<number>, mask: Uint32Array): Float32Array {
  return Float32Array.from({ length: x.length }, (_, i) => (isAllowed(mask, i) ? x[i]! : -Infinity));
}

/** A call's result, or its error as `Class: message`, for toEqual. */
function outcome<T>(f: () => T): T | string {
  try {
    return f();
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
}

/** Two probability vectors: the same tokens kept, each within `rel` of the other. */
function expectClose(got: Float32Array, want: Float32Array, rel = 1e-6): void {
  expect(got.length).toBe(want.length);
  let worst = 0;
  for (let i = 0; i < want.length; i++) {
    if ((got[i] === 0) !== (want[i] === 0)) expect.fail(`token ${i}: ${got[i]}, want ${want[i]}`);
    if (want[i]! > 0) worst = Math.max(worst, Math.abs(got[i]! - want[i]!) / want[i]!);
  }
  expect(worst).toBeLessThanOrEqual(rel);
}

/** Two samplers of one backend and seed: `s` gets the mask, `t` the -Infinity logits. */
async function pair(backend: Backend, seed = 3): Promise<[Sampler, Sampler]> {
  return [await createSampler({ backend, seed }), await createSampler({ backend, seed })];
}

const draws = (s: Sampler, x: Logits, p: SamplingParams, count: number) =>
  outcome(() => Array.from({ length: count }, () => s.sample(x, p)));

/** After calls that should have used the stream alike: the next draws agree. */
function expectSameStream(s: Sampler, t: Sampler): void {
  const x = makeLogits(64, 'flat', 1);
  expect(draws(s, x, {}, 4)).toEqual(draws(t, x, {}, 4));
}

const CHAINS: [string, SamplingParams][] = [
  ['temperature 1', {}],
  ['greedy', { temperature: 0 }],
  ['top-k 2 at T 0.6', { topK: 2, temperature: 0.6 }],
  ['top-p 0.6', { topP: 0.6 }],
  ['min-p 0.2', { minP: 0.2 }],
  ['typical-p 0.5', { typicalP: 0.5 }],
  ['top-nσ 0.7', { topNSigma: 0.7 }],
  ['ε 0.02', { epsilonCutoff: 0.02 }],
  ['η 0.01', { etaCutoff: 0.01 }],
  ['p-less', { pLess: true }],
  ['XTC, a coin', { xtc: { probability: 0.5, threshold: 0.05 } }],
  ['top-p 0.3, minKeep 3', { topP: 0.3, minKeep: 3 }],
  ["llama.cpp's order", { order: 'llama.cpp', temperature: 0.7, topK: 4, topP: 0.9, minP: 0.05 }],
  ['greedy last, llama.cpp', { order: 'llama.cpp', temperature: 0, topK: 3 }],
  ['tiny temperature', { temperature: 1e-30 }],
  ['huge temperature', { temperature: 1e30 }],
];

describe.each(BACKENDS)('%s: a sparse mask from a hostile caller', (backend) => {
  // n not a multiple of 32 or 64, every bit past n set, and exactly n/64 allowed (the list) or
  // one more (the masked copy): the same answers either way.
  test('odd lengths, slack bits past n, n/64 and n/64 + 1 allowed: as -Infinity logits', async () => {
    const [s, t] = await pair(backend);
    for (const [n, counts] of [
      [65, [1, 2]],
      [127, [1, 2]],
      [191, [2, 3, 4]],
      [2111, [1, 32, 33]],
      [4159, [64, 65]],
    ] as const) {
      const x = makeLogits(n, 'flat', n).map((v) => v * 3);
      for (const count of counts) {
        const mask = maskFor(n, pickTokens(n, count, n + count), true);
        const before = mask.slice();
        const masked = maskedLogits(x, mask);
        for (const [name, params] of CHAINS) {
          const what = `${name}, n ${n}, ${count} allowed`;
          const p = { ...params, allowed: mask };
          expect(draws(s, x, p, 3), what).toEqual(draws(t, masked, params, 3));
          expectClose(s.probs(x, p), t.probs(masked, params));
        }
        expect(mask).toEqual(before);
      }
    }
    expectSameStream(s, t);
  });

  test('float64 reference: the list route keeps what the reference keeps', async () => {
    const n = 2049;
    const x = makeLogits(n, 'lm', 4);
    const mask = maskFor(n, pickTokens(n, limitOf(n), 8));
    const masked = maskedLogits(x, mask);
    const s = await createSampler({ backend, seed: 1 });
    for (const [name, params] of [
      ...CHAINS.filter(([, p]) => !('xtc' in p)),
      ['dynamic temperature', { dynamicTemperature: { min: 0.5, max: 1.5 } }] as [string, SamplingParams],
    ]) {
      const want = reference(masked, params);
      expect(compareProbs(s.probs(x, { ...params, allowed: mask }), want, name)).toBeLessThan(
        probTolerance(want, 1e-6),
      );
    }
  });

  // The logits the edits write to in place: a view, a row of a view, or the kernels' copy of a
  // Float64Array or a number[]. Every edit, on allowed and disallowed tokens alike.
  test('every edit, in a logitsView, a row of one, a Float64Array and a number[]: as -Infinity logits', async () => {
    const n = 1601; // 25 allowed at most
    const x = makeLogits(n, 'flat', 5).map((v) => v * 3);
    const ids = pickTokens(n, limitOf(n), 6);
    const mask = maskFor(n, ids, true);
    const banned = [...Array(n).keys()].filter((i) => !isAllowed(mask, i));
    const history = Int32Array.from([ids[0]!, banned[0]!, ids[1]!, ids[0]!, banned[1]!, ids[2]!, ids[0]!, ids[1]!]);
    const edits: SamplingParams = {
      logitBias: {
        ids: Int32Array.from([ids[3]!, banned[2]!, ids[4]!, banned[3]!]),
        values: Float32Array.from([1.5, 3e38, -Infinity, -3e38]),
      },
      sequenceBias: [
        [[ids[0]!, ids[5]!], 2],
        [[ids[1]!, banned[4]!], 3e38],
      ],
      repetitionPenalty: 1.3,
      presencePenalty: 0.2,
      frequencyPenalty: 0.1,
      history,
      dry: { multiplier: 0.8, allowedLength: 1 },
      badWords: [[ids[2]!, ids[6]!], [banned[5]!]],
      noRepeatNgramSize: 2,
    };
    const [s, t] = await pair(backend);
    const view = s.logitsView(2 * n);
    view.set(x, 0);
    view.set(x, n);
    const untouched = view.slice();
    const f64 = Float64Array.from(x);
    const plain = Array.from(x);
    const masked = maskedLogits(x, mask);
    for (const [name, params] of CHAINS.slice(0, 8)) {
      const q = { ...params, ...edits };
      const p = { ...q, allowed: mask };
      for (const input of [view.subarray(0, n), view.subarray(n), f64, plain]) {
        expect(draws(s, input, p, 4), name).toEqual(draws(t, masked, q, 4));
        expectClose(s.probs(input, p), t.probs(masked, q));
      }
    }
    expect(view).toEqual(untouched);
    expect(f64).toEqual(Float64Array.from(x));
    expect(plain).toEqual(Array.from(x));
    expectSameStream(s, t);
  });

  test('an edit past the float32 range: never on a disallowed token, the same message on an allowed one', async () => {
    const n = 640; // 10 allowed at most
    const x = makeLogits(n, 'flat', 7);
    const ids = [3, 64, 65, 300, 639];
    const mask = maskFor(n, ids);
    const [a, b] = [5, 600]; // disallowed
    x[a] = 3e38;
    x[b] = -3e38;
    x[ids[0]!] = 3e38;
    x[ids[1]!] = -3e38;
    x[ids[2]!] = 1e10;
    x[7] = 1e10; // disallowed
    const masked = maskedLogits(x, mask);
    const [s, t] = await pair(backend);
    const bias = (entries: [number, number][]) => ({
      logitBias: { ids: Int32Array.from(entries, (e) => e[0]), values: Float32Array.from(entries, (e) => e[1]) },
    });
    const cases: [string, SamplingParams][] = [
      [
        'logitBias, disallowed then allowed',
        bias([
          [a, 3e38],
          [b, -3e38],
          [ids[0]!, 3e38],
        ]),
      ],
      ['logitBias, allowed down', bias([[ids[1]!, -3e38]])],
      [
        'logitBias, disallowed only',
        bias([
          [a, 3e38],
          [b, -3e38],
        ]),
      ],
      ['repetition penalty', { repetitionPenalty: 1e-30, history: Int32Array.of(7, ids[2]!) }],
      ['repetition penalty, disallowed', { repetitionPenalty: 1e-30, history: Int32Array.of(7) }],
      ['presence penalty', { presencePenalty: 2e38, history: Int32Array.of(b, ids[1]!) }],
      ['presence penalty, disallowed', { presencePenalty: 2e38, history: Int32Array.of(b) }],
      ['sequence bias, disallowed', { sequenceBias: [[[ids[3]!, a], 3e38]], history: Int32Array.of(ids[3]!) }],
      ['sequence bias', { sequenceBias: [[[ids[3]!, ids[0]!], 3e38]], history: Int32Array.of(ids[3]!) }],
      ['dry, disallowed', { dry: { multiplier: 3e38, allowedLength: 1 }, history: Int32Array.of(4, b, 4) }],
      ['dry', { dry: { multiplier: 3e38, allowedLength: 1 }, history: Int32Array.of(4, ids[1]!, 4) }],
    ];
    for (const [name, params] of cases) {
      const got = draws(s, x, { ...params, allowed: mask }, 3);
      expect(got, name).toEqual(draws(t, masked, params, 3));
      if (name.endsWith('disallowed') || name.endsWith('disallowed only')) expect(typeof got, name).toBe('object');
      else expect(got, name).toMatch(/past the float32 range/);
    }
    expect(x[a]).toBe(Math.fround(3e38));
    expectSameStream(s, t);
  });

  test('-0, subnormals, ±3.4e38 and -Infinity among the allowed: as -Infinity logits', async () => {
    const n = 448; // 7 allowed at most
    const base = makeLogits(n, 'flat', 8);
    const ids = [0, 31, 32, 63, 64, 200, 447];
    const mask = maskFor(n, ids, true);
    const sets = [
      [-0, 0, -0, 0, 1e-45, -1e-45, -Infinity],
      [3.4e38, 3.4e38, -3.4e38, -Infinity, 0, 1e-40, 3.4e38],
      [-3.4e38, -3.4e38, -3.4e38, -3.4e38, -3.4e38, -3.4e38, -3.4e38],
      [1, 1, 1, -Infinity, -Infinity, 1, 1],
      [-Infinity, -Infinity, -Infinity, -Infinity, -Infinity, -Infinity, 5],
    ];
    const [s, t] = await pair(backend);
    for (const values of sets) {
      const x = base.slice();
      ids.forEach((id, k) => {
        x[id] = values[k]!;
      });
      const masked = maskedLogits(x, mask);
      for (const [name, params] of CHAINS) {
        const p = { ...params, allowed: mask };
        expect(draws(s, x, p, 4), `${name} ${values}`).toEqual(draws(t, masked, params, 4));
        const got = outcome(() => s.probs(x, p));
        const want = outcome(() => t.probs(masked, params));
        if (typeof want === 'string') expect(got).toEqual(want);
        else expectClose(got as Float32Array, want, 2e-6);
        const d = outcome(() => s.sampleDetailed(x, p, { topLogprobs: 5 }));
        const e = outcome(() => t.sampleDetailed(masked, params, { topLogprobs: 5 }));
        if (typeof d === 'string' || typeof e === 'string') expect(d).toEqual(e);
        else {
          expect(d.token).toBe(e.token);
          expect(d.topLogprobs.map((r) => r.token)).toEqual(e.topLogprobs.map((r) => r.token));
          expect(d.logprob).toBeCloseTo(e.logprob, 5);
        }
      }
    }
    expectSameStream(s, t);
  });

  // The mask never hides a broken logit: the error names it as the dense route names it (and
  // as the -Infinity logits name it, with the NaN left where it was), nothing drawn.
  test('NaN or +Infinity at a disallowed position, the last one, in the tail: the same error, nothing consumed', async () => {
    const n = 4159; // a partial last word and a partial last block
    const x = makeLogits(n, 'flat', 9);
    const special = [0, 31, 32, 4095, 4100, n - 1];
    const ids = pickTokens(n, 60, 10).filter((i) => !special.includes(i));
    // -Infinity, and allowed by the dense twin of the mask only: past n/64, nothing else changed.
    const pad = [...Array(n).keys()].filter((i) => i > 100 && !ids.includes(i)).slice(0, limitOf(n) + 1 - ids.length);
    for (const i of pad) x[i] = -Infinity;
    const mask = maskFor(n, ids, true);
    const dense = maskFor(n, [...ids, ...pad], true);
    const [s, t] = await pair(backend);
    const u = await createSampler({ backend, seed: 3 });
    for (const at of special) {
      for (const bad of [Number.NaN, Infinity]) {
        const y = x.slice();
        y[at] = bad;
        const masked = maskedLogits(y, mask);
        masked[at] = bad;
        for (const [, params] of CHAINS.slice(0, 4)) {
          const got = draws(s, y, { ...params, allowed: mask }, 1);
          expect(got).toEqual(
            `RangeError: logits[${at}] is ${bad}; logits must be finite numbers or -Infinity (masked)`,
          );
          expect(got).toEqual(draws(t, masked, params, 1));
          expect(got).toEqual(draws(u, y, { ...params, allowed: dense }, 1));
          expect(outcome(() => s.probs(y, { ...params, allowed: mask }))).toEqual(got);
        }
        expect(y[at]).toBe(bad);
      }
    }
    expectSameStream(s, t);
  });

  test('every allowed token -Infinity or banned: the all-masked error, and the next call unharmed', async () => {
    const n = 1024;
    const x = makeLogits(n, 'flat', 11);
    const ids = [5, 40, 41, 900];
    const mask = maskFor(n, ids);
    const [s, t] = await pair(backend);
    const view = s.logitsView(n);
    view.set(x);
    const all = `RangeError: every token is masked (-Infinity, disallowed by allowed, or banned by logitBias, badWords or noRepeatNgramSize), so none can be drawn (length ${n})`;
    const bans: SamplingParams[] = [
      { logitBias: { ids: Int32Array.from(ids), values: new Float32Array(ids.length).fill(-Infinity) } },
      { badWords: ids.map((i) => [i]), history: Int32Array.of(1) },
      { noRepeatNgramSize: 1, history: Int32Array.from(ids) },
      {
        logitBias: { ids: Int32Array.of(5, 40), values: Float32Array.of(-Infinity, -Infinity) },
        badWords: [[41]],
        noRepeatNgramSize: 1,
        history: Int32Array.of(900),
      },
    ];
    for (const ban of bans) {
      for (const [, params] of CHAINS.slice(0, 5)) {
        const q = { ...params, ...ban };
        expect(draws(s, view, { ...q, allowed: mask }, 1)).toEqual(all);
        expect(outcome(() => s.probs(view, { ...q, allowed: mask }))).toEqual(all);
        expect(outcome(() => s.sampleDetailed(view, { ...q, allowed: mask }))).toEqual(all);
        expect(draws(t, maskedLogits(x, mask), q, 1)).toEqual(all);
      }
      expect(view).toEqual(x);
    }
    // Allowed, but -Infinity, every one: and the disallowed tokens hold the largest logits.
    const y = x.slice();
    for (const i of ids) y[i] = -Infinity;
    y[6] = 80;
    expect(draws(s, y, { allowed: mask, temperature: 0 }, 1)).toEqual(all);
    // No mask bit at all below n (the slack bits past n do not count).
    expect(draws(s, x.subarray(0, 1000), { allowed: maskFor(1000, [], true) }, 1)).toEqual(
      all.replace(`length ${n}`, 'length 1000'),
    );
    expectSameStream(s, t);
  });

  test("sampleDetailed: 'processed' as -Infinity logits, 'raw' as the dense mask route", async () => {
    const n = 3001;
    const x = makeLogits(n, 'lm', 12);
    const ids = pickTokens(n, limitOf(n), 13);
    const extra = [...Array(n).keys()].filter((i) => !ids.includes(i)).slice(0, 2);
    for (const i of extra) x[i] = -Infinity;
    const mask = maskFor(n, ids);
    const dense = maskFor(n, [...ids, ...extra]);
    const masked = maskedLogits(x, mask);
    const [s, t] = await pair(backend);
    const u = await createSampler({ backend, seed: 3 });
    const banned = [...Array(n).keys()].find((i) => !ids.includes(i) && !extra.includes(i))!;
    const edits = { logitBias: { ids: Int32Array.of(ids[0]!, banned), values: Float32Array.of(2, 3e38) } };
    for (const [name, params] of CHAINS) {
      const q = { ...params, ...edits };
      for (let k = 0; k < 3; k++) {
        const got = s.sampleDetailed(x, { ...q, allowed: mask }, { topLogprobs: 5, entropy: true });
        const want = t.sampleDetailed(masked, q, { topLogprobs: 5, entropy: true });
        expect(got.token, name).toBe(want.token);
        expect(got.topLogprobs.map((e) => e.token)).toEqual(want.topLogprobs.map((e) => e.token));
        expect(got.logprob).toBeCloseTo(want.logprob, 5);
        expect(got.entropy).toBeCloseTo(want.entropy!, 5);
        expect(got.temperature).toBe(want.temperature);
        expect(u.sampleDetailed(x, { ...q, allowed: dense }, { topLogprobs: 5 }).token).toBe(got.token);
        const raw = s.sampleDetailed(x, { ...q, allowed: mask }, { topLogprobs: 5, logprobs: 'raw' });
        const rawDense = u.sampleDetailed(x, { ...q, allowed: dense }, { topLogprobs: 5, logprobs: 'raw' });
        t.sample(masked, q);
        expect(raw.token).toBe(rawDense.token);
        expect(raw.logprob).toBeCloseTo(rawDense.logprob, 6);
        expect(raw.topLogprobs).toEqual(rawDense.topLogprobs);
      }
    }
    expectSameStream(s, t);
  });

  test('sampleRows: each row as its own call on -Infinity logits; a broken row rewinds every stream', async () => {
    const n = 1280; // 20 allowed at most
    const rows = 3;
    const mask = maskFor(n, pickTokens(n, 20, 14));
    const block = new Float32Array(rows * n);
    for (let r = 0; r < rows; r++) block.set(makeLogits(n, 'flat', 20 + r), r * n);
    const maskedBlock = new Float32Array(rows * n);
    for (let r = 0; r < rows; r++) maskedBlock.set(maskedLogits(block.subarray(r * n, (r + 1) * n), mask), r * n);
    const [s, t] = await pair(backend);
    const ss = [1, 2, 3].map((k) => s.stream(k));
    const ts = [1, 2, 3].map((k) => t.stream(k));
    const view = s.logitsView(rows * n);
    view.set(block);
    const hidden = [...Array(n).keys()].find((i) => !isAllowed(mask, i))!;
    const bias = { ids: Int32Array.of(allowedIds(mask, n)[0]!, hidden), values: Float32Array.of(3, 3e38) };
    for (const [name, params] of CHAINS.slice(0, 6)) {
      const q = { ...params, logitBias: bias };
      for (const input of [block, view, Float64Array.from(block)]) {
        expect(Array.from(s.sampleRows(input, n, { ...q, allowed: mask }, ss)), name).toEqual(
          Array.from(t.sampleRows(maskedBlock, n, q, ts)),
        );
      }
      // Per row: the sparse mask, no mask, the sparse mask.
      const mixed = new Float32Array(maskedBlock);
      mixed.set(block.subarray(n, 2 * n), n);
      expect(Array.from(s.sampleRows(view, n, [{ ...q, allowed: mask }, q, { ...q, allowed: mask }], ss))).toEqual(
        Array.from(t.sampleRows(mixed, n, [q, q, q], ts)),
      );
    }
    expect(view).toEqual(block);
    const broken = block.slice();
    broken[2 * n + hidden] = Number.NaN;
    expect(outcome(() => s.sampleRows(broken, n, { allowed: mask }, ss))).toEqual(
      `RangeError: row 2: logits[${hidden}] is NaN; logits must be finite numbers or -Infinity (masked)`,
    );
    expect(ss.map((st) => st.sample(block.subarray(0, n)))).toEqual(ts.map((st) => st.sample(block.subarray(0, n))));
  });

  test('verifyDraft with a sparse mask: as -Infinity logits, a disallowed draft token rejected', async () => {
    const n = 960; // 15 allowed at most
    const k = 3;
    const ids = pickTokens(n, 15, 15);
    const mask = maskFor(n, ids);
    const target = new Float32Array((k + 1) * n);
    const maskedTarget = new Float32Array((k + 1) * n);
    for (let r = 0; r <= k; r++) {
      target.set(makeLogits(n, 'peaked', 30 + r), r * n);
      maskedTarget.set(maskedLogits(target.subarray(r * n, (r + 1) * n), mask), r * n);
    }
    const disallowed = [...Array(n).keys()].find((i) => !isAllowed(mask, i))!;
    const [s, t] = await pair(backend);
    for (const params of [{}, { topK: 3 }, { temperature: 0 }, { topP: 0.5 }] as SamplingParams[]) {
      for (const draftTokens of [ids.slice(0, 3), [ids[0]!, disallowed, ids[1]!], [ids[4]!, ids[4]!, ids[4]!]]) {
        for (let rep = 0; rep < 4; rep++) {
          const got = s.verifyDraft({ target, draftTokens, vocabSize: n, params: { ...params, allowed: mask } });
          expect(got).toEqual(t.verifyDraft({ target: maskedTarget, draftTokens, vocabSize: n, params }));
          expect(got.accepted).toBeLessThanOrEqual(draftTokens.indexOf(disallowed) >>> 0);
          expect(isAllowed(mask, got.token)).toBe(true);
        }
      }
    }
  });

  // Step one runs every getter, then the arrays are read: a getter that rewrites the mask (into
  // a sparse one here, from a dense one) or the logits is seen in full, and runs once.
  test('getters that rewrite the mask and the logits: run once, before either is read', async () => {
    const n = 1024;
    const x = makeLogits(n, 'flat', 16);
    const [s, t] = await pair(backend);
    const mask = new Uint32Array(n / 32).fill(0xffffffff);
    let reads = 0;
    const params = {
      get allowed() {
        reads++;
        return mask;
      },
      get temperature() {
        mask.fill(0);
        mask[3] = 0b1011; // tokens 96, 97, 99
        x[97] = 30;
        return 0.8;
      },
      topK: 2,
    };
    const token = s.sample(x, params);
    expect(reads).toBe(1);
    expect(token).toBe(t.sample(maskedLogits(x, mask), { temperature: 0.8, topK: 2 }));
    expect(token).toBe(97);
  });

  test('sparse, dense, no mask, failures, in any order: no call leaves anything behind', async () => {
    const n = 2048;
    const x = makeLogits(n, 'flat', 17).map((v) => v * 2);
    const ids = pickTokens(n, 32, 18);
    const mask = maskFor(n, ids);
    const denseMask = maskFor(n, [...ids, ...pickTokens(n, 100, 19)]);
    const [s, t] = await pair(backend);
    const view = s.logitsView(n);
    view.set(x);
    const history = Int32Array.from(ids.slice(0, 6));
    const steps: [SamplingParams, Float32Array, SamplingParams][] = [
      [
        { allowed: mask, topK: 3, repetitionPenalty: 1.5, history },
        maskedLogits(x, mask),
        { topK: 3, repetitionPenalty: 1.5, history },
      ],
      [{ allowed: denseMask, topP: 0.9 }, maskedLogits(x, denseMask), { topP: 0.9 }],
      [
        {
          allowed: mask,
          logitBias: { ids: Int32Array.of(ids[0]!, ids[1]!, n + 3), values: Float32Array.of(5, -Infinity, 1) },
        },
        maskedLogits(x, mask),
        { logitBias: { ids: Int32Array.of(ids[0]!, ids[1]!, n + 3), values: Float32Array.of(5, -Infinity, 1) } },
      ],
      [{ allowed: mask }, maskedLogits(x, mask), {}],
      [
        { allowed: mask, logitBias: { ids: Int32Array.of(ids[2]!, ids[3]!), values: Float32Array.of(4, Number.NaN) } },
        maskedLogits(x, mask),
        { logitBias: { ids: Int32Array.of(ids[2]!, ids[3]!), values: Float32Array.of(4, Number.NaN) } },
      ],
      [{ temperature: 0.5 }, x, { temperature: 0.5 }],
      [{ allowed: mask, temperature: 0 }, maskedLogits(x, mask), { temperature: 0 }],
      [
        { allowed: mask, logitBias: { ids: Int32Array.of(ids[4]!, ids[4]!), values: Float32Array.of(3e38, 3e38) } },
        maskedLogits(x, mask),
        { logitBias: { ids: Int32Array.of(ids[4]!, ids[4]!), values: Float32Array.of(3e38, 3e38) } },
      ],
      [{ allowed: mask, noRepeatNgramSize: 1, history }, maskedLogits(x, mask), { noRepeatNgramSize: 1, history }],
      [
        { allowed: mask, adaptiveP: createAdaptiveP({ target: 0.3 }) },
        maskedLogits(x, mask),
        { adaptiveP: createAdaptiveP({ target: 0.3 }) },
      ],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [p, y, q] of steps) {
        const got = draws(s, view, p, 2);
        expect(got).toEqual(draws(t, y, q, 2));
        if (typeof got !== 'string') expectClose(s.probs(view, p), t.probs(y, q));
        expect(view).toEqual(x);
      }
    }
    expectSameStream(s, t);
  });

  test('adaptive-p over 100 draws, greedy and after top-k: the same tokens and state', async () => {
    const n = 4096;
    const x = makeLogits(n, 'lm', 22);
    const mask = maskFor(n, pickTokens(n, 64, 23));
    const masked = maskedLogits(x, mask);
    const [s, t] = await pair(backend);
    for (const extra of [{}, { order: 'llama.cpp', topK: 8, temperature: 0.9 }] as SamplingParams[]) {
      const [a, b] = [createAdaptiveP({ target: 0.2 }), createAdaptiveP({ target: 0.2 })];
      for (let k = 0; k < 100; k++) {
        expect(s.sample(x, { ...extra, allowed: mask, adaptiveP: a })).toBe(
          t.sample(masked, { ...extra, adaptiveP: b }),
        );
      }
      expect(a.totalWeight).toBe(b.totalWeight);
      expect(a.weightedSum).toBeCloseTo(b.weightedSum, 6);
    }
    expectSameStream(s, t);
  });

  // The order bytes past a call's own order hold what an earlier, longer order left there: a
  // mirostat order [temperature, mirostat] left its second byte, and a later call whose only
  // stage was the temperature read it as its own next stage on the sparse route — mirostat on
  // the unmasked logits (disallowed tokens; a trap on ties at the maximum).
  test('after a mirostat call, and beside a mirostat row in one batch: the mask still holds', async () => {
    const n = 4099;
    const r = rng(1);
    const x = Float32Array.from({ length: n }, (_, i) => -Math.floor(i / 64) * 3 + (r() < 0.3 ? 0 : -20));
    const mask = maskFor(n, [100, 200, 300]);
    const masked = maskedLogits(x, mask);
    const mirostat = { version: 2, tau: 3, eta: 0.1, m: 100, mu: 200 } as const;
    const [s, t] = await pair(backend);
    s.probs(x, { mirostat });
    expect(draws(s, x, { allowed: mask }, 4)).toEqual(draws(t, masked, {}, 4));
    expectClose(s.probs(x, { allowed: mask }), t.probs(masked));
    const batch = new Float32Array(2 * n);
    batch.set(x, n);
    const [u, v] = await pair(backend);
    const got = u.sampleRows(batch, n, [{ mirostat }, { allowed: mask }], [u.stream(1), u.stream(2)]);
    expect(got[1]).toBe(v.stream(2).sample(masked));
  });
});
