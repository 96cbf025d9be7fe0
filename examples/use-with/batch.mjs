import { readFile } from 'node:fs/promises';
import { createSampler } from 'logit-sampler';

// Stand-in for a batched model: the tiny model's bigram counts, one row of logits per sequence.
const { vocab, alpha, counts } = JSON.parse(await readFile('examples/tiny-model/bigrams.json', 'utf8'));
const V = vocab.length;
function forward(ids, out) {
  const row = counts[ids.at(-1)]; // [[next id, count], …]
  const total = row.reduce((sum, [, c]) => sum + c, 0) + alpha * V;
  out.fill(Math.log(alpha / total));
  for (const [next, c] of row) out[next] = Math.log((c + alpha) / total);
}

const sampler = await createSampler({ seed: 42 });
const params = { temperature: 0.8, topP: 0.9 };
// n = 3 completions of one prompt, each with a stream of its own: completion i draws exactly
// what a sampler created with seed i would draw for it alone.
const streams = [1, 2, 3].map((seed) => sampler.stream(seed));
const prompt = [...'A temperatura '].map((ch) => vocab.indexOf(ch));
const batch = sampler.logitsView(3 * V, V); // [rows × V], room for one row's work: the "model" writes every row here
forward(prompt, batch.subarray(0, V));
// The first step: one row, three streams — three samples of the same distribution.
const first = sampler.sampleRows(batch.subarray(0, V), V, params, streams);
const sequences = [...first].map((token) => [...prompt, token]);
// Then one row per sequence, each drawn from its own stream, all in one call.
for (let step = 1; step < 40; step++) {
  for (const [r, ids] of sequences.entries()) forward(ids, batch.subarray(r * V, (r + 1) * V));
  const tokens = sampler.sampleRows(batch, V, params, streams);
  for (const [r, ids] of sequences.entries()) ids.push(tokens[r]);
}
for (const ids of sequences) console.log(ids.map((id) => vocab[id]).join(''));
