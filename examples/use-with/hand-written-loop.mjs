import { readFile } from 'node:fs/promises';
import { createSampler } from 'logit-sampler';

// Stand-in for your model: the tiny model's bigram counts, turned into next-token logits.
const { vocab, alpha, counts } = JSON.parse(await readFile('examples/tiny-model/bigrams.json', 'utf8'));
const V = vocab.length;
function forward(ids, out) {
  const row = counts[ids.at(-1)]; // [[next id, count], …]
  const total = row.reduce((sum, [, c]) => sum + c, 0) + alpha * V;
  out.fill(Math.log(alpha / total));
  for (const [next, c] of row) out[next] = Math.log((c + alpha) / total);
}

const sampler = await createSampler({ seed: 42 });
const logits = sampler.logitsView(V); // the model writes here, inside the sampler: no copy
const ids = [...'A temperatura '].map((ch) => vocab.indexOf(ch));
for (let step = 0; step < 80; step++) {
  forward(ids, logits);
  ids.push(sampler.sample(logits, { temperature: 0.8, topP: 0.9 }));
}
console.log(ids.map((id) => vocab[id]).join(''));
