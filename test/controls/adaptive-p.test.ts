// `adaptiveP` (llama.cpp PR #17927): a terminal stage after every stage of the order. Each kept
// token, p its probability, gets the logit 5 − 10·d²/(1 + d), d = |p − a|/0.3, a =
// clamp(2·target − weightedSum/totalWeight, 0, 1); the token is drawn from their softmax, and
// sample()/sampleDetailed() then move the average: weightedSum ← p(token) + decay·weightedSum,
// totalWeight ← 1 + decay·totalWeight. The float64 reference applies that to the float64
// reference of the chain before it (test/support/reference.ts).
import { describe, expect, test } from 'vitest';
import { type AdaptivePState, createAdaptiveP, createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { bits, CHECKED, firstDifference } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { type Params, reference } from '../support/reference.js';
import { type BadState, rejectsBadStates } from '../support/state-errors.js';
import { chiSquare, criticalZ } from '../support/stats.js';
import { adaptedTarget, adaptiveAfter, adaptiveReference } from '../support/terminal-reference.js';

const lm = makeLogits(3000, 'lm', 71);
const peaked = makeLogits(3000, 'peaked', 72);
const masked = makeLogits(2000, 'masked', 73);

const moved = (target: number, weightedSum: number, totalWeight: number, decay = 0.9): AdaptivePState => ({
  target,
  decay,
  weightedSum,
  totalWeight,
});

interface Case {
  name: string;
  x: Float32Array;
  chain: Params;
  s: AdaptivePState;
}

const CASES: Case[] = [
  {
    name: 'after min-p 0.05 (as llama.cpp advises)',
    x: lm,
    chain: { minP: 0.05 },
    s: createAdaptiveP({ target: 0.3 }),
  },
  {
    name: 'after top-k 40 at T 0.8',
    x: lm,
    chain: { topK: 40, temperature: 0.8 },
    s: createAdaptiveP({ target: 0.1 }),
  },
  { name: 'after top-p 0.95, target 0.6', x: peaked, chain: { topP: 0.95 }, s: createAdaptiveP({ target: 0.6 }) },
  { name: 'after typical-p 0.9', x: lm, chain: { typicalP: 0.9 }, s: createAdaptiveP({ target: 0.2, decay: 0.5 }) },
  {
    name: 'after top-nσ 1.5 over masked logits',
    x: masked,
    chain: { topNSigma: 1.5 },
    s: createAdaptiveP({ target: 0.4 }),
  },
  { name: 'a moved average (a = 0.1)', x: lm, chain: { minP: 0.02 }, s: moved(0.3, 5, 10) },
  { name: 'a clamped average (a = 1)', x: lm, chain: { minP: 0.02 }, s: moved(0.8, 1, 10) },
  { name: 'no weight yet: the target itself', x: lm, chain: { minP: 0.02 }, s: moved(0.25, 0, 0) },
  // Nothing truncates: every unmasked token takes part, those of p ≈ 0 too — on peaked logits
  // most of the vocabulary, whose e the kernels flush to 0 elsewhere.
  { name: 'alone, on LM-like logits', x: lm, chain: {}, s: createAdaptiveP({ target: 0.5 }) },
  { name: 'alone, on peaked logits', x: peaked, chain: { temperature: 0.6 }, s: createAdaptiveP({ target: 0.05 }) },
];

const paramsOf = (c: Case): SamplingParams => ({ ...(c.chain as SamplingParams), adaptiveP: c.s });

function want(c: Case): Float64Array {
  const before = reference(c.x, c.chain);
  expect(before.ambiguous, `${c.name}: a boundary case`).toBe(false);
  return adaptiveReference(before.p, c.s);
}

describe('adaptive-p: probs() matches the float64 reference', () => {
  test.each(BACKENDS)('%s', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    for (const c of CASES) {
      const got = s.probs(c.x, paramsOf(c));
      const ref = want(c);
      for (let i = 0; i < c.x.length; i++) {
        if (ref[i] === 0) expect(got[i], `${c.name}: token ${i} is outside the kept set`).toBe(0);
        // e of the new logits is a float32 exponential of z down to −37: within 5e-6 relative.
        else expect(Math.abs(got[i]! - ref[i]!) / ref[i]!, `${c.name}: token ${i}`).toBeLessThan(2e-5);
      }
    }
  });

  test.each(BACKENDS)('%s: the closest to the adapted target is the most likely', async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const x = [0.55, 0.25, 0.12, 0.05, 0.03].map(Math.log);
    for (const target of [0, 0.1, 0.2, 0.5, 1]) {
      const p = s.probs(x, { adaptiveP: createAdaptiveP({ target }) });
      const closest = [0.55, 0.25, 0.12, 0.05, 0.03]
        .map((q, i) => [Math.abs(q - target), i] as const)
        .sort((a, b) => a[0] - b[0])[0]![1];
      expect(p.indexOf(Math.max(...p)), `target ${target}`).toBe(closest);
    }
  });
});

