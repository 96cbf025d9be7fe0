// Runs shell commands side by side, as many at a time as there are cores, each one's output
// printed whole when it ends (so that two never interleave); exits non-zero when any failed.
// `npm test` runs the two asc builds and the four type checks this way: each is one process
// that keeps one core busy, and one after another they took 10 s and 16 s of a 2-core machine.
//
//   node scripts/parallel.mjs 'tsc -p tsconfig.json' 'tsc -p bench/tsconfig.json'

import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const commands = process.argv.slice(2);
const slots = Math.max(1, Math.min(availableParallelism(), commands.length));
let next = 0;
let failed = 0;

/** @param {string} command @returns {Promise<void>} */
function run(command) {
  return new Promise((resolve) => {
    const child = spawn(command, { shell: true, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {Buffer[]} */
    const out = [];
    child.stdout.on('data', (b) => out.push(b));
    child.stderr.on('data', (b) => out.push(b));
    child.on('close', (code, signal) => {
      const text = Buffer.concat(out).toString();
      if (code !== 0) {
        failed++;
        process.stderr.write(`✗ ${command} (${signal ?? `exit ${code}`})\n${text}`);
      } else process.stdout.write(`✓ ${command}\n${text}`);
      resolve();
    });
  });
}

async function worker() {
  while (next < commands.length) await run(/** @type {string} */ (commands[next++]));
}

await Promise.all(Array.from({ length: slots }, worker));
process.exit(failed ? 1 : 0);
