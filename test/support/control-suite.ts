// The three checks every control gets, on its own cases: probs() against the float64
// reference on every backend, chi-square of seeded draws on every backend, and bit-identical
// probs(), tokens and sampleDetailed() across the backends.
import { describe, expect, test } from 'vitest';
import { createSampler, type Sampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from './backends.js';
import { chosenTemperature, compareProbs, dynamicTemperatureError } from './compare.js';
import { bugsMet, inputOf } from './known-bugs.js';
import { type Params, reference } from './reference.js';
import { chiSquare, criticalZ } from './stats.js';
import { probTolerance } from './tolerance.js';

export interface ControlCase {
  name: string;
  x: Float32Array | Float64Array | number[];
  params: Params;
  /** Chi-square draws for this case (default DRAWS); 0 = reference and parity only, for a
   *  case whose draws another case already covers at a lower cost. */
  draws?: number;
}

/** Draws per backend and case for the chi-square fits. */
export const DRAWS = 20_000;

/** A correct sampler fails one of a file's fits with probability ≤ 1e-3 (Bonferroni). */
const FALSE_ALARM = 1e-3;

const asParams = (p: Params) => p as SamplingParams;

/** probs() within the float64 reference's tolerance; the kept set equal unless the reference
 *  calls the case ambiguous. Dynamic temperature: the temperature chosen within its bound
 *  first, then the probabilities within the tolerance that temperature's error allows. */
export function checkAgainstReference(s: Sampler, c: ControlCase): { ambiguous: boolean; worst: number } {
  let temperatureError = 0;
  if (c.params.dynamicTemperature) {
    const bound = dynamicTemperatureError(c.x, c.params);
    const want = reference(c.x, c.params).temperature;
    const got = chosenTemperature(s, c.x, c.params);
    temperatureError = want === 0 ? 0 : Math.abs(got - want) / want;
    expect(temperatureError, `${c.name}: temperature ${got}, float64 ${want}`).toBeLessThanOrEqual(bound + 1e-12);
  }
  const ref = reference(c.x, c.params, { temperatureError });
  const got = s.probs(c.x, asParams(c.params));
  if (ref.ambiguous) return { ambiguous: true, worst: 0 };
  const worst = compareProbs(got, ref, `${s.backend} ${c.name}:`);
  expect(worst, `${s.backend} ${c.name}: worst relative error`).toBeLessThan(probTolerance(ref, temperatureError));
  return { ambiguous: false, worst };
}

/** Registers the reference, chi-square and parity tests for a control's cases. */
export function controlSuite(control: string, cases: ControlCase[], draws = DRAWS): void {
  const zCrit = criticalZ(FALSE_ALARM / (BACKENDS.length * cases.length));

  // Temporary: a test meeting a known bug (support/known-bugs.ts) runs as test.fails.
  const met = (backend: string, c: ControlCase, raw = false) =>
    bugsMet(backend, c.params, { raw, input: inputOf(c.x) }).length > 0;
  const anyMet = (raw = false) => cases.some((c) => BACKENDS.some((b) => met(b, c, raw)));

  describe(`${control}: probs() matches the float64 reference`, () => {
    for (const backend of BACKENDS) {
      (cases.some((c) => met(backend, c)) ? test.fails : test)(backend, async () => {
        const s = await createSampler({ backend, seed: 1 });
        let ambiguous = 0;
        for (const c of cases) if (checkAgainstReference(s, c).ambiguous) ambiguous++;
        // The cases are chosen away from boundaries: skipping one would check nothing.
        expect(ambiguous).toBe(0);
      });
    }
  });

  describe(`${control}: draws follow the float64 distribution (${draws} per case)`, () => {
    for (const backend of BACKENDS) {
      for (const c of cases.filter((c) => c.draws !== 0)) {
        (met(backend, c) ? test.fails : test)(`${backend}: ${c.name}`, async () => {
          const s = await createSampler({ backend, seed: 4242 });
          const want = reference(c.x, c.params, 0).p;
          const counts = new Float64Array(c.x.length);
          const params = asParams(c.params);
          const n = c.draws ?? draws;
          for (let i = 0; i < n; i++) counts[s.sample(c.x, params)]!++;
          for (let i = 0; i < counts.length; i++) {
            if (want[i] === 0) expect(counts[i], `token ${i} is outside the kept set`).toBe(0);
          }
          const fit = chiSquare(counts, want, n);
          expect(fit.z, `chi2 ${fit.chi2.toFixed(1)} on ${fit.df} df`).toBeLessThan(zCrit);
        });
      }
    }
  });

  (anyMet() ? test.fails : test)(
    `${control}: bit-identical probs(), tokens and processed logprobs on ${BACKENDS.join(', ')}`,
    async () => {
      const all = await Promise.all(BACKENDS.map((backend) => createSampler({ backend, seed: 77 })));
      for (const c of cases) {
        const params = asParams(c.params);
        const [p0, ...rest] = all.map((s) => bits(s.probs(c.x, params)));
        for (const [b, p] of rest.entries()) {
          expect(firstDifference(p, p0!), `${BACKENDS[b + 1]} probs, ${c.name}`).toBe(-1);
        }
        const [t0, ...others] = all.map((s) => Array.from({ length: 64 }, () => s.sample(c.x, params)));
        for (const [b, t] of others.entries()) expect(t, `${BACKENDS[b + 1]} tokens, ${c.name}`).toEqual(t0);
        const [d0, ...ds] = all.map((s) => s.sampleDetailed(c.x, params, { topLogprobs: 20 }));
        for (const [b, d] of ds.entries()) expect(d, `${BACKENDS[b + 1]} sampleDetailed, ${c.name}`).toEqual(d0);
      }
    },
  );

  // Raw logprobs on their own: a known WASM bug may affect only them.
  (anyMet(true) ? test.fails : test)(`${control}: bit-identical raw logprobs on ${BACKENDS.join(', ')}`, async () => {
    const all = await Promise.all(BACKENDS.map((backend) => createSampler({ backend, seed: 78 })));
    for (const c of cases) {
      const params = asParams(c.params);
      const [d0, ...ds] = all.map((s) => s.sampleDetailed(c.x, params, { topLogprobs: 20, logprobs: 'raw' }));
      for (const [b, d] of ds.entries()) expect(d, `${BACKENDS[b + 1]} raw sampleDetailed, ${c.name}`).toEqual(d0);
    }
  });
}

export function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer, a.byteOffset, a.length);
}

export function firstDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}
