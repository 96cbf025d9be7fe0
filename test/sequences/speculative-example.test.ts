// The README's speculative-decoding loop (examples/use-with/speculative.mjs) on the tiny model,
// run long: with a deliberately weak draft (character frequencies), the emitted text's
// transitions follow the target's conditional distribution — chi-square over every context —
// and the acceptance rate is what the weak draft earns.
import { describe, expect, it } from 'vitest';
import { createSampler } from '../../src/index.js';
import { bigrams, conditionalChiSquare } from '../support/tiny-model.js';

const { vocab, alpha, counts } = bigrams();
const V = vocab.length;

/** The target: the bigram table's logits after the last token, as the example computes them. */
function target(ids: number[], out: Float32Array): void {
  const row = counts[ids.at(-1)!]!;
  const total = row.reduce((sum, [, c]) => sum + c, 0) + alpha * V;
  out.fill(Math.log(alpha / total));
  for (const [next, c] of row) out[next] = Math.log((c + alpha) / total);
}
const frequency = new Float64Array(V).fill(alpha);
for (const row of counts) for (const [next, c] of row) frequency[next]! += c;
function draft(out: Float32Array): void {
  for (let i = 0; i < V; i++) out[i] = Math.log(frequency[i]!);
}

/** `count` texts of `length` tokens by the example's loop; the acceptance counts. */
async function generate(seed: number, count: number, length: number, k: number, params: object) {
  const sampler = await createSampler({ seed });
  const drafter = sampler.stream(seed + 1);
  const targetRows = new Float32Array((k + 1) * V);
  const draftRows = new Float32Array(k * V);
  const prompts = ['A temperatura ', 'softmax', 'La ', '\n'].map((p) => [...p].map((ch) => vocab.indexOf(ch)));
  let proposed = 0;
  let accepted = 0;
  const sequences: number[][] = [];
  for (let n = 0; n < count; n++) {
    const prompt = prompts[n % prompts.length]!;
    const ids = [...prompt];
    while (ids.length < prompt.length + length) {
      const draftTokens: number[] = [];
      for (let i = 0; i < k; i++) {
        const row = draftRows.subarray(i * V, (i + 1) * V);
        draft(row);
        draftTokens.push(drafter.sample(row, params));
      }
      for (let i = 0; i <= k; i++)
        target([...ids, ...draftTokens.slice(0, i)], targetRows.subarray(i * V, (i + 1) * V));
      const r = sampler.verifyDraft({ target: targetRows, draft: draftRows, draftTokens, vocabSize: V, params });
      ids.push(...draftTokens.slice(0, r.accepted), r.token);
      proposed += k;
      accepted += r.accepted;
    }
    // The context of the first new token is the prompt's last.
    sequences.push(ids.slice(prompt.length - 1, prompt.length + length));
  }
  return { sequences, rate: accepted / proposed };
}

/** The target's conditional distribution after token a, in float64, at temperature T. */
function conditional(a: number, T: number): Float64Array {
  const row = new Float32Array(V);
  target([a], row);
  const m = Math.max(...row);
  const p = Float64Array.from(row, (v) => Math.exp((v - m) / T));
  const s = p.reduce((x, y) => x + y, 0);
  return p.map((v) => v / s);
}

describe('speculative decoding on the tiny model, a weak draft', () => {
  it("the text follows the target's conditional distribution; the acceptance rate is reported", async () => {
    const k = 4;
    const { sequences, rate } = await generate(2024, 60, 200, k, { temperature: 1 });
    const fit = conditionalChiSquare(sequences, V, (a) => conditional(a, 1));
    console.log(
      `speculative decoding, k = ${k}: ${(100 * rate).toFixed(1)}% of draft tokens accepted; chi2 z = ${fit.z.toFixed(2)} on ${fit.df} df`,
    );
    expect(fit.df).toBeGreaterThan(200);
    expect(fit.z).toBeLessThan(3.7);
    // A weak draft is accepted sometimes, not always: the test sees both branches.
    expect(rate).toBeGreaterThan(0.05);
    expect(rate).toBeLessThan(0.6);
    // The statistic has power: text from the draft alone is far from the target.
    const draftOnly = await createSampler({ seed: 5 });
    const row = new Float32Array(V);
    draft(row);
    const texts = Array.from({ length: 60 }, () => {
      const s = [vocab.indexOf(' ')];
      for (let i = 0; i < 200; i++) s.push(draftOnly.sample(row));
      return s;
    });
    expect(conditionalChiSquare(texts, V, (a) => conditional(a, 1)).z).toBeGreaterThan(10);
  });
});
