// `xtc: { probability, threshold }` (llama.cpp's XTC): with chance `probability`, remove every
// token with p ≥ threshold except the least likely of them (the last by p descending, token
// ascending), when at least two reach it and minKeep tokens remain. A draw takes two values of
// the stream when XTC is active — the coin first, then the draw — and probs() is the mixture of
// both outcomes, exactly the distribution of sample()'s token.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { type ControlCase, controlSuite } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { checkDetailed } from '../support/detailed.js';
import { reference } from '../support/reference.js';
import { thrown } from '../support/thrown.js';

const lm = makeLogits(3000, 'lm', 71);
const lm2 = makeLogits(5000, 'lm', 72);
const peaked = makeLogits(3000, 'peaked', 73);
const XTC = { probability: 0.5, threshold: 0.1 };

const CASES: ControlCase[] = [
  { name: 'chance 0.5, threshold 0.1 on LM-like logits', x: lm, params: { xtc: XTC } },
  {
    name: 'always, threshold 0.05, at temperature 0.7',
    x: lm,
    params: { xtc: { probability: 1, threshold: 0.05 }, temperature: 0.7 },
  },
  {
    name: "llama.cpp's order: XTC at T = 1, then temperature 0.8",
    x: lm2,
    params: { xtc: { probability: 0.7, threshold: 0.08 }, temperature: 0.8, order: 'llama.cpp' },
  },
  {
    name: 'after top-k 50 and top-p 0.95 (a short list)',
    x: lm2,
    params: { topK: 50, topP: 0.95, xtc: { probability: 1, threshold: 0.05 } },
  },
  {
    name: 'after top-p 0.99 over the whole vocabulary',
    x: lm,
    params: { topP: 0.99, xtc: { probability: 0.6, threshold: 0.05 } },
  },
  {
    name: 'then top-p (an explicit order)',
    x: lm,
    params: { xtc: { probability: 1, threshold: 0.05 }, topP: 0.6, order: ['xtc', 'topP', 'temperature'] },
  },
  {
    name: 'with minKeep and typical-p before it',
    x: lm2,
    params: { typicalP: 0.95, minKeep: 3, xtc: { probability: 1, threshold: 0.05 } },
  },
  {
    name: 'peaked: one token reaches the threshold, nothing removed',
    x: peaked,
    params: { xtc: { probability: 1, threshold: 0.1 } },
  },
];

controlSuite('XTC', CASES);

