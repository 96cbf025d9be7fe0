// The golden sequences (test/golden/sequences.json): every backend draws exactly the committed
// tokens. Parity tests compare the backends with each other; this catches a change that moves
// all of them together. If it fails after a deliberate change, see test/golden/make.mjs.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as lib from '../../src/index.js';
import { GOLDEN_CASES, goldenRuns, STEPS } from '../runtimes/fixture/golden.mjs';
import { BACKENDS } from '../support/backends.js';

interface Table {
  steps: number;
  cases: Record<string, { n: number; seed: string; tokens: number[] }>;
}

const table = JSON.parse(readFileSync(new URL('../golden/sequences.json', import.meta.url), 'utf8')) as Table;

describe('golden sequences', () => {
  test('the table covers exactly the cases of golden.mjs, a dozen of them', () => {
    expect(table.steps).toBe(STEPS);
    expect(Object.keys(table.cases)).toEqual(GOLDEN_CASES.map((c) => c.name));
    expect(GOLDEN_CASES.length).toBeGreaterThanOrEqual(12);
    for (const c of GOLDEN_CASES) {
      expect(table.cases[c.name]).toMatchObject({ n: c.n, seed: c.seed });
      expect(table.cases[c.name]!.tokens).toHaveLength(STEPS);
    }
  });

  test.each(BACKENDS)('%s draws the committed tokens', async (backend) => {
    const runs = await goldenRuns(lib, [backend]);
    for (const c of GOLDEN_CASES) expect(runs[c.name]?.[backend], c.name).toEqual(table.cases[c.name]!.tokens);
  });
});
