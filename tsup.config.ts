// Three entries, one API, plus the transformers.js adapter (which imports none of them). The
// .wasm files stay in build/ (shipped as they are); every entry refers to them as '../build/…'
// from dist/, the same relative path as from src/.
import { rmSync } from 'node:fs';
import { defineConfig, type Options } from 'tsup';

const shared = {
  target: 'es2022',
  // Types marked @internal (the Backend interface, Sampler's constructor) stay out of the
  // published .d.ts: users cannot reach them, so they are not part of the API.
  dts: { compilerOptions: { stripInternal: true } },
  sourcemap: false,
  // One self-contained file per entry: users load exactly one, and bundlers see the .wasm
  // references in it directly.
  splitting: false,
  treeshake: true,
} satisfies Options;

// tsup builds the two configs concurrently, so `clean` in either could delete the other's
// output: empty dist/ once, when the config is loaded, instead.
export default defineConfig((): Options[] => {
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
      // Browsers, Workers and React Native: ESM only, no Node built-ins. The workerd entry's
      // `.wasm` imports must stay imports, for the Worker's bundler to turn into precompiled
      // modules.
      entry: { browser: 'src/browser.ts', workerd: 'src/workerd.ts', 'react-native': 'src/react-native.ts' },
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
