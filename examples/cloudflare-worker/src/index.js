// A Cloudflare Worker that samples the next token from logits posted to POST /sample:
//   binary:  Content-Type: application/octet-stream, the body a little-endian Float32Array,
//            params in the query (?temperature=0.7&topP=0.9&seed=42)
//   JSON:    Content-Type: application/json, { "logits": [...], "params": {...}, "seed": 42 }
// It answers { "token": 17 }, or 400 { "error": "…" } with the sampler's own message.
import { createSampler } from 'logit-sampler';
// Workers may not compile WebAssembly at run time: import the .wasm, which the Worker's
// bundler uploads as a precompiled module.
import simd from 'logit-sampler/logit-sampler.simd.wasm';

// One sampler per isolate, reused by every request. Made in the first request, not at load:
// its random seed comes from crypto.getRandomValues, which Workers forbid in global scope.
let sampler;

const reply = (body, status = 200) => Response.json(body, { status });

async function readRequest(request) {
  const type = request.headers.get('content-type') ?? '';
  if (type.startsWith('application/json')) {
    const body = await request.json().catch((e) => {
      throw new TypeError(`body is not valid JSON: ${e.message}`);
    });
    return { logits: body?.logits, params: body?.params, seed: body?.seed };
  }
  if (type.startsWith('application/octet-stream')) {
    const bytes = await request.arrayBuffer();
    if (bytes.byteLength % 4 !== 0) {
      throw new RangeError(`body has ${bytes.byteLength} bytes: a Float32Array needs a multiple of 4`);
    }
    const { seed, ...query } = Object.fromEntries(new URL(request.url).searchParams);
    const params = Object.fromEntries(Object.entries(query).map(([k, v]) => [k, Number(v)]));
    return { logits: new Float32Array(bytes), params, seed: seed === undefined ? undefined : Number(seed) };
  }
  return null;
}

export default {
  async fetch(request) {
    if (new URL(request.url).pathname !== '/sample') return reply({ error: 'not found: POST /sample' }, 404);
    if (request.method !== 'POST') return reply({ error: 'method not allowed: POST /sample' }, 405);
    try {
      const input = await readRequest(request);
      if (!input) return reply({ error: 'Content-Type must be application/json or application/octet-stream' }, 415);
      sampler ??= createSampler({ module: simd });
      const s = await sampler;
      // One request, one seed: reseed and draw in the same synchronous step, so concurrent
      // requests to this isolate cannot interleave between the two.
      if (input.seed !== undefined) s.reseed(input.seed);
      return reply({ token: s.sample(input.logits, input.params) });
    } catch (e) {
      // Bad input (the sampler's TypeError/RangeError, or the body's) is the client's error.
      if (e instanceof TypeError || e instanceof RangeError) return reply({ error: e.message }, 400);
      throw e;
    }
  },
};
