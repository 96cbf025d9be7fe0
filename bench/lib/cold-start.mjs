// @ts-check
// Child process for one cold-start measurement. A fresh Node process is the only cold one:
// V8 shares compiled modules of identical bytes within a process, so a second compile there
// would be served from that cache. Prints one JSON line. Run by backend-stats.mjs as
//   node bench/lib/cold-start.mjs raw <file.wasm>   compile + instantiate the bytes
//   node bench/lib/cold-start.mjs api <backend> <configuration> <size>
//                                                   first createSampler(), first sample()

import { readFileSync } from 'node:fs';
import { firstVectors } from '../workloads.mjs';
import { CONFIGS } from './configs.mjs';
import { loadLibrary } from './library.mjs';

const [mode, what, configId, size] = process.argv.slice(2);
const now = () => performance.now();

if (mode === 'raw' && what) {
  const data = readFileSync(what); // file reading is not part of it
  const t0 = now();
  const module = await WebAssembly.compile(data);
  const t1 = now();
  new WebAssembly.Instance(module, {}); // the kernels import nothing
  const t2 = now();
  console.log(JSON.stringify({ compileMs: t1 - t0, instantiateMs: t2 - t1 }));
} else if (mode === 'api' && what) {
  const { createSampler } = await loadLibrary(); // module loading is not part of it
  const config = CONFIGS.find((c) => c.id === configId);
  if (!config) throw new Error(`no configuration ${configId}`);
  const logits = /** @type {Float32Array} */ (firstVectors(config.kind, Number(size), 1)[0]);
  const t0 = now();
  const s = await createSampler({ backend: /** @type {import('./contenders.mjs').Backend} */ (what), seed: 42 });
  const t1 = now();
  s.sample(logits, config.params);
  const t2 = now();
  if (s.backend !== what) throw new Error(`asked for ${what}, got ${s.backend}`);
  console.log(JSON.stringify({ createMs: t1 - t0, firstSampleMs: t2 - t1 }));
} else {
  throw new Error('usage: cold-start.mjs raw <file.wasm> | api <backend> <configuration> <size>');
}