describe('adaptive-p: draws follow the float64 distribution', () => {
  // A copy of the state per draw: every draw from the same distribution.
  const fits = [CASES[0]!, CASES[3]!, CASES[5]!, CASES[8]!];
  // On wasm-simd: the builds draw the same tokens (the decode-loop test below, and parity/).
  const zCrit = criticalZ(1e-3 / fits.length);
  for (const backend of [CHECKED] as const) {
    test.each(fits.map((c) => [c.name, c] as const))(`${backend}: %s`, async (_, c) => {
      const s = await createSampler({ backend, seed: 4242 });
      const p = want(c);
      const counts = new Float64Array(c.x.length);
      const draws = 20_000;
      for (let i = 0; i < draws; i++)
        counts[s.sample(c.x, { ...(c.chain as SamplingParams), adaptiveP: { ...c.s } })]!++;
      for (let i = 0; i < counts.length; i++) if (p[i] === 0) expect(counts[i]).toBe(0);
      const fit = chiSquare(counts, p, draws);
      expect(fit.z, `chi2 ${fit.chi2.toFixed(1)} on ${fit.df} df`).toBeLessThan(zCrit);
    });
  }
});

describe('adaptive-p: the state over a decode loop', () => {
  const pool = Array.from({ length: 16 }, (_, i) => makeLogits(2000, i % 3 ? 'lm' : 'peaked', 800 + i));
  const STEPS = 300;
  const chain: Params = { minP: 0.02, temperature: 1.1 };

  async function run(backend: (typeof BACKENDS)[number], s0: AdaptivePState, detailed = false) {
    const s = await createSampler({ backend, seed: 11 });
    const st = { ...s0 };
    const tokens: number[] = [];
    const states: [number, number][] = [[st.weightedSum, st.totalWeight]];
    for (let i = 0; i < STEPS; i++) {
      const p = { ...(chain as SamplingParams), adaptiveP: st };
      const x = pool[i % pool.length]!;
      tokens.push(detailed ? s.sampleDetailed(x, p).token : s.sample(x, p));
      states.push([st.weightedSum, st.totalWeight]);
    }
    return { tokens, states };
  }

  const s0 = createAdaptiveP({ target: 0.2, decay: 0.8 });

  test(`tokens and every state bit-identical on ${BACKENDS.join(', ')}, and sampleDetailed() the same`, async () => {
    const [first, ...rest] = await Promise.all(BACKENDS.map((b) => run(b, s0)));
    for (const other of rest) {
      expect(other.tokens).toEqual(first!.tokens);
      expect(other.states.flat().every((v, i) => Object.is(v, first!.states.flat()[i]))).toBe(true);
    }
    expect(await run('js', s0, true)).toEqual(first);
    // The adapted target moved on both sides of the target.
    const aims = first!.states.map(([w, t]) => adaptedTarget({ ...s0, weightedSum: w, totalWeight: t }));
    expect(Math.min(...aims)).toBeLessThan(0.15);
    expect(Math.max(...aims)).toBeGreaterThan(0.22);
  });

  test('every step as a float64 re-implementation computes it', async () => {
    const { tokens, states } = await run('wasm-simd', s0);
    let own = { weightedSum: s0.weightedSum, totalWeight: s0.totalWeight };
    for (let i = 0; i < STEPS; i++) {
      const x = pool[i % pool.length]!;
      const prev = { ...s0, weightedSum: states[i]![0], totalWeight: states[i]![1] };
      const before = reference(x, chain);
      expect(before.ambiguous, `step ${i}`).toBe(false);
      expect(adaptiveReference(before.p, prev)[tokens[i]!], `step ${i}: token ${tokens[i]}`).toBeGreaterThan(0);
      // The state is the token's probability before the transform, and the decays.
      const next = adaptiveAfter(prev, before.p[tokens[i]!]!);
      expect(Math.abs(states[i + 1]![0] - next.weightedSum), `step ${i}`).toBeLessThan(1e-6);
      expect(states[i + 1]![1]).toBe(next.totalWeight);
      own = adaptiveAfter({ ...s0, ...own }, before.p[tokens[i]!]!);
    }
    expect(Math.abs(own.weightedSum - states[STEPS]![0])).toBeLessThan(1e-5);
  });
});

