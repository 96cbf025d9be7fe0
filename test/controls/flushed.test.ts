// Tokens whose weight lies below 2^-53 of the top (stored as 0, "flushed") under thresholds that
// reach them: XTC's (a token it removes or keeps may be flushed) and min-p, ε and η below
// float32's least positive value. Each build keeps exactly the tokens the float64 reference
// keeps; the cases are in flushed.cases.ts (test/parity/ runs them bit for bit). adaptive-p after
// such a cut: the flushed tokens the cut keeps take part with p = 0 (README, Numerical notes),
// those it drops do not.
import { describe, expect, test } from 'vitest';
import { createAdaptiveP, createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';
import { keptSet } from '../support/compare.js';
import { bits, CHECKED, checkAgainstReference, controlSuite, firstDifference } from '../support/control-suite.js';
import { reference } from '../support/reference.js';
import { chiSquare, criticalZ } from '../support/stats.js';
import { adaptiveReference } from '../support/terminal-reference.js';
import { ADAPTIVE_CHAINS, type AdaptiveChain, CUTOFF_CASES, FLUSHED, XTC_CASES } from './flushed.cases.js';

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

/** a = 0.3: a flushed token's new logit is 0, the one of p = 0.30 (token 100) 5. */
const adaptive = () => createAdaptiveP({ target: 0.3 });
const adaptiveParams = (c: AdaptiveChain): SamplingParams => ({
  ...(c.chain as SamplingParams),
  adaptiveP: adaptive(),
});

/** adaptive-p's float64 distribution after the float64 reference of the chain. */
function adaptiveWant(c: AdaptiveChain): Float64Array {
  const before = reference(FLUSHED, c.chain);
  expect(before.ambiguous, `${c.name}: a boundary case`).toBe(false);
  return adaptiveReference(before.p, adaptive());
}

describe('adaptive-p after a cut that keeps flushed tokens', () => {
  test('each chain keeps some flushed tokens and drops others (XTC: keeps them all)', () => {
    const flushed = keptSet(FLUSHED.map((v) => (v < FLUSH_NATS ? 1 : 0)));
    for (const c of ADAPTIVE_CHAINS) {
      const kept = new Set(keptSet(reference(FLUSHED, c.chain).p));
      const some = flushed.filter((i) => kept.has(i)).length;
      expect(some, c.name).toBeGreaterThan(0);
      if (c.chain.minP === undefined && c.chain.xtc) expect(some, c.name).toBe(flushed.length);
      else expect(some, c.name).toBeLessThan(flushed.length);
    }
  });

  test.each(BACKENDS)('%s: probs() as float64', async (backend) => {
    const s = await createSampler({ backend, seed: 5 });
    for (const c of ADAPTIVE_CHAINS) {
      const want = adaptiveWant(c);
      const got = s.probs(FLUSHED, adaptiveParams(c));
      for (let i = 0; i < FLUSHED.length; i++) {
        if (want[i] === 0) expect(got[i], `${c.name}: token ${i} is outside the kept set`).toBe(0);
        // As test/controls/adaptive-p.test.ts: the new e is a float32 exponential.
        else expect(Math.abs(got[i]! - want[i]!) / want[i]!, `${c.name}: token ${i}`).toBeLessThan(2e-5);
      }
    }
  });

  test('the three builds agree bit for bit, and draw the same tokens', async () => {
    const all = await Promise.all(BACKENDS.map((backend) => createSampler({ backend, seed: 9 })));
    for (const c of ADAPTIVE_CHAINS) {
      const [p0, ...rest] = all.map((s) => bits(s.probs(FLUSHED, adaptiveParams(c))));
      for (const p of rest) expect(firstDifference(p, p0!), c.name).toBe(-1);
      // One state per build, moving draw after draw.
      const [t0, ...others] = all.map((s) => {
        const params = adaptiveParams(c);
        return Array.from({ length: 64 }, () => s.sample(FLUSHED, params));
      });
      for (const t of others) expect(t, c.name).toEqual(t0);
    }
  });

  // The flushed tokens min-p 1e-30 keeps hold most of the new mass.
  test(`${CHECKED}: draws follow the float64 distribution (min-p 1e-30)`, async () => {
    const c = ADAPTIVE_CHAINS[0]!;
    const want = adaptiveWant(c);
    const s = await createSampler({ backend: CHECKED, seed: 4242 });
    const counts = new Float64Array(FLUSHED.length);
    const draws = 20_000;
    for (let i = 0; i < draws; i++) counts[s.sample(FLUSHED, adaptiveParams(c))]!++;
    for (let i = 0; i < counts.length; i++) if (want[i] === 0) expect(counts[i], `token ${i}`).toBe(0);
    const fit = chiSquare(counts, want, draws);
    expect(fit.z, `chi2 ${fit.chi2.toFixed(1)} on ${fit.df} df`).toBeLessThan(criticalZ(1e-3));
  });
});
