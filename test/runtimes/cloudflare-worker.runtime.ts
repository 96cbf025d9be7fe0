// examples/cloudflare-worker: the Worker a user would deploy, bundled from the installed tarball
// as wrangler does and served by workerd on 127.0.0.1. Its answers are the Node sampler's, for
// binary and JSON bodies alike; bad input is a 400 carrying the sampler's own message. No client
// can set the stream another draws from, the query is parsed strictly, and the size of a request
// is capped (issue 16, items 14-16).
import { readFileSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { SNIPPETS } from '../support/snippets.js';
import { waitForHttp } from './lib/net.js';
import { REPO } from './lib/paths.js';
import { bundleWorker } from './lib/worker-bundle.js';
import { serveWorker, type WorkerdServer } from './lib/workerd.js';

const { consumer } = inject('runtimes');
let server: WorkerdServer;
let url: string;

beforeAll(async () => {
  const dir = join(consumer, 'cloudflare-worker');
  await mkdir(join(dir, 'out'), { recursive: true });
  await copyFile(join(REPO, SNIPPETS.worker), join(dir, 'index.js'));
  const bundle = await bundleWorker(join(dir, 'index.js'), join(dir, 'out'));
  expect(bundle.packageEntry).toEqual([expect.stringMatching(/node_modules\/logit-sampler\/dist\/workerd\.js$/)]);
  server = await serveWorker(join(dir, 'out'), bundle.wasm);
  url = `${server.origin}/sample`;
  await waitForHttp(server.origin, 30_000, server);
});

afterAll(async () => {
  await server?.stop();
});

const LOGITS = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i * 0.37) * 4);

