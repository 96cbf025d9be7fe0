// Node, Deno and Bun: read the .wasm next to the package with fs and compile it.
import { readFile } from 'node:fs/promises';
import type { ModuleLoader } from '../create.js';

/** A loader reading `simd`/`scalar` from the given file URLs. */
export function nodeLoader(simd: URL, scalar: URL): ModuleLoader {
  return async (wantSimd) => WebAssembly.compile(await readFile(wantSimd ? simd : scalar));
}
