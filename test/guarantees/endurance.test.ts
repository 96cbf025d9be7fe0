// Endurance: 10^5 samples at Llama 3's vocabulary (128,256) through one sampler, every token
// checked, in a process of its own (support/endurance-child.mjs) where the heap can be measured
// after a full collection: flat memory then means the heap, external memory and the sampler's
// memory stay where they were. A leak of 3 bytes a call would add 300 KB to the heap, past
// what the collector leaves (under 40 KB here); per-call allocation itself is measured by
// memory.test.ts.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test } from 'vitest';

const CALLS = 100_000;
const CHECKPOINTS = 10;
const CHILD = fileURLToPath(new URL('../support/endurance-child.mjs', import.meta.url));

interface Row {
  calls: number;
  heap: number;
  external: number;
  rss: number;
  wasm: number;
}

test(`${CALLS.toLocaleString('en')} samples at 128,256 tokens: right tokens, flat memory`, () => {
  if (!existsSync(new URL('../../dist/index.js', import.meta.url))) throw new Error('dist/ is missing: npm run build');
  const out = JSON.parse(
    execFileSync(process.execPath, ['--expose-gc', CHILD, String(CALLS), String(CHECKPOINTS)], { encoding: 'utf8' }),
  ) as { backend: string; wrong: number; firstWrong: string; rows: Row[] };
  const mb = (b: number) => Number((b / 2 ** 20).toFixed(2));
  console.info(
    `endurance, ${out.backend} (MB):\n${out.rows.map((r) => JSON.stringify({ calls: r.calls, heap: mb(r.heap), external: mb(r.external), rss: mb(r.rss), wasm: mb(r.wasm) })).join('\n')}`,
  );

  expect(out.backend).toBe('wasm-simd');
  expect(out.firstWrong).toBe('');
  expect(out.wrong).toBe(0);
  expect(out.rows).toHaveLength(CHECKPOINTS + 1);
  // The sampler's memory: reserved once, never grown.
  expect(new Set(out.rows.map((r) => r.wasm)).size).toBe(1);
  // After the first checkpoint (everything reserved, code warm): the heap after a full
  // collection may move by what the collector leaves behind, not climb. A leak climbs steadily:
  // 3 bytes a call put the last three checkpoints ~210 KB above the first three (medians, so
  // that one checkpoint the collector left untidy — 282 KB once, on a loaded machine, where
  // the rest stayed within 40 KB — cannot fail the run alone).
  const settled = out.rows.slice(1);
  const spread = (f: (r: Row) => number) => Math.max(...settled.map(f)) - Math.min(...settled.map(f));
  const median3 = (rows: Row[]) => rows.map((r) => r.heap).sort((a, b) => a - b)[1]!;
  expect(median3(settled.slice(-3)) - median3(settled.slice(0, 3))).toBeLessThan(128 * 1024);
  expect(spread((r) => r.heap)).toBeLessThan(1024 * 1024);
  expect(spread((r) => r.external)).toBeLessThan(1024 * 1024);
  expect(spread((r) => r.rss)).toBeLessThan(16 * 2 ** 20);
}, 120_000);