const postJson = (body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const postBinary = (bytes: Uint8Array | Float32Array, query = '') =>
  fetch(`${url}${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/octet-stream' },
    // A copy: fetch() takes a view of a plain ArrayBuffer.
    body: new Uint8Array(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)),
  });

/** What a Node sampler seeded alike draws, or the message it throws. */
async function node(
  logits: unknown,
  params: unknown,
  seed: number | bigint,
): Promise<{ token: number } | { error: string }> {
  const s = await createSampler({ seed });
  try {
    return { token: s.sample(logits as Float32Array, params as SamplingParams) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

async function answer(res: Response): Promise<{ status: number; body: unknown }> {
  const text = await res.text();
  try {
    return { status: res.status, body: JSON.parse(text) };
  } catch {
    throw new Error(`status ${res.status}, not JSON: ${text}\n${server.log()}`);
  }
}

describe('Cloudflare Worker example in workerd', () => {
  it('binary and JSON bodies draw the tokens a Node sampler draws from the same seed', async () => {
    const params = { temperature: 0.9, topK: 50, topP: 0.95 };
    for (const seed of [1, 2, 3, 4, 5]) {
      const want = await node(LOGITS, params, seed);
      expect('token' in want).toBe(true);
      const binary = await answer(await postBinary(LOGITS, `?temperature=0.9&topK=50&topP=0.95&seed=${seed}`));
      expect(binary).toEqual({ status: 200, body: want });
      const json = await answer(await postJson({ logits: Array.from(LOGITS), params, seed }));
      expect(json).toEqual({ status: 200, body: want });
    }
    // Greedy needs no seed.
    const greedy = await answer(await postJson({ logits: [0, 3, -1, 2], params: { temperature: 0 } }));
    expect(greedy).toEqual({ status: 200, body: { token: 1 } });
  });

  it("answers bad input with 400 and the sampler's message, never a 500", async () => {
    const bad: [Response, unknown, unknown][] = [
      [await postJson({ logits: 'abc' }), 'abc', undefined],
      [await postJson({ logits: [1, null, 2] }), [1, null, 2], undefined],
      [await postJson({ params: { temperature: 1 } }), undefined, { temperature: 1 }],
      [await postJson({ logits: [1, 2], params: { topP: 2 } }), [1, 2], { topP: 2 }],
      [await postJson({ logits: [1, 2], params: { top_p: 0.5 } }), [1, 2], { top_p: 0.5 }],
      [await postJson({ logits: [1, 2], params: 0.5 }), [1, 2], 0.5],
      [await postJson({ logits: [] }), [], undefined],
      [await postBinary(new Float32Array(0)), new Float32Array(0), {}],
      [await postBinary(new Float32Array([1, Number.NaN])), new Float32Array([1, Number.NaN]), {}],
      [await postBinary(new Float32Array(4).fill(-Infinity)), new Float32Array(4).fill(-Infinity), {}],
      [await postBinary(LOGITS, '?minP=0.1&typo=1'), LOGITS, { minP: 0.1, typo: 1 }],
    ];
    for (const [res, logits, params] of bad) {
      const want = await node(logits, params, 1);
      expect('error' in want, JSON.stringify(want)).toBe(true);
      expect(await answer(res)).toEqual({ status: 400, body: want });
    }
    // Errors of the request itself, before any sampler: also 400.
    const seed = await answer(await postJson({ logits: [1, 2], seed: 1.5 }));
    expect(seed.status).toBe(400);
    expect(seed.body).toEqual({ error: expect.stringMatching(/^seed must be an integer/) });
    const notJson = await answer(
      await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"logits": [1,' }),
    );
    expect(notJson.status).toBe(400);
    expect(notJson.body).toEqual({ error: expect.stringMatching(/^body is not valid JSON/) });
    const odd = await answer(await postBinary(new Uint8Array(6)));
    expect(odd).toEqual({ status: 400, body: { error: 'body has 6 bytes: a Float32Array needs a multiple of 4' } });
  });

  it('answers other paths, methods and content types with 404, 405 and 415', async () => {
    expect((await answer(await fetch(`${server.origin}/`))).status).toBe(404);
    expect((await answer(await fetch(url))).status).toBe(405);
    const text = await fetch(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '1 2 3' });
    expect((await answer(text)).status).toBe(415);
    expect(server.alive()).toBe(true);
  });
});

/** n equal logits: every token equally likely, so a repeated token is a sign of a shared seed. */
const UNIFORM = new Float32Array(1000);
/** Tokens of `n` unseeded uniform draws, one request each. */
async function unseeded(n: number): Promise<number[]> {
  const tokens: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = await answer(await postBinary(UNIFORM));
    expect(r.status).toBe(200);
    tokens.push((r.body as { token: number }).token);
  }
  return tokens;
}
/** The first `n` tokens a Node sampler from `seed` draws from UNIFORM. */
async function stream(seed: number | bigint, n: number): Promise<number[]> {
  const s = await createSampler({ seed });
  return Array.from({ length: n }, () => s.sample(UNIFORM));
}

describe('Cloudflare Worker example: whose stream a request draws from (issue 16, item 14)', () => {
  it('a seeded request does not set the stream unseeded requests draw from', async () => {
    const tokens: number[] = [];
    for (let i = 0; i < 20; i++) {
      expect(await answer(await postJson({ logits: [0], seed: 1234 }))).toEqual({ status: 200, body: { token: 0 } });
      tokens.push(...(await unseeded(1)));
    }
    // 20 uniform draws from 1000 tokens are all alike with probability 1e-57.
    expect(new Set(tokens).size).toBeGreaterThan(1);
    expect(tokens).not.toEqual(Array(20).fill((await stream(1234, 1))[0]));
  });

  it('a seeded request that is rejected changes nothing', async () => {
    const json = await answer(await postJson({ logits: [0, 0], params: { topP: 2 }, seed: 77 }));
    expect(json.status).toBe(400);
    expect(await unseeded(10)).not.toEqual(await stream(77, 10));
    const binary = await answer(await postBinary(new Float32Array(2), '?topP=2&seed=78'));
    expect(binary.status).toBe(400);
    expect(await unseeded(10)).not.toEqual(await stream(78, 10));
  });

  it('identical seeded requests draw identical tokens, whatever runs between or beside them', async () => {
    const params = { temperature: 2 };
    const seeds: [unknown, bigint][] = [
      [5, 5n],
      ['5', 5n],
      [-3, -3n],
      ['18446744073709551615', 18446744073709551615n],
    ];
    for (const [seed, big] of seeds) {
      const want = await node(LOGITS, params, big);
      const first = await answer(await postJson({ logits: Array.from(LOGITS), params, seed }));
      expect(first).toEqual({ status: 200, body: want });
      await unseeded(3);
      await answer(await postJson({ logits: Array.from(LOGITS), params, seed: 99 }));
      expect(await answer(await postJson({ logits: Array.from(LOGITS), params, seed }))).toEqual(first);
    }
    // Concurrent requests, seeded and not, interleaved in the isolate.
    const all = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        i % 2 ? postBinary(UNIFORM) : postBinary(LOGITS, `?temperature=2&seed=${i}`),
      ).map(async (r) => answer(await r)),
    );
    for (let i = 0; i < all.length; i += 2)
      expect(all[i]).toEqual({ status: 200, body: await node(LOGITS, params, i) });
  });
});

describe('Cloudflare Worker example: reading a request (issue 16, item 15)', () => {
  it('answers a query value that is not a decimal number with 400 naming it', async () => {
    const bad: [string, string][] = [
      ['?temperature=', 'query parameter temperature must be a decimal number, got ""'],
      ['?temperature=%20', 'query parameter temperature must be a decimal number, got " "'],
      ['?topK=0x10', 'query parameter topK must be a decimal number, got "0x10"'],
      ['?temperature=hot', 'query parameter temperature must be a decimal number, got "hot"'],
      ['?topP=Infinity', 'query parameter topP must be a decimal number, got "Infinity"'],
      ['?topP=0.5&topP=0.9', 'query parameter topP is given twice'],
      ['?seed=', 'seed must be an integer or a string of up to 20 decimal digits, got ""'],
      ['?seed=0x10', 'seed must be an integer or a string of up to 20 decimal digits, got "0x10"'],
      ['?seed=1e3', 'seed must be an integer or a string of up to 20 decimal digits, got "1e3"'],
      ['?seed=1.5', 'seed must be an integer or a string of up to 20 decimal digits, got "1.5"'],
    ];
    for (const [query, error] of bad) {
      expect(await answer(await postBinary(LOGITS, query)), query).toEqual({ status: 400, body: { error } });
    }
  });

  it('reads decimal numbers in any form, and string params as strings: input=probs', async () => {
    const want = await node(LOGITS, { temperature: 0.5, topK: 40 }, 8);
    for (const t of ['0.5', '.5', '+0.5', '5e-1', '5.E-1', '0.50000']) {
      const r = await answer(await postBinary(LOGITS, `?temperature=${encodeURIComponent(t)}&topK=40&seed=8`));
      expect(r, t).toEqual({ status: 200, body: want });
    }
    const probs = Float32Array.from(LOGITS, (x) => Math.exp(x) / 7);
    const params = { input: 'probs', temperature: 0.7 };
    for (const seed of [1, 2, 3]) {
      const r = await answer(await postBinary(probs, `?input=probs&temperature=0.7&seed=${seed}`));
      expect(r).toEqual({ status: 200, body: await node(probs, params, seed) });
    }
    const typo = await answer(await postBinary(probs, '?input=prob'));
    expect(typo).toEqual({ status: 400, body: await node(probs, { input: 'prob' }, 1) });
  });

  it("takes seeds past 2^53 as decimal strings, drawing what Node's sampler from that bigint draws", async () => {
    const seeds = ['9007199254740993', '12345678901234567890', '18446744073709551615', '-9007199254740993'];
    for (const seed of seeds) {
      const want = await node(LOGITS, { temperature: 2 }, BigInt(seed));
      expect(await answer(await postBinary(LOGITS, `?temperature=2&seed=${seed}`)), seed).toEqual({
        status: 200,
        body: want,
      });
      const json = await answer(await postJson({ logits: Array.from(LOGITS), params: { temperature: 2 }, seed }));
      expect(json, seed).toEqual({ status: 200, body: want });
    }
  });

  it('answers a JSON seed that is not a safe integer, or not a decimal string, with 400', async () => {
    const unsafe = await answer(
      await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"logits": [1, 2], "seed": 12345678901234567890}',
      }),
    );
    expect(unsafe).toEqual({
      status: 400,
      body: {
        error: 'seed 12345678901234567000 is past 2^53, where JSON numbers lose digits: send it as a string',
      },
    });
    for (const seed of ['', '0x10', ' 5', true, null, [5], 1.5]) {
      const r = await answer(await postJson({ logits: [1, 2], seed }));
      expect(r, JSON.stringify(seed)).toEqual({
        status: 400,
        body: { error: `seed must be an integer or a string of up to 20 decimal digits, got ${JSON.stringify(seed)}` },
      });
    }
  });

  it('reads the media type case-insensitively, parameters aside', async () => {
    const want = await node(LOGITS, { temperature: 0.9 }, 4);
    const body = JSON.stringify({ logits: Array.from(LOGITS), params: { temperature: 0.9 }, seed: 4 });
    for (const type of ['Application/JSON; charset=utf-8', 'application/json;charset="UTF-8"', ' APPLICATION/JSON ']) {
      const r = await answer(await fetch(url, { method: 'POST', headers: { 'content-type': type }, body }));
      expect(r, type).toEqual({ status: 200, body: want });
    }
    const bytes = new Uint8Array(LOGITS.buffer.slice(0));
    const binary = await fetch(`${url}?temperature=0.9&seed=4`, {
      method: 'POST',
      headers: { 'content-type': 'Application/Octet-Stream' },
      body: bytes,
    });
    expect(await answer(binary)).toEqual({ status: 200, body: want });
    for (const type of ['application/jsonx', 'application/json-patch+json', 'text/json']) {
      const r = await answer(await fetch(url, { method: 'POST', headers: { 'content-type': type }, body }));
      expect(r.status, type).toBe(415);
    }
  });
});

describe('Cloudflare Worker example: the size of a request (issue 16, item 16)', () => {
  // The Worker's own limits, read from its source.
  const source = readFileSync(join(REPO, SNIPPETS.worker), 'utf8');
  const MAX_LOGITS = Number(/^const MAX_LOGITS = ([\d_]+);/m.exec(source)?.[1]?.replaceAll('_', ''));
  const MAX_BODY = Number(/^const MAX_BODY = (\d+) \* 2 \*\* 20;/m.exec(source)?.[1]) * 2 ** 20;

  it('states its limits, which take a vocabulary as large as Gemma 3', () => {
    expect(MAX_LOGITS).toBeGreaterThanOrEqual(262_208);
    expect(MAX_BODY).toBeGreaterThan(MAX_LOGITS * 4);
  });

  it('answers more logits, or a longer history, than it takes with 413', async () => {
    const big = Float32Array.from({ length: MAX_LOGITS + 1 }, (_, i) => Math.sin(i));
    const tooMany = `logits has ${MAX_LOGITS + 1} entries; this service takes at most ${MAX_LOGITS}`;
    expect(await answer(await postBinary(big))).toEqual({ status: 413, body: { error: tooMany } });
    expect(await answer(await postJson({ logits: Array(MAX_LOGITS + 1).fill(0) }))).toEqual({
      status: 413,
      body: { error: tooMany },
    });
    const history = Array(MAX_LOGITS + 1).fill(1);
    expect(await answer(await postJson({ logits: [1, 2], params: { history, repetitionPenalty: 1.1 } }))).toEqual({
      status: 413,
      body: { error: `params.history has ${MAX_LOGITS + 1} entries; this service takes at most ${MAX_LOGITS}` },
    });
    // At the limit it samples, as Node does, in binary and in JSON written at full precision.
    const most = big.subarray(0, MAX_LOGITS);
    const want = { status: 200, body: await node(most, {}, 3) };
    expect(await answer(await postBinary(most, '?seed=3'))).toEqual(want);
    expect(await answer(await postJson({ logits: Array.from(most), seed: 3 }))).toEqual(want);
  });

  it('answers a body larger than it takes with 413, by its Content-Length or as it arrives', async () => {
    const size = MAX_BODY + 4;
    const error = `body has more than ${MAX_BODY} bytes; this service takes at most ${MAX_BODY}`;
    const binary = { 'content-type': 'application/octet-stream' };
    // Refused by the header alone: not a byte of the body is sent.
    expect(await postUnfinished({ ...binary, 'content-length': String(size) }, [])).toEqual({
      status: 413,
      body: { error },
    });
    // Chunked: refused once more than MAX_BODY bytes have arrived.
    const chunks = Array.from(
      { length: Math.ceil(size / 65_536) },
      (_, i) => new Uint8Array(Math.min(65_536, size - i * 65_536)),
    );
    expect(await postUnfinished(binary, chunks)).toEqual({ status: 413, body: { error } });
    expect(server.alive()).toBe(true);
  });
});

/**
 * POSTs the chunks (chunked, unless a content-length is given) and then waits for the answer
 * without finishing the body: the Worker must answer from what it has. (fetch() would go on
 * writing the body, and fail with EPIPE if the Worker answers and closes first.)
 */
function postUnfinished(
  headers: Record<string, string>,
  chunks: Uint8Array[],
): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers, timeout: 30_000 });
    req.on('timeout', () => req.destroy(new Error('no answer while the body was unfinished')));
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
      });
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) });
      });
      res.on('error', reject);
    });
    req.flushHeaders();
    for (const c of chunks) req.write(c);
  });
}
