// The library's own read pass, for comparison with the floor: the max(n)
// export of the wasm-simd kernel build, which every sample() runs first (it
// doubles as the NaN/+Infinity check). Instantiated straight from
// build/logit-sampler.simd.wasm through its numbers-only exports, the same
// way src/backend/wasm.ts does (no imports; configure → grow → logitsPtr).

import { existsSync, readFileSync } from 'node:fs';

const file = new URL('../../build/logit-sampler.simd.wasm', import.meta.url);
const PAGE = 65536;

/** { source, view(n), run(n) } like the floor, or null when the build is missing. */
export async function createKernelMax() {
  if (!existsSync(file)) return null;
  const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
  const k = instance.exports;
  if (typeof k.max !== 'function' || typeof k.configure !== 'function') return null;
  let capacity = 0;
  let view = null;
  return {
    source: 'max(n) export of build/logit-sampler.simd.wasm',
    view(n) {
      if (n > capacity) {
        const need = k.configure(n) - k.memory.buffer.byteLength;
        if (need > 0) k.memory.grow(Math.ceil(need / PAGE));
        capacity = n;
      }
      if (!view || view.length !== n || view.buffer !== k.memory.buffer)
        view = new Float32Array(k.memory.buffer, k.logitsPtr(), n);
      return view;
    },
    run: (n) => k.max(n),
  };
}
