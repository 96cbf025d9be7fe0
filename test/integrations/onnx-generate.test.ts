// The onnxruntime decode loop of examples/onnx-generate.mjs, run on the tiny model: it replays
// from its seed, follows the model's argmax at temperature 0, draws text whose transitions fit
// the model's conditional distribution at temperature 1, and is less random at lower
// temperature. The example imports 'logit-sampler' (the built package): npm test builds first.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, loadTinyModel } from '../../examples/onnx-generate.mjs';
import { createSampler } from '../../src/index.js';
import {
  argmax,
  bigrams,
  conditionalChiSquare,
  entropyBits,
  loadTable,
  MODEL_DIR,
  softmax,
  type TinyModel,
} from '../support/tiny-model.js';

let model: Awaited<ReturnType<typeof loadTinyModel>>;
let table: TinyModel;

beforeAll(async () => {
  model = await loadTinyModel();
  table = await loadTable();
});

/** `count` sequences of `length` tokens, each from one of the prompts, one seeded stream. */
async function sample(seed: number, params: { temperature: number; topP?: number }, count: number, length: number) {
  const sampler = await createSampler({ seed });
  const prompts = ['A temperatura ', 'softmax', '温度', 'La ', '\n'].map(model.encode);
  const sequences: number[][] = [];
  for (let i = 0; i < count; i++) {
    const prompt = prompts[i % prompts.length]!;
    const r = await generate({ session: model.session, sampler, prompt, maxNewTokens: length, params });
    // The prompt's last token is the context of the first generated one.
    sequences.push([prompt.at(-1)!, ...r.tokens]);
  }
  return sequences;
}

describe('the tiny model', () => {
  it('is the smoothed bigram table of bigrams.json, with a matching tokenizer and config', () => {
    const { alpha, vocab, counts } = bigrams();
    const V = vocab.length;
    expect(table.V).toBe(V);
    let mismatches = 0;
    for (let a = 0; a < V; a++) {
      const c = new Float64Array(V);
      for (const [b, n] of counts[a]!) c[b] = n;
      const total = c.reduce((s, n) => s + n, 0) + alpha * V;
      const row = table.row(a);
      for (let b = 0; b < V; b++) if (row[b] !== Math.fround(Math.log((c[b]! + alpha) / total))) mismatches++;
    }
    expect(mismatches).toBe(0);
    expect(model.vocab).toEqual(vocab);
    const config = JSON.parse(readFileSync(new URL('config.json', MODEL_DIR), 'utf8'));
    expect(config.vocab_size).toBe(V);
    expect(model.decode(model.encode('A temperatura é 温度'))).toBe('A temperatura é 温度');
  });
});

describe('onnxruntime decode loop (examples/onnx-generate.mjs)', () => {
  it('replays from the seed, and another seed gives other text', async () => {
    const params = { temperature: 1, topP: 0.9 };
    const a = await sample(7, params, 3, 60);
    const b = await sample(7, params, 3, 60);
    const c = await sample(8, params, 3, 60);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('at temperature 0 always takes the argmax of the table row', async () => {
    const sequences = await sample(1, { temperature: 0 }, 5, 40);
    let steps = 0;
    for (const s of sequences) {
      for (let i = 1; i < s.length; i++, steps++) expect(s[i]).toBe(argmax(table.row(s[i - 1]!)));
    }
    expect(steps).toBe(200);
  });

  it("at temperature 1 draws transitions from the model's conditional distribution (chi-square)", async () => {
    const sequences = await sample(2024, { temperature: 1 }, 60, 200);
    const fit = conditionalChiSquare(sequences, table.V, (a) => softmax(table.row(a)));
    expect(fit.df).toBeGreaterThan(200);
    expect(fit.z).toBeLessThan(3.7);
    // The same statistic tells T = 1.25 text from the T = 1 distribution: the check has power.
    const warm = await sample(2024, { temperature: 1.25 }, 60, 200);
    expect(conditionalChiSquare(warm, table.V, (a) => softmax(table.row(a))).z).toBeGreaterThan(10);
  });

  it('lower temperature gives lower mean per-token entropy', async () => {
    const mean = async (temperature: number) => {
      const sequences = await sample(99, { temperature }, 10, 150);
      let h = 0;
      let n = 0;
      for (const s of sequences) {
        for (let i = 1; i < s.length; i++, n++) h += entropyBits(softmax(table.row(s[i - 1]!), temperature));
      }
      return h / n;
    };
    const [cold, one, hot] = [await mean(0.2), await mean(1), await mean(2)];
    expect(cold).toBeLessThan(one);
    expect(one).toBeLessThan(hot);
  });
});
