// The read floor: time of one SIMD pass that only reads the logits.
// Built from bench/floor/max.ts with the installed asc into a temporary
// directory (cwd there too, so asc does not pick up the project's asconfig.json).

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const source = fileURLToPath(new URL('../floor/max.ts', import.meta.url));

function compileFloor() {
  const dir = mkdtempSync(join(tmpdir(), 'logit-sampler-floor-'));
  try {
    const out = join(dir, 'floor.wasm');
    const asc = join(root, 'node_modules', '.bin', 'asc');
    execFileSync(
      asc,
      [source, '--enable', 'simd', '--runtime', 'stub', '--use', 'abort=', '--noAssert', '-O3', '-o', out],
      {
        cwd: dir,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The floor kernel: view(n) gives a Float32Array in its memory to write logits
 * into, run(n) reads them once and returns their max.
 */
export async function createFloor() {
  const { instance } = await WebAssembly.instantiate(compileFloor(), {});
  const { memory, base, max } = instance.exports;
  const ptr = base();
  let view = null;
  return {
    source: 'bench/floor/max.ts (f32x4, 4 accumulators)',
    view(n) {
      const need = ptr + n * 4 - memory.buffer.byteLength;
      if (need > 0) memory.grow(Math.ceil(need / 65536));
      if (!view || view.length !== n || view.buffer !== memory.buffer) view = new Float32Array(memory.buffer, ptr, n);
      return view;
    },
    run: (n) => max(ptr, n),
  };
}
