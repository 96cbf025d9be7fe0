// @ts-check
// The bench measures whatever dist/ and build/ hold. Two ways that can mislead: a build
// older than the sources (`node bench/run.mjs` without `npm run build`), and a rebuild in
// the middle of a run (another `npm run build` in the same checkout) mixing two builds in
// one report. The first is refused at start; for the second the .wasm files are
// fingerprinted at start and compared at the end.

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
/** The kernel builds, by backend, relative to the project root. */
export const WASM_FILES = { 'wasm-simd': 'build/logit-sampler.simd.wasm', wasm: 'build/logit-sampler.wasm' };
const WASM = Object.values(WASM_FILES);
const BUILT = ['dist/index.js', ...WASM];
const SOURCES = ['src', 'assembly'];

/** @returns {string} */
export function buildFingerprint() {
  const hash = createHash('sha256');
  for (const file of WASM) {
    const path = join(root, file);
    hash.update(existsSync(path) ? readFileSync(path) : 'missing');
  }
  return hash.digest('hex').slice(0, 12);
}

/** @param {string} dir @returns {number} newest mtime (ms) of the files under dir */
function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) t = Math.max(t, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return t;
}

/** Throws when a build output is missing or older than a source file. */
export function assertBuildFresh() {
  const source = Math.max(...SOURCES.map((d) => newest(join(root, d))));
  for (const file of BUILT) {
    const path = join(root, file);
    if (!existsSync(path))
      throw new Error(`${file} is missing: run \`npm run build\` (\`npm run bench\` builds first)`);
    if (statSync(path).mtimeMs < source)
      throw new Error(
        `${file} is older than src/ or assembly/: run \`npm run build\` (\`npm run bench\` builds first)`,
      );
  }
}
