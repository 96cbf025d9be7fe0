// Writes test/golden/sequences.json: the first tokens of each case in
// test/runtimes/fixture/golden.mjs, from the built package (dist/), after checking that the
// three backends agree.
//
//   npm run build && node test/golden/make.mjs && npx biome check --write test/golden
//
// Run it only for a deliberate change of the sampled sequences (a new kernel order of
// operations, a new random stream, a new case): such a change is a version change of the
// package — record it in CHANGELOG.md under the new version, and commit the new table with it.
import { writeFileSync } from 'node:fs';
import * as lib from '../../dist/index.js';
import { GOLDEN_CASES, goldenRuns, STEPS } from '../runtimes/fixture/golden.mjs';

const BACKENDS = ['wasm-simd', 'wasm', 'js'];
const runs = await goldenRuns(lib, BACKENDS);
const cases = {};
for (const c of GOLDEN_CASES) {
  const [first, ...others] = BACKENDS.map((b) => runs[c.name][b]);
  for (const [i, tokens] of others.entries()) {
    if (JSON.stringify(tokens) !== JSON.stringify(first)) {
      throw new Error(`${c.name}: ${BACKENDS[i + 1]} gives ${tokens}, ${BACKENDS[0]} ${first}`);
    }
  }
  cases[c.name] = { n: c.n, seed: c.seed, tokens: first };
}
const table = {
  $comment:
    'Golden sequences: seed → first tokens for each case of test/runtimes/fixture/golden.mjs, on every backend ' +
    'and runtime. Changing this table is a deliberate, documented version change: regenerate it with ' +
    '`npm run build && node test/golden/make.mjs` and record the change in CHANGELOG.md.',
  steps: STEPS,
  cases,
};
// One line per token list: a changed token shows as a one-line diff.
const text = JSON.stringify(table, null, 2).replace(
  /\[\s*([-\d,\s]+?)\s*\]/g,
  (_, list) => `[${list.split(/,\s*/).join(', ')}]`,
);
writeFileSync(new URL('sequences.json', import.meta.url), `${text}\n`);
console.log(`wrote ${Object.keys(cases).length} cases × ${STEPS} tokens`);
