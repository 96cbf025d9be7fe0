// Cloudflare's runtime: a Worker bundled from the installed tarball serves /sample on
// 127.0.0.1. workerd refuses to compile WebAssembly from bytes (as production Workers do), so
// `auto` reaching wasm-simd proves the workerd entry's precompiled-module path.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { waitForHttp } from './lib/net.js';
import { expectSameAsNode, type Workload } from './lib/same-as-node.js';
import { bundleWorker } from './lib/worker-bundle.js';
import { serveWorker } from './lib/workerd.js';

const { consumer } = inject('runtimes');

describe('workerd', () => {
  it('a Worker serving /sample: same tokens as Node', async () => {
    const dir = join(consumer, 'worker-out');
    await mkdir(dir, { recursive: true });
    const bundle = await bundleWorker(join(consumer, 'worker.mjs'), dir);
    expect(bundle.packageEntry).toEqual([expect.stringMatching(/node_modules\/logit-sampler\/dist\/workerd\.js$/)]);
    expect(bundle.wasm.sort()).toEqual(['logit-sampler.simd.wasm', 'logit-sampler.wasm']);

    const server = await serveWorker(dir, bundle.wasm);
    try {
      const res = await waitForHttp(`${server.origin}/sample`, 30_000, server);
      const body = await res.text();
      expect(res.status, `${body}\n${server.log()}`).toBe(200);
      expectSameAsNode(JSON.parse(body) as Workload, { module: true });
    } finally {
      await server.stop();
    }
    expect(server.alive()).toBe(false);
  });
});
