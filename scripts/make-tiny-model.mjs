#!/usr/bin/env node
// Builds examples/tiny-model/: a character-level bigram language model as ONNX, plus the
// tokenizer.json / config.json pair transformers.js loads, from counts over the reference texts.
//
//   node scripts/make-tiny-model.mjs [reference-dir] [out-dir]    (npm run make:tiny-model)
//
// reference-dir defaults to ../shared/reference from the repository root (the project's
// reference texts, kept outside the repository); out-dir to examples/tiny-model. Only this script reads the reference texts: the
// files it writes are committed, so tests and CI never need them. The output is a pure function
// of the texts (no clock, no randomness): running it again writes byte-identical files.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

const REPO = fileURLToPath(new URL('..', import.meta.url));
const refDir = resolve(process.argv[2] ?? join(REPO, '..', 'shared', 'reference'));
const outDir = resolve(process.argv[3] ?? join(REPO, 'examples', 'tiny-model'));

/** Characters seen fewer times than this share one token: keeps V (and the V×V table) small. */
const MIN_COUNT = 5;
/** Add-α smoothing: every character stays possible after every other, as in a real model. */
const ALPHA = 0.01;
/** The token for every rarer character; also the tokenizer's unknown token. */
const UNK = '\uFFFD';

// --- the texts -------------------------------------------------------------------------------
const files = readdirSync(refDir)
  .filter((f) => /^\d+_[0-9a-f]+\.txt$/.test(f))
  .sort();
if (files.length === 0) throw new Error(`no reference texts (NNN_hash.txt) in ${refDir}`);
// One code point per character; NFC so that an accent typed two ways is one character. Runs of
// spaces and tabs (code indentation in the notebook) become one space: otherwise "space follows
// space" dominates the table and greedy decoding emits nothing but spaces.
const clean = (s) =>
  s
    .replace(/\r\n?/g, '\n')
    .replace(/[ \t]+/g, ' ')
    .normalize('NFC');
const texts = files.map((f) => [...clean(readFileSync(join(refDir, f), 'utf8'))]);

// --- the vocabulary: UNK first, then by frequency (ties by code point) ------------------------
const freq = new Map();
for (const t of texts) for (const ch of t) freq.set(ch, (freq.get(ch) ?? 0) + 1);
const kept = [...freq]
  .filter(([ch, n]) => n >= MIN_COUNT && ch !== UNK)
  .sort((a, b) => b[1] - a[1] || a[0].codePointAt(0) - b[0].codePointAt(0))
  .map(([ch]) => ch);
const vocab = [UNK, ...kept];
const V = vocab.length;
const id = new Map(vocab.map((ch, i) => [ch, i]));

// --- bigram counts, within each file (no pair spans two files) -------------------------------
const counts = Array.from({ length: V }, () => new Map());
for (const t of texts) {
  for (let i = 1; i < t.length; i++) {
    const a = id.get(t[i - 1]) ?? 0;
    const b = id.get(t[i]) ?? 0;
    counts[a].set(b, (counts[a].get(b) ?? 0) + 1);
  }
}
const rows = counts.map((m) => [...m].sort((x, y) => x[0] - y[0]));

// --- the table: logits[a][b] = ln P(b | a), smoothed -----------------------------------------
// Written as this exact float64 expression rounded to float32, so anyone holding bigrams.json
// (a hand-written loop, a test) recomputes the model's logits bit for bit.
const table = new Float32Array(V * V);
for (let a = 0; a < V; a++) {
  let n = 0;
  for (const [, c] of rows[a]) n += c;
  const total = n + ALPHA * V;
  table.fill(Math.log(ALPHA / total), a * V, (a + 1) * V);
  for (const [b, c] of rows[a]) table[a * V + b] = Math.log((c + ALPHA) / total);
}

