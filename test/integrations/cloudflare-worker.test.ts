// examples/cloudflare-worker in Node, with 'logit-sampler' a stub package whose first attempt to
// make a sampler fails as instantiating does when the isolate is out of memory: that request
// fails with a server error, nothing failed is kept, and the next request makes the sampler
// (issue 16, item 16). Everything else about the Worker is tested in workerd, on the real
// package (test/runtimes/cloudflare-worker.runtime.ts).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { SNIPPETS } from '../support/snippets.js';

const dir = mkdtempSync(join(tmpdir(), 'logit-sampler-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The stub's samplers draw greedily; `made` counts the attempts to make one.
const STUB = `
let made = 0;
function make() {
  globalThis.samplersMade = ++made;
  if (made === 1) throw new RangeError('WebAssembly.Instance(): Out of memory: Cannot allocate Wasm memory');
  const greedy = (logits) => logits.indexOf(Math.max(...logits));
  return { sample: greedy, reseed() {}, stream: () => ({ sample: greedy }) };
}
export const createSamplerSync = () => make();
export const createSampler = async () => make();
`;
const pkg = join(dir, 'node_modules', 'logit-sampler');
mkdirSync(pkg, { recursive: true });
writeFileSync(
  join(pkg, 'package.json'),
  JSON.stringify({
    name: 'logit-sampler',
    type: 'module',
    exports: { '.': './index.js', './logit-sampler.simd.wasm': './module.js' },
  }),
);
writeFileSync(join(pkg, 'index.js'), STUB);
writeFileSync(join(pkg, 'module.js'), "export default 'a precompiled module';\n");
copyFileSync(new URL(`../../${SNIPPETS.worker}`, import.meta.url), join(dir, 'worker.js'));
const worker = (await import(pathToFileURL(join(dir, 'worker.js')).href)).default;
const made = () => (globalThis as { samplersMade?: number }).samplersMade;

const post = (body: unknown) =>
  new Request('http://worker.test/sample', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('the Cloudflare Worker example, when making its sampler fails', () => {
  it('fails that request with a server error, and makes the sampler again on the next', async () => {
    await expect(worker.fetch(post({ logits: [0, 0, 0] }))).rejects.toThrow(/Out of memory/);
    expect(made()).toBe(1);
    const next = await worker.fetch(post({ logits: [0, 3, -1] }));
    expect({ status: next.status, body: await next.json() }).toEqual({ status: 200, body: { token: 1 } });
    expect(made()).toBe(2);
    // Made once it succeeded, then kept.
    const again = await worker.fetch(post({ logits: [5, 0, -1] }));
    expect(await again.json()).toEqual({ token: 0 });
    expect(made()).toBe(2);
  });
});
