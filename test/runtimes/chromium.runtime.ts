// Headless Chromium: a page imports the built ESM bundle (dist/browser.js, found through the
// exports map's `browser` condition) from a loopback static server. Served once with the
// right MIME type (compileStreaming) and once with a wrong one (fallback to compile()).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { withChromium } from '../support/chromium.js';
import { pageResult } from './lib/page-result.js';
import { expectSameAsNode, type Workload } from './lib/same-as-node.js';
import { serve } from './lib/serve.js';

const { consumer } = inject('runtimes');

type Counted = Workload & { calls: { streaming: number; bytes: number } };

interface Exports {
  exports: { '.': { browser: { default: string } } };
}

/** Counts which compile path the loader takes, then runs the workload from sequence.mjs. */
function page(browserEntry: string): (mode: string) => string {
  return (mode) => `<!doctype html>
<script>
  window.calls = { streaming: 0, bytes: 0 };
  const { compile, compileStreaming } = WebAssembly;
  WebAssembly.compileStreaming = (r) => (calls.streaming++, compileStreaming(r));
  WebAssembly.compile = (b) => (calls.bytes++, compile(b));
</script>
<script type="importmap">{ "imports": { "logit-sampler": "/${mode}/node_modules/logit-sampler/${browserEntry}" } }</script>
<script type="module">
  import * as lib from 'logit-sampler';
  import { sequences } from './sequence.mjs';
  sequences(lib).then((r) => (window.result = { ...r, calls }), (e) => (window.result = { error: String(e.stack) }));
</script>`;
}

describe('Chromium', () => {
  it('ESM bundle from a static server: same tokens as Node, streaming or not', async () => {
    const pkg = JSON.parse(
      await readFile(join(consumer, 'node_modules/logit-sampler/package.json'), 'utf8'),
    ) as Exports;
    const entry = pkg.exports['.'].browser.default.replace(/^\.\//, '');
    expect(entry).toBe('dist/browser.js');
    const server = await serve(consumer, { 'page.html': page(entry) });
    try {
      await withChromium(async (ctx) => {
        const good = await pageResult<Counted>(ctx, `${server.origin}/wasm/page.html`);
        expectSameAsNode(good, { module: false });
        expect(good.calls.streaming).toBeGreaterThan(0);
        expect(good.calls.bytes).toBe(0);

        const bad = await pageResult<Counted>(ctx, `${server.origin}/octet/page.html`);
        expectSameAsNode(bad, { module: false });
        expect(bad.calls.streaming).toBe(0);
        expect(bad.calls.bytes).toBeGreaterThan(0);
      });
    } finally {
      await server.close();
    }
  });
});
