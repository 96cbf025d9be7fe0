// `mirostat` (Basu et al. 2021; llama.cpp --mirostat 1|2): a terminal stage after the
// temperature alone. Version 2 keeps −log2 p ≤ mu (at least the top token), version 1 the top
// k of a Zipf fit; sample() and sampleDetailed() then set mu −= eta·(−log2 p(token) − tau).
// The float64 reference is test/support/terminal-reference.ts.
import { describe, expect, test } from 'vitest';
import { createMirostat, createSampler, type MirostatState, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { bits, CHECKED, firstDifference } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { type BadState, rejectsBadStates } from '../support/state-errors.js';
import { chiSquare, criticalZ } from '../support/stats.js';
import { mirostatAfter, mirostatReference } from '../support/terminal-reference.js';

const lm = makeLogits(3000, 'lm', 61);
const peaked = makeLogits(3000, 'peaked', 62);
const flat = makeLogits(3000, 'flat', 63);
const masked = makeLogits(2000, 'masked', 64);
const wideLm = makeLogits(40_000, 'lm', 65);

const state = (version: 1 | 2, mu: number, extra: Partial<MirostatState> = {}): MirostatState => ({
  ...createMirostat({ version }),
  mu,
  ...extra,
});

interface Case {
  name: string;
  x: Float32Array;
  s: MirostatState;
  T: number;
}

// Every way version 2 keeps its set: a few blocks listed (mu 3–12), the stored e of most
// blocks under a floor (mu 25 and 40), every token (mu 80), the top one alone (mu −1, and flat
// logits, whose top is more surprising than 5 bits); version 1 at small and large k.
const CASES: Case[] = [
  { name: 'v2 mu 8, LM-like', x: lm, s: state(2, 8), T: 1 },
  { name: 'v2 mu 12 at T 0.7', x: lm, s: state(2, 12), T: 0.7 },
  { name: 'v2 mu 3 at T 1.5', x: peaked, s: state(2, 3), T: 1.5 },
  { name: 'v2 mu 25 (most blocks)', x: lm, s: state(2, 25), T: 1 },
  { name: 'v2 mu 40 over 40,000 tokens', x: wideLm, s: state(2, 40), T: 1.2 },
  { name: 'v2 mu 80 (every token)', x: lm, s: state(2, 80), T: 0.9 },
  { name: 'v2 mu −1 (the top one)', x: lm, s: state(2, -1), T: 1 },
  { name: 'v2 mu 5 on flat logits (the top one)', x: flat, s: state(2, 5), T: 1 },
  { name: 'v2 mu 9 over masked logits', x: masked, s: state(2, 9), T: 1 },
  { name: 'v1 mu 10', x: lm, s: state(1, 10), T: 1 },
  { name: 'v1 mu 14, m 20, T 0.8', x: peaked, s: state(1, 14, { m: 20 }), T: 0.8 },
  { name: 'v1 mu 30 over masked logits', x: masked, s: state(1, 30), T: 1.3 },
  { name: 'v1 mu 200 (every token)', x: lm, s: state(1, 200), T: 1 },
];

/** probs() against the reference: the same kept set (tokens a float32 kernel flushes to 0
 *  aside) and each kept probability within 2e-5. */
function checkProbs(got: Float32Array, c: Case): void {
  const ref = mirostatReference(c.x, c.s, c.T);
  expect(ref.ambiguous, `${c.name}: a boundary case`).toBe(false);
  const top = Math.max(...ref.p);
  for (let i = 0; i < c.x.length; i++) {
    const want = ref.p[i]!;
    if (want < 1e-15 * top && got[i] === 0) continue; // below the kernels' exponential
    if (want === 0) expect(got[i], `${c.name}: token ${i} is outside the kept set`).toBe(0);
    else expect(Math.abs(got[i]! - want) / want, `${c.name}: token ${i}`).toBeLessThan(2e-5);
  }
}

const paramsOf = (c: Case): SamplingParams => ({ mirostat: c.s, temperature: c.T });

describe('mirostat: probs() matches the float64 reference', () => {
  test.each(BACKENDS)('%s', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    for (const c of CASES) checkProbs(s.probs(c.x, paramsOf(c)), c);
  });

  test.each(BACKENDS)('%s: the kept set for a few mu, as llama.cpp defines it', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    // p = [0.5, 0.25, 0.125, 0.125]: surprises 1, 2, 3, 3 bits.
    const x = [0.5, 0.25, 0.125, 0.125].map(Math.log);
    expect(keptSet(s.probs(x, { mirostat: state(2, 2.5) }))).toEqual([0, 1]);
    expect(keptSet(s.probs(x, { mirostat: state(2, 3) }))).toEqual([0, 1, 2, 3]);
    expect(keptSet(s.probs(x, { mirostat: state(2, 0.5) }))).toEqual([0]);
    // The top one alone: the first of tied maxima.
    expect(keptSet(s.probs([1, 3, 3, 0], { mirostat: state(2, 0.1) }))).toEqual([1]);
  });
});

