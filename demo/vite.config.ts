// Builds the page into demo/dist/: one static folder (HTML, JS, CSS, the sampler's two .wasm
// files, onnxruntime-web's .wasm and the tiny model) that any static host can serve.
//
//   npm run build && npx vite build --config demo/vite.config.ts   (npm run demo does both, then serves it)
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const DEMO = fileURLToPath(new URL('.', import.meta.url));
const REPO = join(DEMO, '..');

/**
 * The file 'logit-sampler' stands for: the browser entry of this checkout's build, or of the
 * package installed in the folder DEMO_PACKAGE names (the test points it at the packed
 * tarball's install, so the page is built from exactly what npm would publish). Its
 * `new URL('../build/….wasm', import.meta.url)` literals make Vite emit both .wasm files.
 */
function browserEntry(): string {
  const root = process.env.DEMO_PACKAGE ?? REPO;
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const entry = join(root, pkg.exports['.'].browser.default);
  if (!existsSync(entry)) throw new Error(`${entry} does not exist: run \`npm run build\` first`);
  return entry;
}

export default defineConfig({
  root: DEMO,
  // Relative URLs: the folder works from any path of any static host.
  base: './',
  resolve: {
    alias: [
      { find: /^logit-sampler$/, replacement: browserEntry() },
      // The benchmark's naive peer, under a name whose types src/bench-naive.d.ts declares.
      { find: /^bench-naive$/, replacement: join(REPO, 'bench/peers/naive.mjs') },
    ],
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    // onnxruntime-web's .wasm (≈ 14 MB) is one file by nature; the JS stays small.
    chunkSizeWarningLimit: 800,
  },
  server: { fs: { allow: [REPO, process.env.DEMO_PACKAGE ?? REPO] } },
});
