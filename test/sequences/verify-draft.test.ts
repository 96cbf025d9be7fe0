// verifyDraft(): speculative decoding's exact verification. Whatever the draft proposes, every
// emitted token follows the target's processed distribution (chi-square on each position, with
// a deliberately bad draft, k = 1 and 4, and a deterministic draft); greedy accepts exactly the
// target's argmaxes; a call takes k + 1 values of its stream.
import { describe, expect, test } from 'vitest';
import { createSampler, type Sampler, type SamplingParams } from '../../src/index.js';
import { CHECKED } from '../support/control-suite.js';
import { model, DRAFT_V as V } from '../support/sequences-data.js';
import { chiSquare, criticalZ } from '../support/stats.js';

/** Each target row's most likely token: a deterministic draft that is often right. */
const argmaxes = (m: ReturnType<typeof model>, k: number) =>
  Array.from({ length: k }, (_, i) => {
    const x = m.target.subarray(i * V, (i + 1) * V);
    return x.indexOf(Math.max(...x));
  });

/** Runs `trials` verifications, proposing draft tokens drawn from the draft rows (or the
 *  fixed ones); returns per position the counts of the emitted tokens and how often emitted. */
function emitted(s: Sampler, k: number, m: ReturnType<typeof model>, params: SamplingParams, fixed?: number[]) {
  const counts = Array.from({ length: k + 1 }, () => new Float64Array(V));
  const proposer = s.stream(999);
  const verifier = s.stream(1000);
  const trials = 6000;
  for (let n = 0; n < trials; n++) {
    const draftTokens =
      fixed ?? Array.from({ length: k }, (_, i) => proposer.sample(m.draft.subarray(i * V, (i + 1) * V), params));
    const { accepted, token } = s.verifyDraft({
      target: m.target,
      draft: fixed ? undefined : m.draft,
      draftTokens,
      vocabSize: V,
      params,
      stream: verifier,
    });
    for (let i = 0; i < accepted; i++) counts[i]![draftTokens[i]!]!++;
    counts[accepted]![token]!++;
  }
  return counts;
}

// On wasm-simd (the other builds: test/parity/sequences.test.ts).
describe('verifyDraft', () => {
  const backend = CHECKED;
  const cases: [string, number, SamplingParams, boolean][] = [
    ['k = 1, a bad draft', 1, {}, false],
    ['k = 4, a bad draft, temperature 0.8 and top-p 0.95', 4, { temperature: 0.8, topP: 0.95 }, false],
    ['k = 4, a deterministic draft (prompt lookup)', 4, { minP: 0.01 }, true],
  ];
  test.each(cases)('emitted tokens follow the target: %s', async (_name, k, params, deterministic) => {
    const s = await createSampler({ backend, seed: 31 });
    const m = model(k, 40 + k);
    const counts = emitted(s, k, m, params, deterministic ? argmaxes(m, k) : undefined);
    const zCrit = criticalZ(1e-3 / (3 * (k + 1)));
    let tested = 0;
    for (let i = 0; i <= k; i++) {
      const n = counts[i]!.reduce((a, b) => a + b, 0);
      if (n < 300) continue; // rarely reached: nothing to test with confidence
      const p = s.probs(m.target.subarray(i * V, (i + 1) * V), params);
      for (let t = 0; t < V; t++) if (p[t] === 0) expect(counts[i]![t], `position ${i}, token ${t}`).toBe(0);
      const fit = chiSquare(counts[i]!, p, n);
      expect(fit.z, `position ${i}: chi2 ${fit.chi2.toFixed(1)} on ${fit.df} df over ${n}`).toBeLessThan(zCrit);
      tested++;
    }
    expect(tested).toBeGreaterThanOrEqual(k === 1 ? 2 : 3);
  });

  test('greedy: accepts while the draft token is the argmax, then emits the argmax', async () => {
    const s = await createSampler({ backend, seed: 32 });
    const m = model(4, 70);
    const argmax = (i: number) => {
      const x = m.target.subarray(i * V, (i + 1) * V);
      return x.indexOf(Math.max(...x));
    };
    const best = [0, 1, 2, 3, 4].map(argmax);
    for (let wrong = 0; wrong <= 4; wrong++) {
      const draftTokens = best.slice(0, 4).map((t, i) => (i === wrong ? (t + 1) % V : t));
      const r = s.verifyDraft({
        target: m.target,
        draft: m.draft,
        draftTokens,
        vocabSize: V,
        params: { temperature: 0 },
      });
      expect(r).toEqual({ accepted: wrong, token: best[wrong] });
    }
  });

  test('a call takes k + 1 values of its stream, whatever is accepted', async () => {
    const s = await createSampler({ backend, seed: 33 });
    const m = model(4, 80);
    for (const draftTokens of [
      [0, 1, 2, 3],
      [5, 5, 5, 5],
    ]) {
      const st = s.stream(44),
        twin = s.stream(44);
      s.verifyDraft({ target: m.target, draft: m.draft, draftTokens, vocabSize: V, stream: st });
      for (let i = 0; i < 5; i++) twin.sample([0]);
      expect(st.sample(m.target.subarray(0, V))).toBe(twin.sample(m.target.subarray(0, V)));
    }
    // The sampler's own stream by default; a rejected call takes none.
    const a = await createSampler({ backend, seed: 34 });
    const b = await createSampler({ backend, seed: 34 });
    expect(() => a.verifyDraft({ target: m.target, draftTokens: [1, 2, 3, 99], vocabSize: V })).toThrow(
      /draftTokens\[3\] is 99, outside the vocabulary \[0, 64\)/,
    );
    a.verifyDraft({ target: m.target, draftTokens: [1, 2, 3, 4], vocabSize: V });
    for (let i = 0; i < 5; i++) b.sample([0]);
    expect(a.sample(m.target.subarray(0, V))).toBe(b.sample(m.target.subarray(0, V)));
  });

  test('every shape mismatch is a clear error', async () => {
    const s = await createSampler({ backend, seed: 35 });
    const m = model(2, 90);
    const args = { target: m.target, draft: m.draft, draftTokens: [1, 2], vocabSize: V };
    expect(() => s.verifyDraft({ ...args, draftTokens: [1] })).toThrow(/target must hold 2 rows of vocabSize 64/);
    expect(() => s.verifyDraft({ ...args, draft: m.draft.subarray(V) })).toThrow(/draft must hold 2 rows/);
    expect(() => s.verifyDraft({ ...args, vocabSize: 65 })).toThrow(/target must hold 3 rows of vocabSize 65/);
    expect(() => s.verifyDraft({ ...args, draftTokens: [1, 1.5] })).toThrow(/draftTokens\[1\] is 1.5, not a token id/);
    expect(() => s.verifyDraft({ ...args, draftTokens: 'ab' as never })).toThrow(TypeError);
    expect(() => s.verifyDraft({ ...args, target: [0] as never })).toThrow(/target must be a Float32Array/);
    expect(() => s.verifyDraft({ ...args, stream: {} as never })).toThrow(/stream is an object, not a stream/);
    expect(() => s.verifyDraft({ ...args, drafts: m.draft } as never)).toThrow(/did you mean 'draft'/);
    expect(() => s.verifyDraft(null as never)).toThrow(TypeError);
    const bad = m.target.slice();
    bad[V + 3] = Number.NaN;
    expect(() => s.verifyDraft({ ...args, target: bad })).toThrow(/target row 1: logits\[3\] is NaN/);
  });
});
