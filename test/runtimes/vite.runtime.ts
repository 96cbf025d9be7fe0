// A consumer app built with Vite: the bundler must find both .wasm files through the browser
// entry's `new URL(…, import.meta.url)` literals and emit them; the built app then runs in
// Chromium and must sample exactly as Node does.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { withChromium } from '../support/chromium.js';
import { pageResult } from './lib/page-result.js';
import { bin } from './lib/paths.js';
import { run } from './lib/proc.js';
import { expectSameAsNode, type Workload } from './lib/same-as-node.js';
import { serve } from './lib/serve.js';

const { consumer } = inject('runtimes');

describe('Vite', () => {
  it('a built consumer app emits both .wasm files and samples like Node', async () => {
    const out = join(consumer, 'vite-out');
    // The repository's Vite, run on the consumer app, which resolves logit-sampler from its
    // own node_modules (the tarball). Relative base: the server mounts it below /wasm/.
    await run(
      process.execPath,
      [bin('vite'), 'build', '--base', './', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'],
      {
        cwd: join(consumer, 'vite-app'),
      },
    );
    const assets = await readdir(join(out, 'assets'));
    expect(assets.filter((a) => a.endsWith('.wasm')).sort()).toEqual([
      expect.stringMatching(/^logit-sampler-[\w-]+\.wasm$/),
      expect.stringMatching(/^logit-sampler\.simd-[\w-]+\.wasm$/),
    ]);

    const server = await serve(out);
    try {
      const result = await withChromium((ctx) => pageResult<Workload>(ctx, `${server.origin}/wasm/index.html`));
      expectSameAsNode(result, { module: false });
    } finally {
      await server.close();
    }
  });
});
