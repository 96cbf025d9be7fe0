// Per-backend facts next to the speed tables: WASM memory at a 256k
// vocabulary, cold start (fresh process: read + compile + instantiate), and
// the size of each .wasm raw and gzipped.

import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { CONFIGS } from './configs.mjs';
import { logitsSet } from '../workloads.mjs';

const WASM_FILES = {
  'wasm-simd': new URL('../../build/logit-sampler.simd.wasm', import.meta.url),
  wasm: new URL('../../build/logit-sampler.wasm', import.meta.url),
};
const BIG = 256000;
const root = fileURLToPath(new URL('../../', import.meta.url));

/** Memory in use after sampling every configuration at BIG, both ways in. */
export function memoryAt256k(sampler) {
  const vector = logitsSet('peaked', BIG)[0];
  for (const { params } of CONFIGS) {
    sampler.sample(vector, params);
    const view = sampler.logitsView(BIG);
    view.set(vector);
    sampler.sample(view, params);
  }
  return sampler.memoryBytes;
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function child(args) {
  const script = fileURLToPath(new URL('./cold-start.mjs', import.meta.url));
  const out = execFileSync(process.execPath, [script, ...args], { encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop());
}

/**
 * Cold start, medians over `runs` fresh processes (ms): compile and
 * instantiate of the raw .wasm bytes, the first createSampler() (file read,
 * compile, instantiate, set-up) and the first sample() after it.
 */
export function coldStart(backend, runs) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const api = child(['api', backend]);
    const raw = WASM_FILES[backend] ? child(['raw', fileURLToPath(WASM_FILES[backend])]) : {};
    samples.push({ ...api, ...raw });
  }
  const med = (key) => (samples[0][key] === undefined ? null : median(samples.map((s) => s[key])));
  return {
    runs,
    compileMs: med('compileMs'),
    instantiateMs: med('instantiateMs'),
    createMs: med('createMs'),
    firstSampleMs: med('firstSampleMs'),
  };
}

/** Raw and gzipped (level 9) size of the backend's .wasm, or null for 'js'. */
export function wasmSize(backend) {
  const url = WASM_FILES[backend];
  if (!url || !existsSync(url)) return null;
  const bytes = readFileSync(url);
  return {
    file: relative(root, fileURLToPath(url)),
    bytes: bytes.length,
    gzipBytes: gzipSync(bytes, { level: 9 }).length,
  };
}
