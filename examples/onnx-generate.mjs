// An onnxruntime decode loop with logit-sampler choosing each token: session.run → last row of
// logits → sampler.sample → append → run again. Runs the tiny character model in
// examples/tiny-model/ and prints text at three temperatures from one seed, with the time per
// token split between the model and the sampler.
//
//   npm run build && node examples/onnx-generate.mjs [prompt] [seed]
//
// Plain JavaScript (JSDoc gives editors the types) so that Node 20 runs it as it is: no
// TypeScript loader, no build step beyond the package's own. The loop takes the
// onnxruntime `Tensor` class as an argument: pass onnxruntime-web's and it runs in a browser
// unchanged.
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSampler } from 'logit-sampler';
import * as ort from 'onnxruntime-node';

/** The tiny model's folder (onnx/model.onnx, tokenizer.json, config.json, bigrams.json). */
export const MODEL_DIR = new URL('./tiny-model/', import.meta.url);

/**
 * Loads the model into an onnxruntime session, and its character vocabulary.
 * @param {URL} [dir]
 */
export async function loadTinyModel(dir = MODEL_DIR) {
  const session = await ort.InferenceSession.create(fileURLToPath(new URL('onnx/model.onnx', dir)));
  const { model } = JSON.parse(await readFile(new URL('tokenizer.json', dir), 'utf8'));
  /** @type {string[]} id → character */
  const vocab = [];
  for (const [ch, id] of Object.entries(model.vocab)) vocab[/** @type {number} */ (id)] = ch;
  const ids = new Map(vocab.map((ch, i) => [ch, i]));
  const unk = ids.get(model.unk_token) ?? 0;
  return {
    session,
    vocab,
    /** @param {string} text */
    encode: (text) => [...text.normalize('NFC')].map((ch) => ids.get(ch) ?? unk),
    /** @param {number[]} tokens */
    decode: (tokens) => tokens.map((t) => vocab[t]).join(''),
  };
}

/**
 * @typedef {object} GenerateOptions
 * @property {import('onnxruntime-common').InferenceSession} session a causal LM: input_ids and
 *   attention_mask int64 [batch, seq] in, logits float32 [batch, seq, V] out
 * @property {typeof import('onnxruntime-common').Tensor} [Tensor] the Tensor class of the
 *   onnxruntime package that created `session` (default: onnxruntime-node's)
 * @property {{ sample(logits: Float32Array, params?: object): number }} sampler a logit-sampler
 *   Sampler: draws each token (and holds the seed)
 * @property {number[]} prompt token ids to start from (at least one)
 * @property {number} maxNewTokens how many tokens to generate
 * @property {import('logit-sampler').SamplingParams} [params] temperature, topK, topP, minP …
 */

/**
 * Generates `maxNewTokens` tokens. The model sees the whole sequence on every step (this model
 * has no key/value cache), and only its last row of logits — the next-token distribution —
 * goes to the sampler.
 * @param {GenerateOptions} o
 * @returns {Promise<{ tokens: number[], modelMs: number, samplerMs: number }>}
 */
export async function generate({ session, Tensor = ort.Tensor, sampler, prompt, maxNewTokens, params }) {
  const ids = [...prompt];
  let modelMs = 0;
  let samplerMs = 0;
  for (let step = 0; step < maxNewTokens; step++) {
    const t0 = performance.now();
    const n = ids.length;
    const out = await session.run({
      input_ids: new Tensor('int64', BigInt64Array.from(ids, BigInt), [1, n]),
      attention_mask: new Tensor('int64', new BigInt64Array(n).fill(1n), [1, n]),
    });
    const logits = /** @type {Float32Array} */ (out.logits?.data); // [1, n, V]
    const V = logits.length / n;
    // The last row, as a view: the sampler reads it once.
    const last = logits.subarray((n - 1) * V, n * V);
    const t1 = performance.now();
    ids.push(sampler.sample(last, params));
    const t2 = performance.now();
    modelMs += t1 - t0;
    samplerMs += t2 - t1;
  }
  return { tokens: ids.slice(prompt.length), modelMs, samplerMs };
}

async function main() {
  const prompt = process.argv[2] ?? 'A temperatura ';
  const seed = Number(process.argv[3] ?? 42);
  const model = await loadTinyModel();
  const sampler = await createSampler({ seed });
  console.log(`tiny char model, V = ${model.vocab.length}; sampler backend ${sampler.backend}; seed ${seed}\n`);
  // One unprinted run first, so that the timings below are not the JIT's warm-up.
  await generate({ session: model.session, sampler, prompt: model.encode(prompt), maxNewTokens: 100 });
  for (const temperature of [0.2, 1, 2]) {
    sampler.reseed(seed);
    const steps = 120;
    const r = await generate({
      session: model.session,
      sampler,
      prompt: model.encode(prompt),
      maxNewTokens: steps,
      params: { temperature },
    });
    const us = (/** @type {number} */ ms) => ((ms * 1000) / steps).toFixed(1).padStart(6);
    console.log(`T = ${temperature}: model ${us(r.modelMs)} µs/token, sampler ${us(r.samplerMs)} µs/token`);
    console.log(`${JSON.stringify(prompt + model.decode(r.tokens))}\n`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
