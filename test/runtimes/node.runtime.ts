// Node: the reference itself, and the tarball installed in a fresh project, used through
// both `import` (ESM build) and `require` (CJS build).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { run } from './lib/proc.js';
import { expectSameAsNode, type Workload } from './lib/same-as-node.js';

const { consumer, reference } = inject('runtimes');

describe('Node', () => {
  it('reference: the checkout resolves to dist/index.js, auto is wasm-simd, all backends agree', () => {
    expect(reference.resolved).toMatch(/\/dist\/index\.js$/);
    expect(reference.backends).toEqual({ auto: 'wasm-simd', wasm: 'wasm', js: 'js', module: 'wasm-simd' });
    for (const runs of Object.values(reference.runs)) expect(runs).toEqual(reference.runs.js);
    for (const hashes of Object.values(reference.probs)) expect(hashes).toEqual(reference.probs.js);
    expect(reference.runs.js!.flat()).toHaveLength(6 * 64);
  });

  it('reference: the golden sequences are the committed table, on every backend', () => {
    const table = JSON.parse(readFileSync(new URL('../golden/sequences.json', import.meta.url), 'utf8')) as {
      cases: Record<string, { tokens: number[] }>;
    };
    expect(Object.keys(reference.golden)).toEqual(Object.keys(table.cases));
    for (const [name, { tokens }] of Object.entries(table.cases)) {
      expect(reference.golden[name], name).toEqual({ auto: tokens, wasm: tokens, js: tokens });
    }
  });

  it('tarball via import: dist/index.js, same tokens', async () => {
    const out = JSON.parse(await run(process.execPath, ['cli.mjs', '--module'], { cwd: consumer })) as Workload & {
      resolved: string;
    };
    expect(out.resolved).toBe(`file://${join(consumer, 'node_modules/logit-sampler/dist/index.js')}`);
    expectSameAsNode(out, { module: true });
  });

  it('tarball via require: dist/index.cjs, same tokens', async () => {
    const out = JSON.parse(await run(process.execPath, ['cli.cjs'], { cwd: consumer })) as Workload & {
      resolved: string;
    };
    expect(out.resolved).toBe(join(consumer, 'node_modules/logit-sampler/dist/index.cjs'));
    expectSameAsNode(out, { module: false });
  });
});
