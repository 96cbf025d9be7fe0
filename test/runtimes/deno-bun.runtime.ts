// Deno and Bun run the same CLI script against the installed tarball (their npm-compatible
// resolution picks the package's `node` condition: fs loading).
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { bin } from './lib/paths.js';
import { run } from './lib/proc.js';
import { expectSameAsNode, type Workload } from './lib/same-as-node.js';

const { consumer, work } = inject('runtimes');
const entry = `file://${join(consumer, 'node_modules/logit-sampler/dist/index.js')}`;

describe('Deno and Bun', () => {
  it('Deno: same tokens as Node', async () => {
    const out = await run(bin('deno'), ['run', '--no-prompt', '--allow-read', 'cli.mjs', '--module'], {
      cwd: consumer,
      env: { DENO_DIR: join(work, 'deno-dir') },
    });
    const result = JSON.parse(out) as Workload & { resolved: string };
    expect(result.resolved).toBe(entry);
    expectSameAsNode(result, { module: true });
  });

  it('Bun: same tokens as Node', async () => {
    // --no-install: never let Bun reach for the registry to auto-install.
    const out = await run(bin('bun'), ['--no-install', 'cli.mjs', '--module'], { cwd: consumer });
    const result = JSON.parse(out) as Workload & { resolved: string };
    expect(result.resolved).toBe(entry);
    expectSameAsNode(result, { module: true });
  });
});
