// examples/cloudflare-worker: the Worker a user would deploy, bundled from the installed tarball
// as wrangler does and served by workerd on 127.0.0.1. Its answers are the Node sampler's, for
// binary and JSON bodies alike; bad input is a 400 carrying the sampler's own message.
import { copyFile, mkdir } from 'node:fs/promises';
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
async function node(logits: unknown, params: unknown, seed: number): Promise<{ token: number } | { error: string }> {
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
      [await postBinary(LOGITS, '?temperature=hot'), LOGITS, { temperature: Number.NaN }],
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
