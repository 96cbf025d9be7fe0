import { readFile } from 'node:fs/promises';
import { createSampler } from 'logit-sampler';
import { InferenceSession, Tensor } from 'onnxruntime-node'; // or 'onnxruntime-web': same code

const session = await InferenceSession.create('examples/tiny-model/onnx/model.onnx');
const { vocab } = JSON.parse(await readFile('examples/tiny-model/bigrams.json', 'utf8')); // id → character
const sampler = await createSampler({ seed: 42 });

const ids = [...'A temperatura '].map((ch) => vocab.indexOf(ch));
for (let step = 0; step < 80; step++) {
  const n = ids.length;
  const { logits } = await session.run({
    input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
    attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
  });
  const V = logits.dims[2];
  const last = logits.data.subarray((n - 1) * V); // the next-token logits: the last row
  ids.push(sampler.sample(last, { temperature: 0.8, topP: 0.9 }));
}
console.log(ids.map((id) => vocab[id]).join(''));
