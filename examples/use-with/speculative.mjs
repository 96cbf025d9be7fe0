import { readFile } from 'node:fs/promises';
import { createSampler } from 'logit-sampler';

// The target model: the tiny model's bigrams. The draft: a weaker, cheaper model — the same
// texts' character frequencies, blind to the previous character.
const { vocab, alpha, counts } = JSON.parse(await readFile('examples/tiny-model/bigrams.json', 'utf8'));
const V = vocab.length;
function target(ids, out) {
  const row = counts[ids.at(-1)]; // [[next id, count], …]
  const total = row.reduce((sum, [, c]) => sum + c, 0) + alpha * V;
  out.fill(Math.log(alpha / total));
  for (const [next, c] of row) out[next] = Math.log((c + alpha) / total);
}
const frequency = new Float64Array(V).fill(alpha);
for (const row of counts) for (const [next, c] of row) frequency[next] += c;
function draft(_ids, out) {
  for (let i = 0; i < V; i++) out[i] = Math.log(frequency[i]);
}

const sampler = await createSampler({ seed: 42 });
const drafter = sampler.stream(7); // the draft samples from a stream of its own
const params = { temperature: 0.8, topP: 0.9 };
const k = 4; // tokens proposed per step
const targetRows = new Float32Array((k + 1) * V);
const draftRows = new Float32Array(k * V);
const ids = [...'A temperatura '].map((ch) => vocab.indexOf(ch));
const end = ids.length + 80;
let proposed = 0;
let accepted = 0;
while (ids.length < end) {
  // The draft proposes k tokens, one at a time.
  const draftTokens = [];
  for (let i = 0; i < k; i++) {
    const row = draftRows.subarray(i * V, (i + 1) * V);
    draft([...ids, ...draftTokens], row);
    draftTokens.push(drafter.sample(row, params));
  }
  // The target scores the k + 1 positions (a real model: one forward pass over them).
  for (let i = 0; i <= k; i++) target([...ids, ...draftTokens.slice(0, i)], targetRows.subarray(i * V, (i + 1) * V));
  // Keep the accepted prefix and one more token: the text follows the target exactly.
  const r = sampler.verifyDraft({ target: targetRows, draft: draftRows, draftTokens, vocabSize: V, params });
  ids.push(...draftTokens.slice(0, r.accepted), r.token);
  proposed += k;
  accepted += r.accepted;
}
console.log(
  ids
    .slice(0, end)
    .map((id) => vocab[id])
    .join(''),
);
console.log(`accepted ${accepted} of ${proposed} draft tokens`);
