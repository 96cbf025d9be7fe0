// Browsers (and any runtime with fetch): fetch the .wasm by URL and compile it while it
// downloads. compileStreaming insists on the MIME type application/wasm, which many static
// hosts get wrong, so any other type falls back to compiling the downloaded bytes.
import type { ModuleLoader } from '../create.js';

/** A loader fetching `simd`/`scalar` from the given URLs. */
export function fetchLoader(simd: URL, scalar: URL): ModuleLoader {
  return async (wantSimd) => {
    const url = wantSimd ? simd : scalar;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`fetching ${url.href} failed: HTTP ${res.status}`);
    const type = res.headers.get('content-type') ?? '';
    if (typeof WebAssembly.compileStreaming === 'function' && /^application\/wasm\b/i.test(type)) {
      return WebAssembly.compileStreaming(res);
    }
    return WebAssembly.compile(await res.arrayBuffer());
  };
}
