// The property of properties.test.ts at every residue mod 64 (so mod 16 too), each at a random
// multiple of 64 up to 70,000 tokens, with a random case: the SIMD blocks' tails in every
// position, against float64 on wasm-simd (the other builds: test/parity/large.test.ts).
import { test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { CHECKED } from '../support/control-suite.js';
import { checkCase, materialize, RESIDUE_CASES } from '../support/property-case.js';

test.each(RESIDUE_CASES.map((c) => [c.n, c] as const))('n = %i (every residue mod 64)', async (_, c) => {
  const s = await createSampler({ backend: CHECKED, seed: 1 });
  const { x, params } = materialize(c);
  checkCase(s, x, params, 1e-6);
});