// --- the ONNX graph: logits = Gather(table, input_ids) ---------------------------------------
// Inputs and output follow the Hugging Face decoder export (input_ids, attention_mask → logits),
// so transformers.js and any onnxruntime decode loop drive it as they would a real LM. A bigram
// model needs no cache: each row of logits depends on its own input id only, which is also why
// transformers.js may feed it just the newest token after the first step. attention_mask is
// declared with its own length axis (it covers the whole sequence, input_ids may not) and read
// by nothing.
const { DataType } = onnx.TensorProto;
const dims = (...names) => ({ dim: names.map((n) => (typeof n === 'number' ? { dimValue: n } : { dimParam: n })) });
const valueInfo = (name, elemType, shape) => ({ name, type: { tensorType: { elemType, shape } } });
const model = onnx.ModelProto.create({
  irVersion: 8,
  opsetImport: [{ domain: '', version: 13 }],
  producerName: 'logit-sampler scripts/make-tiny-model.mjs',
  producerVersion: '1',
  docString: `Character bigram LM over ${files.length} reference texts: logits[b, s, :] = ln P(next | input_ids[b, s]), add-${ALPHA} smoothing, V = ${V}.`,
  graph: {
    name: 'char_bigram',
    node: [{ opType: 'Gather', input: ['bigram_logits', 'input_ids'], output: ['logits'], name: 'lookup' }],
    initializer: [
      {
        name: 'bigram_logits',
        dataType: DataType.FLOAT,
        dims: [V, V],
        rawData: new Uint8Array(table.buffer),
      },
    ],
    input: [
      valueInfo('input_ids', DataType.INT64, dims('batch_size', 'sequence_length')),
      valueInfo('attention_mask', DataType.INT64, dims('batch_size', 'total_sequence_length')),
    ],
    output: [valueInfo('logits', DataType.FLOAT, dims('batch_size', 'sequence_length', V))],
  },
});
if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) throw new Error('rawData must be little-endian');

// --- transformers.js files -------------------------------------------------------------------
// A BPE model with no merges is a character tokenizer: every code point is its own token and an
// unknown one becomes UNK. Fuse joins tokens back without spaces.
const tokenizer = {
  version: '1.0',
  truncation: null,
  padding: null,
  added_tokens: [],
  normalizer: { type: 'NFC' },
  pre_tokenizer: null,
  post_processor: null,
  decoder: { type: 'Fuse' },
  model: {
    type: 'BPE',
    dropout: null,
    unk_token: UNK,
    continuing_subword_prefix: null,
    end_of_word_suffix: null,
    fuse_unk: false,
    byte_fallback: false,
    ignore_merges: false,
    vocab: Object.fromEntries(vocab.map((ch, i) => [ch, i])),
    merges: [],
  },
};
const tokenizerConfig = {
  tokenizer_class: 'PreTrainedTokenizerFast',
  unk_token: UNK,
  clean_up_tokenization_spaces: false,
  model_max_length: 1024,
};
// gpt2 is a decoder-only type transformers.js knows; n_layer 0 means no past_key_values inputs.
const config = {
  architectures: ['GPT2LMHeadModel'],
  model_type: 'gpt2',
  vocab_size: V,
  n_positions: 1024,
  n_embd: V,
  n_layer: 0,
  n_head: 1,
  bos_token_id: null,
  eos_token_id: null,
  pad_token_id: null,
  use_cache: false,
};
const generationConfig = { bos_token_id: null, eos_token_id: null, pad_token_id: null };
const bigrams = {
  about:
    'Character bigram counts behind onnx/model.onnx: logits[a][b] = fround(ln((counts[a][b] + alpha) / (n_a + alpha * V))), n_a = sum of row a.',
  alpha: ALPHA,
  vocab,
  counts: rows,
};

mkdirSync(join(outDir, 'onnx'), { recursive: true });
const json = (v) => `${JSON.stringify(v, null, 1)}\n`;
writeFileSync(join(outDir, 'onnx', 'model.onnx'), onnx.ModelProto.encode(model).finish());
writeFileSync(join(outDir, 'tokenizer.json'), json(tokenizer));
writeFileSync(join(outDir, 'tokenizer_config.json'), json(tokenizerConfig));
writeFileSync(join(outDir, 'config.json'), json(config));
writeFileSync(join(outDir, 'generation_config.json'), json(generationConfig));
// counts rows stay on one line each: the file is read by code, and diffs stay per context.
writeFileSync(
  join(outDir, 'bigrams.json'),
  `{\n "about": ${JSON.stringify(bigrams.about)},\n "alpha": ${ALPHA},\n "vocab": ${JSON.stringify(vocab)},\n "counts": [\n${rows.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n ]\n}\n`,
);
let pairs = 0;
for (const r of rows) for (const [, c] of r) pairs += c;
console.log(`${outDir}: V = ${V}, ${pairs} bigrams from ${files.length} texts`);
