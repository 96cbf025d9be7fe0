// Property: the three builds are one algorithm — on random cases (every control and edit, any
// stage order, huge, subnormal, tied and masked logits, sizes 1 … 70k) probs() gives the same
// bits, sample() and sampleDetailed() the same tokens and numbers, errors the same messages;
// and no call changes the caller's array, a logitsView() holding the logits, or the params'
// arrays (support/parity-case.ts). Each case on samplers of its own: every case checked, whatever another case
// left behind. (The same cases, and 180 more, through one set of samplers:
// properties-shared.test.ts; 120 here, for npm test's time budget.)
import fc from 'fast-check';
import { test } from 'vitest';
import { samplers } from '../support/backends.js';
import { checkParity } from '../support/parity-case.js';
import { anyCase } from '../support/property-case.js';

test('bit-identical on every build; inputs untouched (fresh samplers per case)', async () => {
  await fc.assert(
    fc.asyncProperty(anyCase, async (c) => checkParity(await samplers(1), c)),
    { seed: 0x5eed_0003, numRuns: 120 },
  );
});
