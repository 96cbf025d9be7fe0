// Tokens whose weight lies below 2^-53 of the top (stored as 0, "flushed") under thresholds that
// reach them: XTC's (a token it removes or keeps may be flushed) and min-p, ε and η below
// float32's least positive value. Each build keeps exactly the tokens the float64 reference
// keeps; the cases are in flushed.cases.ts (test/parity/ runs them bit for bit).
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { checkAgainstReference, controlSuite } from '../support/control-suite.js';
import { reference } from '../support/reference.js';
import { CUTOFF_CASES, FLUSHED, XTC_CASES } from './flushed.cases.js';

const CASES = [...XTC_CASES, ...CUTOFF_CASES];

controlSuite('flushed tokens', CASES, 5000);

/** ln 2^-53: a token further below the top than this is flushed at T = 1. */
const FLUSH_NATS = -53 * Math.LN2;

describe('flushed tokens', () => {
  test('each case keeps some flushed tokens and drops others (but where XTC may not apply)', () => {
    const flushed = keptSet(FLUSHED.map((v) => (v < FLUSH_NATS ? 1 : 0)));
    expect(flushed.length).toBeGreaterThan(250);
    for (const c of CASES) {
      const kept = new Set(keptSet(reference(c.x, c.params).p));
      const some = flushed.filter((i) => kept.has(i)).length;
      expect(some, c.name).toBeGreaterThan(0);
      // minKeep 250 stops XTC; at chance 0.5 it is the mixture with keeping them all.
      if (c.params.minKeep === 250 || c.params.xtc?.probability === 0.5) expect(kept.size, c.name).toBe(300);
      else expect(some, c.name).toBeLessThan(flushed.length);
    }
  });
});

describe.each(BACKENDS)('flushed tokens (%s)', (backend) => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s: probs() as float64, draws in its kept set', async (_, c) => {
    const s = await createSampler({ backend, seed: 5 });
    expect(checkAgainstReference(s, c).ambiguous).toBe(false);
    const kept = new Set(keptSet(reference(c.x, c.params).p));
    for (let i = 0; i < 100; i++) {
      const t = s.sample(c.x, c.params as SamplingParams);
      expect(kept.has(t), `token ${t}`).toBe(true);
    }
  });
});
