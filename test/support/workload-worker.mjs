// A worker thread that runs the workload with the built package (dist/): given a backend and
// a seed — or a precompiled kernel module — it posts back the tokens it drew.
import { parentPort } from 'node:worker_threads';
import * as lib from '../../dist/index.js';
import { runWorkload } from './workload.mjs';

parentPort.on('message', async ({ backend, seed, module }) => {
  try {
    const s = module ? lib.createSamplerSync({ module, seed: 0 }) : await lib.createSampler({ backend, seed: 0 });
    parentPort.postMessage({ backend: s.backend, tokens: runWorkload(s, seed) });
  } catch (e) {
    parentPort.postMessage({ error: String(e?.stack ?? e) });
  }
});
