// Run as `node --expose-gc dispose-child.mjs <backend>`: makes 16 samplers of 2^20 tokens and
// keeps every one of them referenced throughout. Prints, as JSON, the memory before them, with
// them in use, and after dispose() — memory that comes back while the samplers are still
// referenced came back because dispose() let go of it.
import * as lib from '../../dist/index.js';

const backend = process.argv[2];
const n = 2 ** 20;

/** RSS and ArrayBuffer memory in MB, after collecting garbage: backing stores are freed after
 *  the collection that finds them dead, partly on other threads, so a few rounds with pauses. */
async function memory() {
  for (let i = 0; i < 4; i++) {
    globalThis.gc();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return { rss: m.rss / 2 ** 20, arrayBuffers: m.arrayBuffers / 2 ** 20 };
}

const x = new Float32Array(n).map((_, i) => (i % 7) - 3);
const before = await memory();
const samplers = [];
for (let i = 0; i < 16; i++) {
  const s = await lib.createSampler({ backend, seed: i });
  s.sample(x, { topP: 0.9 });
  samplers.push(s);
}
const inUse = await memory();
const held = samplers.reduce((sum, s) => sum + s.memoryBytes, 0) / 2 ** 20;
for (const s of samplers) s.dispose();
const after = await memory();
const left = samplers.reduce((sum, s) => sum + s.memoryBytes, 0);
console.log(JSON.stringify({ backend: samplers[0].backend, before, inUse, after, held, left }));
