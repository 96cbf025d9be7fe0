// @ts-check
// Per-backend facts next to the speed tables: memory per vocabulary size, cold start (fresh
// process: read + compile + instantiate), and the size of each .wasm raw and gzipped.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { firstVectors } from '../workloads.mjs';
import { WASM_FILES } from './build-guard.mjs';
import { libraryCall, supports } from './configs.mjs';

/** @typedef {import('./configs.mjs').Config} Config */
/** @typedef {import('./configs.mjs').Sampler} Sampler */
/** @typedef {import('./library.mjs').Library} Library */
/** @typedef {import('./contenders.mjs').Backend} Backend */

const root = fileURLToPath(new URL('../../', import.meta.url));
/** @param {Backend} backend @returns {string | null} absolute path of its .wasm, null for js */
const wasmFile = (backend) => (backend === 'js' ? null : join(root, WASM_FILES[backend]));

/** What the cold-start child samples first: the first sample() runs on code V8 has only
 *  baseline-compiled so far. */
export const FIRST_SAMPLE = { config: 'lm-chain', size: 128256 };

/**
 * sampler.memoryBytes of a fresh sampler per size, after it sampled every configuration at
 * that size both ways in (copy-in, then zero-copy): what an application serving one model
 * holds.
 * @param {Library} library
 * @param {Backend} backend
 * @param {readonly number[]} sizes
 * @param {readonly Config[]} configs
 * @returns {Promise<{size: number, bytes: number | null, error?: string}[]>}
 */
export async function memoryBySize(library, backend, sizes, configs) {
  const out = [];
  for (const size of sizes) {
    try {
      const s = await library.createSampler({ backend, seed: 42 });
      for (const config of configs) {
        if (!supports(config, s)) continue;
        const call = libraryCall(config);
        const vector = /** @type {Float32Array} */ (firstVectors(config.kind, size, 1)[0]);
        call(s, vector);
        const view = s.logitsView(size);
        view.set(vector);
        call(s, view);
      }
      out.push({ size, bytes: s.memoryBytes });
    } catch (err) {
      out.push({ size, bytes: null, error: String(/** @type {Error} */ (err).message ?? err) });
    }
  }
  return out;
}

/** @param {number[]} xs */
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2
    ? /** @type {number} */ (s[m])
    : /** @type {number} */ (s[m - 1] + /** @type {number} */ (s[m])) / 2;
}

/** @param {string[]} args @returns {Record<string, number>} */
function child(args) {
  const script = fileURLToPath(new URL('./cold-start.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}');
}

/**
 * Cold start, medians over `runs` fresh processes (ms): compile and instantiate of the raw
 * .wasm bytes, the first createSampler() (file read, compile, instantiate, set-up) and the
 * first sample() after it.
 * @param {Backend} backend
 * @param {number} runs
 */
export function coldStart(backend, runs) {
  /** @type {Record<string, number>[]} */
  const samples = [];
  const file = wasmFile(backend);
  for (let i = 0; i < runs; i++) {
    const api = child(['api', backend, FIRST_SAMPLE.config, String(FIRST_SAMPLE.size)]);
    const raw = file ? child(['raw', file]) : {};
    samples.push({ ...api, ...raw });
  }
  /** @param {string} key */
  const med = (key) =>
    samples[0]?.[key] === undefined ? null : median(samples.map((s) => /** @type {number} */ (s[key])));
  return {
    runs,
    compileMs: med('compileMs'),
    instantiateMs: med('instantiateMs'),
    createMs: med('createMs'),
    firstSampleMs: med('firstSampleMs'),
  };
}

/**
 * Raw and gzipped (level 9) size of the backend's .wasm, or null for 'js'.
 * @param {Backend} backend
 */
export function wasmSize(backend) {
  const file = wasmFile(backend);
  if (!file || !existsSync(file)) return null;
  const data = readFileSync(file);
  return {
    file: relative(root, file),
    bytes: data.length,
    gzipBytes: gzipSync(data, { level: 9 }).length,
  };
}
