// The per-runtime loaders, in Node: the browser entry's fetch + compileStreaming (with its
// fallback for a wrong MIME type) and the Workers entry's hand-over of imported modules.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fetchLoader } from '../../src/load/browser.js';
import { importedLoader } from '../../src/load/workerd.js';

const SIMD = new URL('../../build/logit-sampler.simd.wasm', import.meta.url);
const SCALAR = new URL('../../build/logit-sampler.wasm', import.meta.url);

/** fetch() answering file: URLs from disk with the given Content-Type (or a status). */
function serveFiles(contentType: string, status = 200) {
  return vi.fn(async (url: URL | string) =>
    status === 200
      ? new Response(await readFile(fileURLToPath(url)), { headers: { 'content-type': contentType } })
      : new Response('', { status }),
  );
}

const isKernel = (m: WebAssembly.Module) => WebAssembly.Module.exports(m).some((e) => e.name === 'run');

/** A fresh copy of the browser entry: each entry compiles a build once and caches it. */
async function browserEntry() {
  vi.resetModules();
  return import('../../src/browser.js');
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('browser loader', () => {
  it('streams the compile when the server says application/wasm', async () => {
    vi.stubGlobal('fetch', serveFiles('application/wasm'));
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    expect(isKernel(await fetchLoader(SIMD, SCALAR)(true))).toBe(true);
    // (Node's compileStreaming calls compile() itself, so only the streaming call is telling
    // here; the Chromium runtime test checks that compile() is not reached there.)
    expect(streaming).toHaveBeenCalledTimes(1);
  });

  it('compiles the bytes when the MIME type is wrong (compileStreaming would reject)', async () => {
    vi.stubGlobal('fetch', serveFiles('application/octet-stream'));
    const streaming = vi.spyOn(WebAssembly, 'compileStreaming');
    const bytes = vi.spyOn(WebAssembly, 'compile');
    expect(isKernel(await fetchLoader(SIMD, SCALAR)(false))).toBe(true);
    expect(streaming).not.toHaveBeenCalled();
    expect(bytes).toHaveBeenCalledTimes(1);
  });

  it('fetches the URL of the build asked for', async () => {
    const fetch = serveFiles('application/wasm');
    vi.stubGlobal('fetch', fetch);
    const load = fetchLoader(SIMD, SCALAR);
    await load(true);
    await load(false);
    expect(fetch.mock.calls.map(([u]) => String(u))).toEqual([SIMD.href, SCALAR.href]);
  });

  it('names the URL and status when the download fails', async () => {
    vi.stubGlobal('fetch', serveFiles('text/html', 404));
    await expect(fetchLoader(SIMD, SCALAR)(true)).rejects.toThrow(`fetching ${SIMD.href} failed: HTTP 404`);
  });

  it('the browser entry: wasm-simd when the files are served, js when they are missing', async () => {
    vi.stubGlobal('fetch', serveFiles('application/wasm'));
    expect((await (await browserEntry()).createSampler({ seed: 1 })).backend).toBe('wasm-simd');
    vi.stubGlobal('fetch', serveFiles('text/html', 404));
    expect((await (await browserEntry()).createSampler({ seed: 1 })).backend).toBe('js');
  });

  it('the browser entry fetches and compiles each build once for any number of samplers', async () => {
    const fetch = serveFiles('application/wasm');
    vi.stubGlobal('fetch', fetch);
    const { createSampler } = await browserEntry();
    const all = await Promise.all(Array.from({ length: 20 }, (_, i) => createSampler({ seed: i })));
    for (let i = 0; i < 20; i++) all.push(await createSampler({ backend: 'wasm', seed: i }));
    expect(all.map((s) => s.backend)).toEqual([...Array(20).fill('wasm-simd'), ...Array(20).fill('wasm')]);
    expect(fetch.mock.calls.map(([u]) => String(u))).toEqual([SIMD.href, SCALAR.href]);
  });

  it('the browser entry tries again after a failed download', async () => {
    vi.stubGlobal('fetch', serveFiles('text/html', 503));
    const { createSampler } = await browserEntry();
    await expect(createSampler({ backend: 'wasm-simd' })).rejects.toThrow(/HTTP 503/);
    vi.stubGlobal('fetch', serveFiles('application/wasm'));
    expect((await createSampler({ backend: 'wasm-simd' })).backend).toBe('wasm-simd');
  });
});

describe('workerd loader', () => {
  it('hands out the imported modules and never compiles', async () => {
    const simd = new WebAssembly.Module(await readFile(SIMD));
    const scalar = new WebAssembly.Module(await readFile(SCALAR));
    const compile = vi.spyOn(WebAssembly, 'compile');
    const load = importedLoader(simd, scalar);
    expect(await load(true)).toBe(simd);
    expect(await load(false)).toBe(scalar);
    expect(compile).not.toHaveBeenCalled();
  });
});
