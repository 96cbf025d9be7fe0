// The security note, checked on what ships (dist/, after `npm run build`): no eval, no code
// built from strings, no network access but the browser entry's fetch of its own .wasm, no
// module loaded but the .wasm files and, in the Node entry, the file system; no runtime
// dependencies.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';

const DIST = new URL('../../dist/', import.meta.url);
const BUNDLES = readdirSync(DIST).filter((f) => /\.(c|m)?js$/.test(f));
const source = (file: string) => readFileSync(new URL(file, DIST), 'utf8');

/** Every module specifier a bundle loads: static and dynamic imports, re-exports, require(). */
function specifiers(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s*(?:[\w*{}\s,$]+\s*from\s*)?['"]([^'"]+)['"]/g,
    /\bexport\s*[\w*{}\s,$]*\s*from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*([^)]*)\)/g,
    /\brequire\s*\(\s*([^)]*)\)/g,
  ];
  for (const re of patterns) for (const m of code.matchAll(re)) found.push(m[1]!.trim().replace(/^['"]|['"]$/g, ''));
  return found;
}

describe('what ships', () => {
  test('the bundles are all there', () => {
    for (const f of ['index.js', 'index.cjs', 'browser.js', 'workerd.js', 'react-native.js', 'transformers.js']) {
      expect(BUNDLES).toContain(f);
    }
  });

  test.each(BUNDLES)('%s: no eval, no new Function, no string timers, no WebAssembly from the network', (file) => {
    const code = source(file);
    expect(code).not.toMatch(/\beval\s*\(/);
    expect(code).not.toMatch(/\bnew\s+Function\b|\bFunction\s*\(/);
    expect(code).not.toMatch(/\bset(Timeout|Interval)\s*\(\s*['"`]/);
    expect(code).not.toMatch(/\binstantiateStreaming\b|\bXMLHttpRequest\b|\bWebSocket\b|\bimportScripts\b/);
  });

  test.each(BUNDLES)('%s: fetch() only in the browser loader, for its own .wasm', (file) => {
    const calls = source(file).match(/\bfetch\s*\(/g) ?? [];
    if (file === 'browser.js') {
      expect(calls).toHaveLength(1);
      // That call is the loader's, fetching a build's URL made from the bundle's own location.
      const code = source(file);
      const loader = code.indexOf('function fetchLoader(');
      const call = code.search(/\bfetch\s*\(/);
      expect(loader).toBeGreaterThan(-1);
      expect(call - loader).toBeGreaterThan(0);
      expect(call - loader).toBeLessThan(300);
      expect(code).toMatch(/new URL\("\.\.\/build\/logit-sampler\.simd\.wasm", import\.meta\.url\)/);
    } else expect(calls).toEqual([]);
  });

  test.each([
    ['index.js', ['fs/promises']],
    ['index.cjs', ['fs/promises']],
    ['browser.js', []],
    ['workerd.js', ['../build/logit-sampler.simd.wasm', '../build/logit-sampler.wasm']],
    ['react-native.js', []],
    ['transformers.js', []],
    ['transformers.cjs', []],
  ])('%s loads only %j', (file, allowed) => {
    // esbuild writes node:fs/promises as fs/promises for a Node target; either is the file system.
    const loaded = specifiers(source(file)).map((s) => s.replace(/^node:/, ''));
    expect(loaded.sort()).toEqual([...allowed].sort());
  });

  test('no bundle outside the entries (a shared chunk would escape the checks above)', () => {
    expect(BUNDLES.sort()).toEqual([
      'browser.js',
      'index.cjs',
      'index.js',
      'react-native.js',
      'transformers.cjs',
      'transformers.js',
      'workerd.js',
    ]);
  });

  test('react-native.js has no import.meta and no .wasm URL: Hermes parses it as it is', () => {
    const code = source('react-native.js');
    expect(code).not.toMatch(/import\.meta|\.wasm['"]|new URL\(/);
  });

  test('package.json: no runtime dependencies, no install scripts', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(pkg.dependencies ?? {}).toEqual({});
    expect(pkg.bundledDependencies ?? pkg.bundleDependencies ?? []).toEqual([]);
    expect(pkg.optionalDependencies ?? {}).toEqual({});
    // The only peer is the optional transformers.js, which the adapter never imports.
    expect(Object.keys((pkg.peerDependencies as object) ?? {})).toEqual(['@huggingface/transformers']);
    expect(
      (pkg.peerDependenciesMeta as Record<string, { optional: boolean }>)['@huggingface/transformers']?.optional,
    ).toBe(true);
    const scripts = (pkg.scripts ?? {}) as Record<string, string>;
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(scripts[hook]).toBeUndefined();
  });

  test('the specifier scan finds what it is meant to find', () => {
    // The checks above pass trivially if the scan is blind: show it on every form it reads.
    const code = `import a from 'x'; import {b} from "y"; import 'z'; export * from 'w'; await import('v'); require('u');`;
    expect(specifiers(code).sort()).toEqual(['u', 'v', 'w', 'x', 'y', 'z']);
  });
});
