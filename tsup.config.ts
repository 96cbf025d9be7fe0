// Three entries, one API, plus the transformers.js adapter (which imports none of them). The
// .wasm files stay in build/ (shipped as they are); every entry refers to them as '../build/…'
// from dist/, the same relative path as from src/.
import { rmSync } from 'node:fs';
import { defineConfig } from 'tsup';

const shared = {
  target: 'es2022',
  dts: true,
  sourcemap: false,
  // One self-contained file per entry: users load exactly one, and bundlers see the .wasm
  // references in it directly.
  splitting: false,
  treeshake: true,
} as const;

// tsup builds the two configs concurrently, so `clean` in either could delete the other's
// output: empty dist/ once, when the config is loaded, instead.
export default defineConfig(() => {
  rmSync('dist', { recursive: true, force: true });
  return [
    {
      ...shared,
      // Node, Deno and Bun: fs. CJS too, for require(); `shims` gives it an import.meta.url.
      entry: { index: 'src/index.ts' },
      format: ['esm', 'cjs'],
      platform: 'node',
      shims: true,
    },
    {
      ...shared,
      // Browsers and Workers: ESM only, no Node built-ins. The workerd entry's `.wasm` imports
      // must stay imports, for the Worker's bundler to turn into precompiled modules.
      entry: { browser: 'src/browser.ts', workerd: 'src/workerd.ts' },
      format: ['esm'],
      platform: 'neutral',
      external: [/\.wasm$/],
    },
    {
      ...shared,
      // logit-sampler/transformers: no imports at all (the user passes the sampler in), so one
      // neutral build serves Node, browsers and Workers, as ESM and CJS.
      entry: { transformers: 'src/transformers.ts' },
      format: ['esm', 'cjs'],
      platform: 'neutral',
    },
  ];
});