describe('XTC', () => {
  test('the cases remove what they say (the reference with and without XTC differ, but for the peaked one)', () => {
    for (const c of CASES) {
      const on = reference(c.x, { ...c.params, xtc: { ...c.params.xtc!, probability: 1 } });
      const off = reference(c.x, { ...c.params, xtc: undefined });
      const removed = keptSet(off.p).filter((i) => on.p[i] === 0);
      if (c.x === peaked) expect(removed, c.name).toEqual([]);
      else expect(removed.length, c.name).toBeGreaterThan(0);
    }
  });

  test.each(BACKENDS)("%s: llama.cpp's published cases (its harness leaves p unnormalised)", async (backend) => {
    const s = await createSampler({ backend, seed: 1 });
    const x = [0.4, 0.3, 0.2, 0.1].map(Math.log);
    // llama.cpp lists what remains by probability descending: the least likely tokens, up to 3.
    for (const [threshold, kept] of [
      [0.09, [0.1]],
      [0.19, [0.2, 0.1]],
      [0.29, [0.3, 0.2, 0.1]],
      [0.39, [0.4, 0.3, 0.2, 0.1]],
    ] as const) {
      const p = s.probs(x, { xtc: { probability: 1, threshold } });
      const sum = kept.reduce((a, b) => a + b, 0);
      const ids = [0, 1, 2, 3].slice(4 - kept.length);
      expect(keptSet(p)).toEqual(ids);
      for (const [r, id] of ids.entries()) expect(p[id]).toBeCloseTo(kept[r]! / sum, 6);
    }
  });

  test.each(BACKENDS)(
    '%s: ties at the least likely keep the last token; one token reaching it is no cut',
    async (backend) => {
      const s = await createSampler({ backend, seed: 2 });
      // Tokens 1 and 3 tie as the least likely above 0.2: token 3 stays, 0 and 1 go.
      const x = [0.35, 0.25, 0.15, 0.25].map(Math.log);
      expect(keptSet(s.probs(x, { xtc: { probability: 1, threshold: 0.2 } }))).toEqual([2, 3]);
      // Only token 0 reaches 0.3: nothing is removed.
      expect(s.probs(x, { xtc: { probability: 1, threshold: 0.3 } })).toEqual(s.probs(x));
    },
  );

  test.each(BACKENDS)('%s: minKeep must still hold after the cut, or XTC does nothing', async (backend) => {
    const s = await createSampler({ backend, seed: 3 });
    const x = [0.4, 0.3, 0.2, 0.1].map(Math.log);
    const xtc = { probability: 1, threshold: 0.09 };
    // Removing three of four leaves one: fine for minKeep ≤ 1, too few for 2.
    expect(keptSet(s.probs(x, { xtc, minKeep: 1 }))).toEqual([3]);
    expect(keptSet(s.probs(x, { xtc, minKeep: 2 }))).toEqual([0, 1, 2, 3]);
    expect(keptSet(s.probs(x, { xtc: { probability: 1, threshold: 0.19 }, minKeep: 2 }))).toEqual([2, 3]);
    // Tokens 40 nats down weigh 4e-18 (stored as 0) but are candidates: removing token 0 of
    // [0, 0, -40, -40] leaves three, which minKeep 3 allows.
    const far = [0, 0, -40, -40];
    const cut = { xtc: { probability: 1, threshold: 0.3 }, minKeep: 3 };
    expect(Array.from(s.probs(far, cut)).slice(0, 2)).toEqual([0, 1]);
    for (let i = 0; i < 200; i++) expect(s.sample(far, cut)).not.toBe(0);
    expect(keptSet(s.probs(far, { ...cut, minKeep: 4 }))).toEqual([0, 1]);
  });

  test.each(BACKENDS)('%s: probs() is the mixture of both outcomes by the chance, bit for bit', async (backend) => {
    const s = await createSampler({ backend, seed: 4 });
    for (const [x, params] of [
      [lm, { xtc: XTC }],
      [lm2, { xtc: { probability: 0.3, threshold: 0.08 }, temperature: 0.8, order: 'llama.cpp' }],
      [lm, { topP: 0.99, xtc: { probability: 0.25, threshold: 0.05 } }],
    ] as const) {
      const w = params.xtc.probability;
      const on = s.probs(x, { ...params, xtc: { ...params.xtc, probability: 1 } });
      const off = s.probs(x, { ...params, xtc: undefined });
      const got = s.probs(x, params);
      expect(Array.from(got)).toEqual(Array.from(on, (v, i) => Math.fround(w * v + (1 - w) * off[i]!)));
      // probs(…, out) writes the same into out, the logits' own view included.
      const view = s.logitsView(x.length);
      view.set(x);
      expect(Array.from(s.probs(view, params, view))).toEqual(Array.from(got));
    }
  });

  test.each(BACKENDS)(
    '%s: a call consumes two values of the stream when XTC is active, one when it is off',
    async (backend) => {
      const next = (s: { sample: (x: Float32Array, p: object) => number }) =>
        Array.from({ length: 20 }, () => s.sample(lm2, { temperature: 3 }));
      for (const [xtc, values] of [
        [XTC, 2],
        [{ probability: 1, threshold: 0.5 }, 2],
        [{ probability: 0, threshold: 0.1 }, 1],
        [{ probability: 1, threshold: 0.51 }, 1],
      ] as const) {
        const [a, b, c, d] = await Promise.all([0, 1, 2, 3].map(() => createSampler({ backend, seed: 5 })));
        for (let i = 0; i < 10; i++) a!.sample(lm, { xtc });
        for (let i = 0; i < 10; i++) c!.sampleDetailed(lm, { xtc }, { topLogprobs: 3 });
        for (let i = 0; i < 10 * values; i++) b!.sample(lm);
        for (let i = 0; i < 10 * values; i++) d!.sample(lm);
        expect(next(a!), JSON.stringify(xtc)).toEqual(next(b!));
        expect(next(c!), JSON.stringify(xtc)).toEqual(next(d!));
        // A stream of its own consumes the same.
        const [st, plain] = [a!.stream(5), a!.stream(5)];
        for (let i = 0; i < 10; i++) st.sample(lm, { xtc });
        for (let i = 0; i < 10 * values; i++) plain.sample(lm);
        expect(next(st)).toEqual(next(plain));
      }
    },
  );

  test.each(BACKENDS)('%s: the coin is the first value and the draw the second', async (backend) => {
    // A uniform over 2^16 tokens shows the first value to within 2^-16: XTC with a chance just
    // above it applies — the token is then the one an always-on XTC draws with the second
    // value — and with a chance just below, it does not: the token is then the one a plain
    // draw takes with the second value.
    const uniform = new Float32Array(65536);
    // Tokens 0 and 1 reach 0.25: XTC removes token 0 and keeps 1, 2 and 3.
    const x = [0.3, 0.3, 0.2, 0.2].map(Math.log);
    const xtcAt = (probability: number) => ({ xtc: { probability, threshold: 0.25 } });
    const tokens = new Set<number>();
    for (let seed = 6; seed < 36; seed++) {
      const [probe, s, always, plain] = await Promise.all([0, 1, 2, 3].map(() => createSampler({ backend, seed })));
      const u = probe!.sample(uniform);
      const token = s!.sample(x, xtcAt(Math.min(1, (u + 2) / 65536)));
      expect(token).toBe(always!.sample(x, xtcAt(1)));
      tokens.add(token);
      if (u < 1) continue;
      plain!.sample(uniform);
      const skipped = await createSampler({ backend, seed });
      expect(skipped.sample(x, xtcAt((u - 1) / 65536))).toBe(plain!.sample(x));
    }
    // The draw after the coin did vary.
    expect(tokens.size).toBeGreaterThan(1);
  });

  test.each(BACKENDS)('%s: sampleDetailed() reports the distribution the token was drawn from', async (backend) => {
    const s = await createSampler({ backend, seed: 7 });
    const on = { xtc: { probability: 1, threshold: 0.1 } };
    for (let i = 0; i < 20; i++)
      checkDetailed(s.sampleDetailed(lm, on, { topLogprobs: 5, entropy: true }), lm, on, 'processed', 5);
    // With chance 0.5, each call's logprob and entropy are those of its own outcome.
    const applied = reference(lm, on);
    const skipped = reference(lm, {});
    const seen = { on: 0, off: 0 };
    for (let i = 0; i < 200; i++) {
      const d = s.sampleDetailed(lm, { xtc: XTC }, { entropy: true });
      const H = d.entropy!;
      const which = Math.abs(H - applied.entropy) < 1e-4 ? 'on' : 'off';
      const ref = which === 'on' ? applied : skipped;
      expect(Math.abs(H - ref.entropy)).toBeLessThan(1e-4);
      expect(d.logprob).toBeCloseTo(Math.log(ref.p[d.token]!), 4);
      seen[which]++;
    }
    expect(Math.abs(applied.entropy - skipped.entropy)).toBeGreaterThan(1e-2);
    expect(seen.on).toBeGreaterThan(60);
    expect(seen.off).toBeGreaterThan(60);
  });

  test.each(BACKENDS)('%s: sampleRows() draws the same tokens as the streams one by one', async (backend) => {
    const s = await createSampler({ backend, seed: 8 });
    const t = await createSampler({ backend, seed: 8 });
    const rows = new Float32Array([...lm, ...lm]);
    const streams = [s.stream(1), s.stream(2)];
    const alone = [t.stream(1), t.stream(2)];
    for (let i = 0; i < 5; i++) {
      const got = Array.from(s.sampleRows(rows, lm.length, { xtc: XTC }, streams));
      expect(got).toEqual(alone.map((st) => st.sample(lm, { xtc: XTC })));
    }
  });

  // A threshold far below the top's p keeps a token far below it: measured from the maximum
  // XTC removed, that token's neighbours weigh under 2^-53 and were stored as 0. Over the dense
  // logits the draw starts again from the kept maximum; the kept set's way (minKeep, a listed
  // result, a tiny largest logit) lost them, and sampleDetailed() drew other tokens than sample().
  test.each(BACKENDS)('%s: a threshold far below the top keeps what lies under the kept token', async (backend) => {
    const xtc = { probability: 1, threshold: 1e-15 };
    for (const top of [1, 0]) {
      // Tokens 0 and 1 reach 1e-15 (token 1 at e^-34 of the top): token 1 stays, with 2 and 3.
      const x = [top, top - 34, top - 37, top - 37.5];
      const w = x.map((v, i) => (i === 0 ? 0 : Math.exp(v - x[1]!)));
      const want = w.map((v) => v / w.reduce((a, b) => a + b));
      const s = await createSampler({ backend, seed: 13 });
      for (const params of [
        { xtc },
        { xtc, minKeep: 2 },
        { xtc, order: ['temperature', 'xtc', 'topP'] as const, topP: 0.999 },
      ]) {
        const p = s.probs(x, params);
        for (let i = 0; i < 4; i++) {
          expect(Math.abs(p[i]! - want[i]!), `top ${top} ${JSON.stringify(params)} token ${i}: ${p[i]}`).toBeLessThan(
            2e-5 * want[i]! + 1e-30,
          );
        }
      }
      const listed = s.sampleDetailed(x, { xtc }, { topLogprobs: 4 }).topLogprobs;
      expect(listed.map((e) => e.token)).toEqual([1, 2, 3]);
      for (const e of listed) expect(Math.exp(e.logprob)).toBeCloseTo(want[e.token]!, 6);
      const [a, b] = [await createSampler({ backend, seed: 14 }), await createSampler({ backend, seed: 14 })];
      for (let i = 0; i < 300; i++) {
        expect(b.sampleDetailed(x, { xtc }, { topLogprobs: 1 }).token, `draw ${i}`).toBe(a.sample(x, { xtc }));
      }
    }
  });

  // The tokens flushed beneath the maximum XTC removed (each under 2^-53 of it) are lost unless
  // the kept tokens are measured again from their own maximum. Started again only below 2^-20,
  // 250,000 tokens 2^-33 below the kept one held 2.3e-5 of the kept mass, all of it 0: the kept
  // token's probability 2.3e-5 too high (README: within 1.4e-5), sample() never drawing them.
  // And with T = 2 after XTC, logits shifted by -0.5 lost them where a largest logit of 0 (the
  // kept set's way) did not.
  test.each(BACKENDS)('%s: many tokens just flushed under the maximum XTC removed still count', async (backend) => {
    const s = await createSampler({ backend, seed: 13 });
    const n = 250_002;
    const cases = [
      // Token 1 at 2^-19.9 of the top reaches 1e-7; the rest lie at e^-36.9 (just flushed).
      { top: 0, kept: -13.8, rest: -36.9, t: 1, params: { xtc: { probability: 1, threshold: 1e-7 } } },
      { top: 0, kept: -13.8, rest: -36.9, t: 1, params: { xtc: { probability: 1, threshold: 1e-7 }, minKeep: 2 } },
      ...[0, -0.5].map((top) => ({
        top,
        kept: top - 27.5,
        rest: top - 73.6,
        t: 2,
        params: { xtc: { probability: 1, threshold: 1e-13 }, temperature: 2, order: ['xtc', 'temperature'] as const },
      })),
    ];
    for (const { top, kept, rest, t, params } of cases) {
      const x = new Float32Array(n).fill(rest);
      x[0] = top;
      x[1] = kept;
      const mass = 1 + (n - 2) * Math.exp((rest - kept) / t);
      const p = s.probs(x, params);
      const what = `${JSON.stringify(params)}, top ${top}`;
      expect(p[0], what).toBe(0);
      expect(Math.abs(p[1]! * mass - 1), `${what}: token 1 ${p[1]}`).toBeLessThan(1.4e-5);
      const want = Math.exp((rest - kept) / t) / mass;
      expect(Math.abs(p[2]! / want - 1), `${what}: token 2 ${p[2]}`).toBeLessThan(1.4e-5);
    }
  });

  describe.each(BACKENDS)('%s rejects a bad xtc, naming it, and draws nothing', (backend) => {
    test.each([
      [{ probability: 0.5 }, TypeError, /xtc needs both probability and threshold/],
      [{ threshold: 0.1 }, TypeError, /xtc needs both probability and threshold/],
      [{ probability: '0.5', threshold: 0.1 }, TypeError, /xtc\.probability must be a number, got "0\.5"/],
      [{ probability: 0.5, threshold: null }, TypeError, /xtc\.threshold must be a number, got null/],
      [{ probability: 1.5, threshold: 0.1 }, RangeError, /xtc\.probability must be in \[0, 1\].*got 1\.5/],
      [{ probability: -0.1, threshold: 0.1 }, RangeError, /xtc\.probability must be in \[0, 1\].*got -0\.1/],
      [{ probability: Number.NaN, threshold: 0.1 }, RangeError, /xtc\.probability.*got NaN/],
      [{ probability: 0.5, threshold: 0 }, RangeError, /xtc\.threshold must be in \(0, 1\].*got 0/],
      [{ probability: 0.5, threshold: 1.01 }, RangeError, /xtc\.threshold must be in \(0, 1\].*got 1\.01/],
      [{ probability: 0.5, threshold: Infinity }, RangeError, /xtc\.threshold.*got Infinity/],
      [{ probability: 0.5, treshold: 0.1 }, TypeError, /unknown xtc option 'treshold' \(did you mean 'threshold'\?\)/],
      [
        { probability: 0.5, threshold: 0.1, p: 1 },
        TypeError,
        /unknown xtc option 'p' \(did you mean 'probability'\?\)/,
      ],
      [0.5, TypeError, /xtc must be an object like \{ probability, threshold \}, got 0\.5/],
      [[0.5, 0.1], TypeError, /xtc must be an object.*got an array of length 2/],
    ])('%o', async (xtc, type, message) => {
      const s = await createSampler({ backend, seed: 10 });
      const t = await createSampler({ backend, seed: 10 });
      thrown(() => s.sample(lm, { xtc } as never), type, message);
      thrown(() => s.probs(lm, { xtc } as never), type, message);
      // A rejected call consumed nothing.
      expect(s.sample(lm)).toBe(t.sample(lm));
    });

    test("other APIs' spellings point at xtc", async () => {
      const s = await createSampler({ backend, seed: 11 });
      thrown(() => s.sample(lm, { xtc_probability: 0.5 } as never), TypeError, /did you mean 'xtc'/);
      thrown(
        () => s.sample(lm, { xtc: XTC, order: ['temperature'] }),
        TypeError,
        /xtc is set but order does not name 'xtc'/,
      );
      thrown(() => s.sample(lm, { order: ['temperature', 'XTC' as never] }), RangeError, /did you mean 'xtc'/);
      thrown(
        () =>
          s.verifyDraft({
            target: new Float32Array(lm.length),
            draftTokens: [],
            vocabSize: lm.length,
            params: { xtc: XTC },
          }),
        TypeError,
        /verifyDraft takes no stage that flips a coin/,
      );
    });

    // Over the dense logits XTC bans what it removes, and the softmax runs from the kept tokens'
    // own maximum. Measured from the removed maximum, a low temperature put the kept tokens below
    // the exponential's range: probs() lost its mass (0.54 at T 0.03), then was NaN.
    test('before a low temperature (llama.cpp order): probs() is the kept tokens’ softmax', async () => {
      const s = await createSampler({ backend, seed: 12 });
      const n = 4099; // a removed token in the last, partial block too
      const x = makeLogits(n, 'lm', 74).map((v) => v / 4 - 5);
      x[100] = 12;
      x[n - 2] = 11.5;
      x[200] = 10.9; // the least likely of those reaching the threshold at T = 1: kept
      const view = s.logitsView(n);
      view.set(x);
      for (const temperature of [0.06, 0.03, 0.026, 0.001]) {
        const params = { temperature, xtc: { probability: 1, threshold: 0.1 }, order: 'llama.cpp' as const };
        const p = s.probs(view, params);
        // float64: token 100 and n - 2 removed, the rest at temperature T from the top kept.
        let z = 0;
        for (let i = 0; i < n; i++) if (i !== 100 && i !== n - 2) z += Math.exp((x[i]! - x[200]!) / temperature);
        expect(p[200], `T ${temperature}`).toBeCloseTo(1 / z, 6);
        expect(p[100]).toBe(0);
        expect(p[n - 2]).toBe(0);
        expect(p.every((v) => Number.isFinite(v))).toBe(true);
        expect(s.sample(view, params)).toBe(200);
        expect(view).toEqual(x); // the bans are undone
      }
    });
  });
});
