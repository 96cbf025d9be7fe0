// The tiny character model of examples/tiny-model/ in onnxruntime-web (the WASM backend only).
// Vite copies model.onnx and onnxruntime's own .wasm into the static build, so nothing is
// fetched from anywhere but the page's origin. One thread: threads need SharedArrayBuffer,
// i.e. a cross-origin-isolated page (COOP/COEP headers), which a plain static host does not
// send; the model is one Gather per token, so a second thread would gain nothing anyway.
import * as ort from 'onnxruntime-web/wasm';
import modelUrl from '../../examples/tiny-model/onnx/model.onnx?url';
import tokenizer from '../../examples/tiny-model/tokenizer.json';

ort.env.wasm.numThreads = 1;
ort.env.wasm.proxy = false;
// Errors only: onnxruntime's warnings are about graph optimisations this graph does not need.
ort.env.logLevel = 'error';

export interface TinyModel {
  /** Next-token logits after `token`: the model's row for it (length V). */
  next(token: number): Promise<Float32Array>;
  V: number;
  encode(text: string): number[];
  decode(tokens: readonly number[]): string;
}

let loading: Promise<TinyModel> | undefined;

/** Loads the model once (≈ 14 MB of onnxruntime WASM, then a 120 kB model). */
export function loadTinyModel(): Promise<TinyModel> {
  loading ??= load();
  loading.catch(() => (loading = undefined));
  return loading;
}

async function load(): Promise<TinyModel> {
  const res = await fetch(modelUrl);
  if (!res.ok) throw new Error(`fetching ${modelUrl} failed: HTTP ${res.status}`);
  const session = await ort.InferenceSession.create(new Uint8Array(await res.arrayBuffer()), {
    executionProviders: ['wasm'],
  });
  const vocab: string[] = [];
  for (const [ch, id] of Object.entries(tokenizer.model.vocab as Record<string, number>)) vocab[id] = ch;
  const ids = new Map(vocab.map((ch, i) => [ch, i]));
  const unk = ids.get(tokenizer.model.unk_token) ?? 0;
  const mask = new ort.Tensor('int64', new BigInt64Array([1n]), [1, 1]);
  return {
    V: vocab.length,
    // Row s of the logits depends on input_ids[s] alone (a bigram table), so feeding only
    // the newest token is exact, as a key/value cache would make it for a real model.
    async next(token) {
      const out = await session.run({
        input_ids: new ort.Tensor('int64', new BigInt64Array([BigInt(token)]), [1, 1]),
        attention_mask: mask,
      });
      return out.logits!.data as Float32Array;
    },
    encode: (text) => [...text.normalize('NFC')].map((ch) => ids.get(ch) ?? unk),
    decode: (tokens) => tokens.map((t) => vocab[t]).join(''),
  };
}