describe('mirostat: draws follow the float64 distribution', () => {
  // eta = 0 holds mu, so every draw comes from the same distribution.
  const fits = CASES.filter((c) => [0, 3, 8, 9, 10].includes(CASES.indexOf(c)));
  // On wasm-simd: the builds draw the same tokens (the decode-loop test below, and parity/).
  const zCrit = criticalZ(1e-3 / fits.length);
  for (const backend of [CHECKED] as const) {
    test.each(fits.map((c) => [c.name, c] as const))(`${backend}: %s`, async (_, c) => {
      const s = await createSampler({ backend, seed: 4242 });
      const held = { ...c.s, eta: 0 };
      const want = mirostatReference(c.x, held, c.T).p;
      const counts = new Float64Array(c.x.length);
      const draws = 20_000;
      for (let i = 0; i < draws; i++) counts[s.sample(c.x, { mirostat: held, temperature: c.T })]!++;
      for (let i = 0; i < counts.length; i++) if (want[i] === 0) expect(counts[i]).toBe(0);
      const fit = chiSquare(counts, want, draws);
      expect(fit.z, `chi2 ${fit.chi2.toFixed(1)} on ${fit.df} df`).toBeLessThan(zCrit);
      expect(held.mu).toBe(c.s.mu);
    });
  }
});

describe('mirostat: the state over a decode loop', () => {
  // Fresh logits every step, as a model gives them, at a temperature of 0.9.
  const pool = Array.from({ length: 16 }, (_, i) => makeLogits(2000, i % 3 ? 'lm' : 'peaked', 700 + i));
  const STEPS = 300;

  async function run(backend: (typeof BACKENDS)[number], s0: MirostatState, detailed = false) {
    const s = await createSampler({ backend, seed: 9 });
    const st = { ...s0 };
    const tokens: number[] = [];
    const mus: number[] = [st.mu];
    for (let i = 0; i < STEPS; i++) {
      const p = { mirostat: st, temperature: 0.9 };
      const x = pool[i % pool.length]!;
      tokens.push(detailed ? s.sampleDetailed(x, p).token : s.sample(x, p));
      mus.push(st.mu);
    }
    return { tokens, mus };
  }

  // These logits' surprise runs low: at tau 1 mu stays between 2 and 11 (the top token alone
  // at times, a few listed); at tau 2.5 it climbs through every regime to keeping every token.
  for (const [version, tau] of [
    [1, 1],
    [2, 1],
    [1, 2.5],
    [2, 2.5],
  ] as const) {
    const s0 = createMirostat({ version, tau, eta: 0.3 });
    test(`v${version}, tau ${tau}: tokens and every mu bit-identical on ${BACKENDS.join(', ')}, and sampleDetailed() the same`, async () => {
      const [first, ...rest] = await Promise.all(BACKENDS.map((b) => run(b, s0)));
      for (const other of rest) {
        expect(other.tokens).toEqual(first!.tokens);
        expect(other.mus.every((mu, i) => Object.is(mu, first!.mus[i]))).toBe(true);
      }
      const detailed = await run('js', s0, true);
      expect(detailed).toEqual(first);
      if (tau === 1) expect([Math.min(...first!.mus) < 3, Math.max(...first!.mus) > 8]).toEqual([true, true]);
      else expect(Math.max(...first!.mus)).toBeGreaterThan(80);
    });

    test(`v${version}, tau ${tau}: every step as a float64 re-implementation computes it`, async () => {
      const { tokens, mus } = await run('wasm-simd', s0);
      // Each step from the kernel's previous mu: the token is in the reference's kept set and
      // the new mu within 1e-6 (float32 probabilities move −log2 p by ~1e-7 bits; 4e-8 seen).
      let own = s0.mu;
      for (let i = 0; i < STEPS; i++) {
        const x = pool[i % pool.length]!;
        const prev = { ...s0, mu: mus[i]! };
        const ref = mirostatReference(x, prev, 0.9);
        expect(ref.ambiguous, `step ${i}`).toBe(false);
        const p = ref.p[tokens[i]!]!;
        expect(p, `step ${i}: token ${tokens[i]}`).toBeGreaterThan(0);
        expect(Math.abs(mus[i + 1]! - mirostatAfter(prev, p)), `step ${i}`).toBeLessThan(1e-6);
        // And the reference's own mu, through the same tokens, never far off.
        own = mirostatAfter({ ...s0, mu: own }, mirostatReference(x, { ...s0, mu: own }, 0.9).p[tokens[i]!]!);
      }
      expect(Math.abs(own - mus[STEPS]!)).toBeLessThan(1e-5);
    });
  }
});