describe.each(BACKENDS)('adaptive-p (%s)', (backend) => {
  test('greedy: the argmax, and the average moves as for a token of probability 1', async () => {
    const s = await createSampler({ backend, seed: 3 });
    const st = createAdaptiveP({ target: 0.3, decay: 0.7 });
    const { weightedSum, totalWeight } = st;
    const top = lm.indexOf(Math.max(...lm));
    expect(s.sample(lm, { adaptiveP: st, temperature: 0, minP: 0.1 })).toBe(top);
    expect(st.weightedSum).toBe(1 + 0.7 * weightedSum);
    expect(st.totalWeight).toBe(1 + 0.7 * totalWeight);
    // llama.cpp's order: truncations, then temperature 0.
    expect(s.sample(lm, { adaptiveP: st, temperature: 0, topK: 5, order: 'llama.cpp' })).toBe(top);
    expect(keptSet(s.probs(lm, { adaptiveP: st, temperature: 0 }))).toEqual([top]);
  });

  test('probs() leaves the state alone; sampleDetailed() reports the transformed distribution', async () => {
    const s = await createSampler({ backend, seed: 4 });
    const twin = await createSampler({ backend, seed: 4 });
    const st = createAdaptiveP({ target: 0.3 });
    const p = s.probs(lm, { minP: 0.01, adaptiveP: st });
    expect(st).toEqual(createAdaptiveP({ target: 0.3 }));
    const mirror = { ...st };
    const d = s.sampleDetailed(lm, { minP: 0.01, adaptiveP: st }, { topLogprobs: 100, entropy: true });
    expect(twin.sample(lm, { minP: 0.01, adaptiveP: mirror })).toBe(d.token);
    expect(mirror).toEqual(st);
    expect(st.totalWeight).toBe(1 + 0.9 * createAdaptiveP({ target: 0.3 }).totalWeight);
    expect(d.logprob).toBeCloseTo(Math.log(p[d.token]!), 5);
    const kept = keptSet(p);
    expect(d.topLogprobs.map((t) => t.token).sort((a, b) => a - b)).toEqual(kept);
    for (const t of d.topLogprobs) expect(t.logprob).toBeCloseTo(Math.log(p[t.token]!), 5);
    const entropy = kept.reduce((h, i) => h - p[i]! * Math.log(p[i]!), 0);
    expect(d.entropy).toBeCloseTo(entropy, 4);
    // 'raw' log-probabilities stay those of the untouched logits.
    const raw = twin.sampleDetailed(lm, { minP: 0.01, adaptiveP: { ...st } }, { logprobs: 'raw' });
    expect(raw.logprob).toBeCloseTo(Math.log(reference(lm).p[raw.token]!), 4);
  });

  test('a sure token has log-probability 0, never above (its e is not exactly 1 here)', async () => {
    const s = await createSampler({ backend, seed: 5 });
    for (let i = 0; i < 40; i++) {
      const x = i % 2 ? new Float32Array([5]) : new Float32Array([0, -30 - (i % 7), -40]);
      const d = s.sampleDetailed(x, { adaptiveP: createAdaptiveP({ target: 0.1 * (i % 10) }) }, { topLogprobs: 2 });
      for (const lp of [d.logprob, ...d.topLogprobs.map((t) => t.logprob)])
        expect(lp, `draw ${i}`).toBeLessThanOrEqual(0);
    }
  });

  test('a state whose second field refuses its new value: both as read, the stream unmoved', async () => {
    const s = await createSampler({ backend, seed: 10 });
    const twin = await createSampler({ backend, seed: 10 });
    const st = createAdaptiveP({ target: 0.3 });
    const before = { ...st };
    Object.defineProperty(st, 'totalWeight', { value: st.totalWeight, writable: false, enumerable: true });
    expect(() => s.sample(lm, { adaptiveP: st })).toThrow(/^adaptiveP: the draw's new state could not be written back/);
    expect({ ...st }).toEqual(before); // weightedSum, written first, is put back
    expect(s.sample(lm)).toBe(twin.sample(lm));
  });

  test("last in either order: it transforms what the order's stages leave", async () => {
    const s = await createSampler({ backend, seed: 5 });
    const st = createAdaptiveP({ target: 0.2 });
    for (const order of ['hf', 'llama.cpp', ['topP', 'temperature', 'minP']] as const) {
      const chain: SamplingParams = {
        topP: 0.9,
        minP: 0.01,
        temperature: 1.3,
        order: order as SamplingParams['order'],
      };
      const before = s.probs(lm, chain);
      const got = s.probs(lm, { ...chain, adaptiveP: st });
      const ref = adaptiveReference(before, st);
      for (let i = 0; i < lm.length; i++) {
        if (ref[i] === 0) expect(got[i]).toBe(0);
        else expect(Math.abs(got[i]! - ref[i]!) / ref[i]!).toBeLessThan(2e-5);
      }
    }
    expect(() => s.sample(lm, { adaptiveP: st, order: ['adaptiveP', 'temperature'] as never })).toThrow(
      /order\[0\] is 'adaptiveP', which order does not place: it always runs last/,
    );
  });

  test('a rejected call leaves the state alone and consumes no random value', async () => {
    const s = await createSampler({ backend, seed: 7 });
    const twin = await createSampler({ backend, seed: 7 });
    const st = createAdaptiveP({ target: 0.3 });
    const bad = Float32Array.from(lm);
    bad[5] = Infinity;
    expect(() => s.sample(bad, { adaptiveP: st })).toThrow(/logits\[5\] is Infinity/);
    expect(() => s.sample(lm, { adaptiveP: st, topP: 2 })).toThrow(RangeError);
    expect(st).toEqual(createAdaptiveP({ target: 0.3 }));
    const mirror = createAdaptiveP({ target: 0.3 });
    expect(s.sample(lm, { adaptiveP: st })).toBe(twin.sample(lm, { adaptiveP: mirror }));
    expect(st).toEqual(mirror);
  });
});

describe('adaptive-p: bad states and options, named', () => {
  const good = () => createAdaptiveP({ target: 0.3 });
  const CASES: BadState[] = [
    ['a number', () => 0.3, TypeError, /adaptiveP must be a state from createAdaptiveP\(\{ target \}\), got 0\.3/],
    [
      'an unknown field',
      () => ({ ...good(), weightedsum: 1 }),
      TypeError,
      /unknown adaptiveP option 'weightedsum' \(did you mean 'weightedSum'\?\)/,
    ],
    ["llama.cpp's name", () => ({ ...good(), adaptive_decay: 0.9 }), TypeError, /did you mean 'decay'/],
    [
      'no totalWeight',
      () => ({ target: 0.3, decay: 0.9, weightedSum: 3 }),
      TypeError,
      /adaptiveP\.totalWeight is missing: make the state with createAdaptiveP\(\)/,
    ],
    ['target 1.5', () => ({ ...good(), target: 1.5 }), RangeError, /adaptiveP\.target must be in \[0, 1\], got 1\.5/],
    [
      'target −0.1 (llama.cpp: off)',
      () => ({ ...good(), target: -0.1 }),
      RangeError,
      /adaptiveP\.target must be in \[0, 1\], got -0\.1/,
    ],
    ['target NaN', () => ({ ...good(), target: Number.NaN }), RangeError, /adaptiveP\.target .*got NaN/],
    ["target '0.3'", () => ({ ...good(), target: '0.3' }), TypeError, /adaptiveP\.target must be a number, got "0\.3"/],
    ['decay 1', () => ({ ...good(), decay: 1 }), RangeError, /adaptiveP\.decay must be in \[0, 0\.99\], got 1/],
    [
      'decay −0.5',
      () => ({ ...good(), decay: -0.5 }),
      RangeError,
      /adaptiveP\.decay must be in \[0, 0\.99\], got -0\.5/,
    ],
    [
      'weightedSum −1',
      () => ({ ...good(), weightedSum: -1 }),
      RangeError,
      /adaptiveP\.weightedSum must be a finite number ≥ 0, got -1/,
    ],
    [
      'totalWeight Infinity',
      () => ({ ...good(), totalWeight: Infinity }),
      RangeError,
      /adaptiveP\.totalWeight .*got Infinity/,
    ],
    ['a frozen state', () => Object.freeze(good()), TypeError, /adaptiveP is frozen/],
  ];
  rejectsBadStates('adaptiveP', CASES, lm);

  test('not with mirostat; createAdaptiveP: defaults and its own checks', async () => {
    const s = await createSampler({ backend: 'js', seed: 1 });
    const { createMirostat } = await import('../../src/index.js');
    expect(() => s.sample(lm, { adaptiveP: good(), mirostat: createMirostat({ version: 2 }) })).toThrow(
      /give mirostat or adaptiveP, not both: each picks the token itself/,
    );
    expect(() => s.sample(lm, { adaptive_p: good() } as never)).toThrow(/did you mean 'adaptiveP'/);
    expect(createAdaptiveP({ target: 0.5 })).toEqual({
      target: 0.5,
      decay: 0.9,
      weightedSum: 0.5 / (1 - 0.9),
      totalWeight: 1 / (1 - 0.9),
    });
    expect(createAdaptiveP({ target: 0, decay: 0 })).toEqual({ target: 0, decay: 0, weightedSum: 0, totalWeight: 1 });
    expect(() => createAdaptiveP({} as never)).toThrow(/createAdaptiveP needs target: a probability in \[0, 1\]/);
    expect(() => createAdaptiveP({ target: 2 })).toThrow(/createAdaptiveP target must be in \[0, 1\], got 2/);
    expect(() => createAdaptiveP({ target: 0.5, decay: 0.995 })).toThrow(
      /createAdaptiveP decay must be in \[0, 0\.99\]/,
    );
    expect(() => createAdaptiveP({ target: 0.5, decai: 0.5 } as never)).toThrow(/did you mean 'decay'/);
    expect(() => createAdaptiveP(null as never)).toThrow(/createAdaptiveP options must be an object/);
    // Same output, same state on every call of a fixed params object.
    const st = good();
    const p1 = s.probs(lm, { adaptiveP: st, minP: 0.05 });
    expect(firstDifference(bits(s.probs(lm, { adaptiveP: st, minP: 0.05 })), bits(p1))).toBe(-1);
  });
});
