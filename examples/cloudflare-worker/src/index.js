// A Cloudflare Worker that samples the next token from logits posted to POST /sample:
//   binary:  Content-Type: application/octet-stream, the body a little-endian Float32Array,
//            params in the query (?temperature=0.7&topP=0.9&input=probs&seed=42)
//   JSON:    Content-Type: application/json, { "logits": [...], "params": {...}, "seed": 42 }
// A seed is an integer, or a string of decimal digits (send seeds past 2^53 as strings).
// It answers { "token": 17 }, or 400 { "error": "…" } with the sampler's own message, or 413
// for a body or an array larger than the limits below.
import { createSamplerSync } from 'logit-sampler';
// Workers may not compile WebAssembly at run time: import the .wasm, which the Worker's
// bundler uploads as a precompiled module.
import simd from 'logit-sampler/logit-sampler.simd.wasm';

// Above the largest vocabularies in use (Gemma 3: 262,208 logits). A sampler keeps the memory
// its largest call needed: ~25 MiB for MAX_LOGITS logits, as long a history and a bias on every
// token, of the 128 MB an isolate may use. History is capped alike.
const MAX_LOGITS = 300_000;
// Room for MAX_LOGITS logits written out in JSON (up to ~24 bytes each at full precision).
const MAX_BODY = 8 * 2 ** 20;

// Query values are decimal numbers (Number() would also take '', '0x10' and 'Infinity'),
// except these, which are strings.
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
const STRING_PARAMS = ['input'];

// The isolate's sampler for unseeded requests. No request reseeds it, so no client can set or
// replay the stream others draw from. Made in a request, not at load: its random seed comes
// from crypto.getRandomValues, which Workers forbid in global scope.
let shared;

class TooLarge extends Error {}

const reply = (body, status = 200) => Response.json(body, { status });
const show = (v) => {
  const json = JSON.stringify(v);
  return json.length > 40 ? `${json.slice(0, 40)}…` : json;
};

function seedOf(v) {
  // 20 digits hold any 64-bit seed; BigInt() of a longer string is work for nothing.
  if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) return BigInt(v);
  if (Number.isSafeInteger(v)) return v;
  if (Number.isInteger(v)) {
    throw new RangeError(`seed ${v} is past 2^53, where JSON numbers lose digits: send it as a string`);
  }
  throw new TypeError(`seed must be an integer or a string of up to 20 decimal digits, got ${show(v)}`);
}

function readQuery(url) {
  const query = new Map();
  for (const [key, value] of new URL(url).searchParams) {
    if (query.has(key)) throw new TypeError(`query parameter ${key} is given twice`);
    const text = key === 'seed' || STRING_PARAMS.includes(key);
    if (!text && !DECIMAL.test(value)) {
      throw new TypeError(`query parameter ${key} must be a decimal number, got ${show(value)}`);
    }
    query.set(key, text ? value : Number(value));
  }
  const seed = query.get('seed');
  query.delete('seed');
  return { params: Object.fromEntries(query), seed };
}

async function readBody(request) {
  const tooLarge = () => new TooLarge(`body has more than ${MAX_BODY} bytes; this service takes at most ${MAX_BODY}`);
  if (Number(request.headers.get('content-length')) > MAX_BODY) throw tooLarge();
  // Without a Content-Length (a chunked upload), count what arrives; throwing out of the loop
  // cancels the rest.
  const chunks = [];
  let size = 0;
  for await (const chunk of request.body ?? []) {
    size += chunk.byteLength;
    if (size > MAX_BODY) throw tooLarge();
    chunks.push(chunk);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

async function readRequest(request) {
  // The media type, without parameters (charset=…); media types are case-insensitive.
  const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json' && type !== 'application/octet-stream') return null;
  const bytes = await readBody(request);
  let input;
  if (type === 'application/json') {
    let body;
    try {
      body = JSON.parse(new TextDecoder().decode(bytes));
    } catch (e) {
      throw new TypeError(`body is not valid JSON: ${e.message}`);
    }
    input = { logits: body?.logits, params: body?.params, seed: body?.seed };
  } else {
    if (bytes.byteLength % 4 !== 0) {
      throw new RangeError(`body has ${bytes.byteLength} bytes: a Float32Array needs a multiple of 4`);
    }
    input = { logits: new Float32Array(bytes.buffer), ...readQuery(request.url) };
  }
  if (input.seed !== undefined) input.seed = seedOf(input.seed);
  // The arrays the sampler copies into its memory, which it keeps.
  for (const [name, a] of [
    ['logits', input.logits],
    ['params.history', input.params?.history],
  ]) {
    if ((Array.isArray(a) || a instanceof Float32Array) && a.length > MAX_LOGITS) {
      throw new TooLarge(`${name} has ${a.length} entries; this service takes at most ${MAX_LOGITS}`);
    }
  }
  return input;
}

function samplerFor(seed) {
  // Kept once made: if making it throws, the next request tries again.
  shared ??= createSamplerSync({ module: simd });
  // A seeded request draws from a stream of its own — a few dozen bytes over the shared
  // sampler's memory — so that its seed reaches no other request's stream.
  return seed === undefined ? shared : shared.stream(seed);
}

// Bad input (the sampler's TypeError/RangeError, or the request's) is the client's error.
function clientError(e) {
  if (e instanceof TooLarge) return reply({ error: e.message }, 413);
  if (e instanceof TypeError || e instanceof RangeError) return reply({ error: e.message }, 400);
  throw e;
}

export default {
  async fetch(request) {
    if (new URL(request.url).pathname !== '/sample') return reply({ error: 'not found: POST /sample' }, 404);
    if (request.method !== 'POST') return reply({ error: 'method not allowed: POST /sample' }, 405);
    let input;
    try {
      input = await readRequest(request);
    } catch (e) {
      return clientError(e);
    }
    if (!input) return reply({ error: 'Content-Type must be application/json or application/octet-stream' }, 415);
    // Outside the try: a sampler that cannot be made (no memory left) is a server error.
    const sampler = samplerFor(input.seed);
    try {
      return reply({ token: sampler.sample(input.logits, input.params) });
    } catch (e) {
      return clientError(e);
    }
  },
};
