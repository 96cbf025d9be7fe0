// Packaging checks on the real tarball: what ships, publint, and are-the-types-wrong.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { bin, REPO } from './lib/paths.js';
import { run } from './lib/proc.js';

const { tarball, files } = inject('runtimes');

describe('package', () => {
  it('ships the entries, their types and both .wasm files, nothing else', () => {
    expect(files.filter((f) => !/^dist\/[\w-]+\.d\.c?ts$/.test(f)).sort()).toEqual([
      'LICENSE',
      'README.md',
      'build/logit-sampler.simd.wasm',
      'build/logit-sampler.wasm',
      'dist/browser.js',
      'dist/index.cjs',
      'dist/index.js',
      'dist/react-native.js',
      'dist/transformers.cjs',
      'dist/transformers.js',
      'dist/workerd.js',
      'package.json',
      // For resolvers without `exports` (TypeScript's node10, old bundlers).
      'transformers/package.json',
    ]);
    for (const d of [
      'dist/index.d.ts',
      'dist/index.d.cts',
      'dist/browser.d.ts',
      'dist/workerd.d.ts',
      'dist/react-native.d.ts',
      'dist/transformers.d.ts',
      'dist/transformers.d.cts',
    ])
      expect(files).toContain(d);
  });

  it('depends on nothing at run time; transformers.js is an optional peer, imported by no entry', async () => {
    const pkg = JSON.parse(await readFile(join(REPO, 'package.json'), 'utf8'));
    expect(pkg.dependencies).toBeUndefined();
    expect(pkg.peerDependenciesMeta?.['@huggingface/transformers']).toEqual({ optional: true });
    for (const entry of ['index.js', 'index.cjs', 'browser.js', 'workerd.js', 'react-native.js', 'transformers.js']) {
      const code = await readFile(join(REPO, 'dist', entry), 'utf8');
      expect(code, entry).not.toMatch(/@huggingface|onnxruntime/);
    }
  });

  it('publint --strict is clean', async () => {
    const out = await run(process.execPath, [bin('publint'), '--strict', REPO], { cwd: REPO });
    expect(out).toContain('All good');
  });

  it('are-the-types-wrong is clean for every resolution mode', async () => {
    // The two .wasm subpaths are assets for bundlers and Workers, not JS modules with types.
    await run(
      process.execPath,
      [bin('attw'), tarball, '--exclude-entrypoints', './logit-sampler.simd.wasm', './logit-sampler.wasm'],
      {
        cwd: REPO,
      },
    );
  });
});
