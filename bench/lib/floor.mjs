// @ts-check
// The floors the configurations are measured against, from one WASM module built from
// bench/floor/ with the installed asc (into a temporary directory, cwd there too, so asc
// does not pick up the project's asconfig.json):
// - read floor: one f32x4 pass that only reads the logits (their max);
// - checked read floor (bench/floors.mjs only): that pass also adding the logits up, the
//   least a call that must reject a NaN anywhere does (greedy);
// - exp floor: that pass, then one computing the library's own polynomial exp2 of
//   (x - max)·c for every token and summing (bench/floor/exp.ts imports it from assembly/);
// - entropy floor (bench/floors.mjs only): the exp floor's passes, the second also summing
//   e·z, as a call that reports the entropy must.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const source = fileURLToPath(new URL('../floor/index.ts', import.meta.url));

export const READ_FLOOR = 'read floor';
export const CHECKED_READ_FLOOR = 'checked read';
export const EXP_FLOOR = 'exp floor';
export const ENTROPY_FLOOR = 'entropy floor';

/** The exp floor's c = log2(e)/T at T = 1, as float32 like the library's; its cost does
 *  not depend on T (every lane runs the polynomial). */
const C_T1 = Math.fround(Math.LOG2E);

function compileFloors() {
  const dir = mkdtempSync(join(tmpdir(), 'logit-sampler-floor-'));
  try {
    const out = join(dir, 'floor.wasm');
    const asc = join(root, 'node_modules', '.bin', 'asc');
    execFileSync(
      asc,
      [source, '--enable', 'simd', '--runtime', 'stub', '--use', 'abort=', '--noAssert', '-O3', '-o', out],
      { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
    );
    return readFileSync(out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A floor kernel: view(n) is a Float32Array in its memory to write logits into; run(n)
 * makes its pass over them and returns a number that depends on every one of them.
 * @typedef {object} Floor
 * @property {string} name
 * @property {string} source what it runs
 * @property {(n: number) => Float32Array} view
 * @property {(n: number) => number} run
 */

/**
 * @typedef {object} FloorExports
 * @property {WebAssembly.Memory} memory
 * @property {() => number} base
 * @property {(ptr: number, n: number) => number} max
 * @property {(ptr: number, n: number) => number} maxChecked
 * @property {(ptr: number, n: number, c: number) => number} expSum
 * @property {(ptr: number, n: number, c: number) => number} expEntropy
 */

/** @returns {Promise<{read: Floor, checked: Floor, exp: Floor, entropy: Floor}>} */
export async function createFloors() {
  const { instance } = await WebAssembly.instantiate(compileFloors(), {});
  const { memory, base, max, maxChecked, expSum, expEntropy } = /** @type {FloorExports} */ (
    /** @type {unknown} */ (instance.exports)
  );
  const ptr = base();
  /** @type {Float32Array | null} */
  let cached = null;
  /** @param {number} n */
  const view = (n) => {
    const need = ptr + n * 4 - memory.buffer.byteLength;
    if (need > 0) memory.grow(Math.ceil(need / 65536));
    if (!cached || cached.length !== n || cached.buffer !== memory.buffer)
      cached = new Float32Array(memory.buffer, ptr, n);
    return cached;
  };
  return {
    read: {
      name: READ_FLOOR,
      source: 'bench/floor/max.ts: f32x4 max, 4 accumulators',
      view,
      run: (n) => max(ptr, n),
    },
    checked: {
      name: CHECKED_READ_FLOOR,
      source:
        'bench/floor/max.ts: the read floor’s max, also summing the logits lane-wise (the cheapest exact NaN watch)',
      view,
      run: (n) => maxChecked(ptr, n),
    },
    exp: {
      name: EXP_FLOOR,
      source:
        'bench/floor/exp.ts: the read floor’s max, then Σ exp2v((x − max)·c) with exp2v imported from assembly/exp.ts, 4 accumulators, nothing stored',
      view,
      run: (n) => expSum(ptr, n, C_T1),
    },
    entropy: {
      name: ENTROPY_FLOOR,
      source: 'bench/floor/exp.ts: the exp floor, its second pass also summing e·max(z, cutoff) in 4 more accumulators',
      view,
      run: (n) => expEntropy(ptr, n, C_T1),
    },
  };
}