describe.each(BACKENDS)('mirostat (%s)', (backend) => {
  test('greedy: the argmax, and mu moves as for a token of probability 1', async () => {
    const s = await createSampler({ backend, seed: 3 });
    for (const version of [1, 2] as const) {
      const st = createMirostat({ version, tau: 4, eta: 0.3 });
      const mu = st.mu;
      expect(s.sample(lm, { mirostat: st, temperature: 0 })).toBe(lm.indexOf(Math.max(...lm)));
      expect(st.mu).toBe(mu - 0.3 * (0 - 4));
      expect(keptSet(s.probs(lm, { mirostat: st, temperature: 0 }))).toEqual([lm.indexOf(Math.max(...lm))]);
    }
  });

  test('probs() leaves the state alone; sampleDetailed() reports the distribution drawn from', async () => {
    const s = await createSampler({ backend, seed: 4 });
    const twin = await createSampler({ backend, seed: 4 });
    let writes = 0;
    const st = createMirostat({ version: 2 });
    const watched = Object.defineProperty({ ...st }, 'mu', {
      enumerable: true,
      get: () => st.mu,
      set: (v: number) => {
        writes++;
        st.mu = v;
      },
    });
    const p = s.probs(lm, { mirostat: watched, temperature: 0.8 });
    s.probs(lm, { mirostat: watched, temperature: 0.8 }, new Float32Array(lm.length));
    expect(writes).toBe(0);
    expect(st.mu).toBe(10);
    const mirror = { ...st };
    const d = s.sampleDetailed(lm, { mirostat: watched, temperature: 0.8 }, { topLogprobs: 50, entropy: true });
    expect(writes).toBe(1);
    expect(twin.sample(lm, { mirostat: mirror, temperature: 0.8 })).toBe(d.token);
    expect(mirror.mu).toBe(st.mu);
    expect(d.logprob).toBeCloseTo(Math.log(p[d.token]!), 5);
    // Only kept tokens are listed, and the entropy is that of the renormalised kept set.
    const kept = keptSet(p);
    expect(d.topLogprobs.map((t) => t.token).sort((a, b) => a - b)).toEqual(kept);
    const entropy = kept.reduce((h, i) => h - p[i]! * Math.log(p[i]!), 0);
    expect(d.entropy).toBeCloseTo(entropy, 4);
  });

  test('the chain is the temperature alone: either named order, and dynamic temperature', async () => {
    const s = await createSampler({ backend, seed: 5 });
    const st = state(2, 9);
    const hf = s.probs(lm, { mirostat: st, temperature: 0.7 });
    const llama = s.probs(lm, { mirostat: st, temperature: 0.7, order: 'llama.cpp' });
    expect(firstDifference(bits(llama), bits(hf))).toBe(-1);
    const own = s.probs(lm, { mirostat: st, temperature: 0.7, order: ['temperature'] });
    expect(firstDifference(bits(own), bits(hf))).toBe(-1);
    // Off values of the truncations are no truncation.
    const off = s.probs(lm, { mirostat: st, temperature: 0.7, topK: 0, topP: 1, minP: 0, typicalP: 1 });
    expect(firstDifference(bits(off), bits(hf))).toBe(-1);
    const dyn = s.sampleDetailed(lm, { mirostat: st, dynamicTemperature: { min: 0.5, max: 1.5 } });
    expect(dyn.temperature).toBeGreaterThan(0.5);
    expect(dyn.temperature).toBeLessThan(1.5);
  });

  test('version 1 at its edges: m = 1, m past the vocabulary, all-equal logits, one token', async () => {
    const s = await createSampler({ backend, seed: 6 });
    // Nothing to fit: one token (the top-k of 1, ties kept).
    expect(keptSet(s.probs(lm, { mirostat: state(1, 10, { m: 1 }) }))).toEqual([lm.indexOf(Math.max(...lm))]);
    const small = [2, 1, 0.5, -1, -3];
    const big = s.probs(small, { mirostat: state(1, 6, { m: 1e6 }) });
    const ref = mirostatReference(small, state(1, 6, { m: 1e6 }));
    for (let i = 0; i < small.length; i++) expect(big[i]).toBeCloseTo(ref.p[i]!, 6);
    // ŝ = 0: every token when 2^mu/(V − 1) > 1, else the top "one" — all of them, tied.
    const even = new Float32Array(300).fill(0.25);
    expect(keptSet(s.probs(even, { mirostat: state(1, 9) })).length).toBe(300);
    expect(keptSet(s.probs(even, { mirostat: state(1, 8) })).length).toBe(300);
    const single = createMirostat({ version: 1 });
    expect(s.sample([4], { mirostat: single })).toBe(0);
    expect(single.mu).toBe(10 - 0.1 * (0 - 5));
  });

  test('a huge tau or eta keeps the state finite: mu stops at ±Number.MAX_VALUE', async () => {
    const s = await createSampler({ backend, seed: 8 });
    const huge = createMirostat({ version: 2, tau: 1e308 });
    expect(huge.mu).toBe(Number.MAX_VALUE);
    // mu past every surprise keeps every token; the update would overflow to +Infinity.
    expect(keptSet(s.probs(lm, { mirostat: huge })).length).toBe(lm.length);
    for (let i = 0; i < 3; i++) s.sample(lm, { mirostat: huge });
    expect(huge.mu).toBe(Number.MAX_VALUE);
    // eta 1e308 after a surprise above tau (log2 300 over 300 equal tokens, tau 0) drives mu
    // to −Infinity unclamped; at −MAX_VALUE it keeps one top token, as any mu below 0 does.
    const even = new Float32Array(300).fill(0.5);
    const steep = { ...createMirostat({ version: 2, tau: 0, eta: 1e308 }), mu: 10 };
    s.sample(even, { mirostat: steep });
    expect(steep.mu).toBe(-Number.MAX_VALUE);
    expect(keptSet(s.probs(even, { mirostat: steep })).length).toBe(1);
    s.sample(even, { mirostat: steep });
    expect(steep.mu).toBe(-Number.MAX_VALUE);
  });

  test('a state that cannot take its new mu: the error, and the stream and state as before', async () => {
    const s = await createSampler({ backend, seed: 9 });
    const twin = await createSampler({ backend, seed: 9 });
    // Not frozen (that is refused up front), but mu read-only, or a getter alone.
    for (const mu of [{ value: 10, writable: false }, { get: () => 10 }]) {
      const st = Object.defineProperty(createMirostat({ version: 2 }), 'mu', { ...mu, enumerable: true });
      expect(() => s.sample(lm, { mirostat: st })).toThrow(
        /^mirostat: the draw's new state could not be written back \(.*\); nothing was drawn/,
      );
      expect(st.mu).toBe(10);
      expect(s.probs(lm, { mirostat: st })).toEqual(twin.probs(lm, { mirostat: createMirostat({ version: 2 }) }));
    }
    expect(s.sample(lm)).toBe(twin.sample(lm));
  });

  test('a rejected call leaves the state alone and consumes no random value', async () => {
    const s = await createSampler({ backend, seed: 7 });
    const twin = await createSampler({ backend, seed: 7 });
    const st = createMirostat({ version: 2 });
    const bad = Float32Array.from(lm);
    bad[17] = Number.NaN;
    expect(() => s.sample(bad, { mirostat: st })).toThrow(/logits\[17\] is NaN/);
    expect(() => s.sampleDetailed(lm, { mirostat: st }, { topLogprobs: -1 })).toThrow(RangeError);
    expect(() => s.sample(lm, { mirostat: st, topK: 40 })).toThrow(TypeError);
    expect(st).toEqual(createMirostat({ version: 2 }));
    const mirror = createMirostat({ version: 2 });
    expect(s.sample(lm, { mirostat: st })).toBe(twin.sample(lm, { mirostat: mirror }));
    expect(st.mu).toBe(mirror.mu);
  });
});

