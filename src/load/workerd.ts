// Cloudflare Workers, Vercel Edge and the like refuse to compile WebAssembly from bytes at run
// time; their bundlers turn `import m from './x.wasm'` into a module compiled at deploy time.
// This loader only hands those precompiled modules out.
import type { ModuleLoader } from '../create.js';

/** A loader returning modules that were imported precompiled. */
export function importedLoader(simd: WebAssembly.Module, scalar: WebAssembly.Module): ModuleLoader {
  return async (wantSimd) => (wantSimd ? simd : scalar);
}