describe('mirostat: bad states and options, named', () => {
  const good = () => createMirostat({ version: 2 });
  const CASES: BadState[] = [
    [
      'a number',
      () => 2,
      TypeError,
      /mirostat must be a state from createMirostat.*got 2 \(llama\.cpp's mirostat 2 is/,
    ],
    ['null', () => null, TypeError, /mirostat must be a state from createMirostat/],
    ['an array', () => [2, 5], TypeError, /mirostat must be a state.*got an array of length 2/],
    [
      'an unknown field',
      () => ({ ...good(), versoin: 2 }),
      TypeError,
      /unknown mirostat option 'versoin' \(did you mean 'version'\?\)/,
    ],
    ['another case', () => ({ ...good(), Tau: 5 }), TypeError, /did you mean 'tau'/],
    ["llama.cpp's name", () => ({ ...good(), mirostat_eta: 0.1 }), TypeError, /did you mean 'eta'/],
    [
      'no mu',
      () => ({ version: 2, tau: 5, eta: 0.1, m: 100 }),
      TypeError,
      /mirostat\.mu is missing: make the state with createMirostat\(\)/,
    ],
    ['version 3', () => ({ ...good(), version: 3 }), RangeError, /mirostat\.version must be 1 or 2, got 3/],
    ["version '2'", () => ({ ...good(), version: '2' }), TypeError, /mirostat\.version must be a number, got "2"/],
    ['tau −1', () => ({ ...good(), tau: -1 }), RangeError, /mirostat\.tau must be a finite number ≥ 0, got -1/],
    ['tau NaN', () => ({ ...good(), tau: Number.NaN }), RangeError, /mirostat\.tau .*got NaN/],
    ['eta −0.1', () => ({ ...good(), eta: -0.1 }), RangeError, /mirostat\.eta must be a finite number ≥ 0, got -0\.1/],
    ['eta Infinity', () => ({ ...good(), eta: Infinity }), RangeError, /mirostat\.eta .*got Infinity/],
    ['m 0', () => ({ ...good(), m: 0 }), RangeError, /mirostat\.m must be an integer ≥ 1, got 0/],
    ['m 2.5', () => ({ ...good(), m: 2.5 }), RangeError, /mirostat\.m must be an integer ≥ 1, got 2\.5/],
    ['mu NaN', () => ({ ...good(), mu: Number.NaN }), RangeError, /mirostat\.mu must be a finite number, got NaN/],
    [
      'mu Infinity',
      () => ({ ...good(), mu: Infinity }),
      RangeError,
      /mirostat\.mu must be a finite number, got Infinity/,
    ],
    ['a frozen state', () => Object.freeze(good()), TypeError, /mirostat is frozen: a draw writes its new state back/],
  ];
  rejectsBadStates('mirostat', CASES, lm);

  test.each(BACKENDS)('%s: the chain mirostat allows', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const st = good();
    for (const [other, name] of [
      [{ topK: 40 }, 'topK'],
      [{ topP: 0.9 }, 'topP'],
      [{ minP: 0.05 }, 'minP'],
      [{ typicalP: 0.9 }, 'typicalP'],
      [{ topNSigma: 1 }, 'topNSigma'],
    ] as const) {
      expect(() => s.sample(lm, { mirostat: st, ...other })).toThrow(
        new RegExp(
          `${name} cannot be combined with mirostat: as in llama\\.cpp, mirostat runs after the temperature alone`,
        ),
      );
    }
    expect(() => s.sample(lm, { mirostat: st, order: ['temperature', 'mirostat'] as never })).toThrow(
      /order\[1\] is 'mirostat', which order does not place: it always runs last/,
    );
    expect(() => s.sample(lm, { mirostat_tau: 5 } as never)).toThrow(/did you mean 'mirostat'/);
    expect(st).toEqual(good());
  });

  test('createMirostat: defaults, and its own checks', () => {
    expect(createMirostat({ version: 2 })).toEqual({ version: 2, tau: 5, eta: 0.1, m: 100, mu: 10 });
    expect(createMirostat({ version: 1, tau: 3, eta: 0.2, m: 50 })).toEqual({
      version: 1,
      tau: 3,
      eta: 0.2,
      m: 50,
      mu: 6,
    });
    expect(() => createMirostat({} as never)).toThrow(/createMirostat needs version: 1 or 2/);
    expect(() => createMirostat({ version: 0 } as never)).toThrow(/createMirostat version must be 1 or 2, got 0/);
    expect(() => createMirostat({ version: 2, tau: -1 })).toThrow(/createMirostat tau must be a finite number ≥ 0/);
    expect(() => createMirostat({ version: 2, eta: Number.NaN })).toThrow(/createMirostat eta/);
    expect(() => createMirostat({ version: 1, m: 0 })).toThrow(/createMirostat m must be an integer ≥ 1, got 0/);
    expect(() => createMirostat({ version: 2, mu: 3 } as never)).toThrow(/unknown createMirostat option 'mu'/);
    expect(() => createMirostat({ version: 2, lr: 3 } as never)).toThrow(/did you mean 'eta'/);
    expect(() => createMirostat(2 as never)).toThrow(/createMirostat options must be an object/);
  });
});
