// The two checks every control gets on its own cases, on the wasm-simd build: probs() against
// the float64 reference, and a chi-square fit of seeded draws against the float64 distribution.
// The other builds are bit-identical to it by construction, and test/parity/controls.test.ts
// proves it on these very cases: it runs every case list a test/controls/*.cases.ts exports.
import { describe, expect, test } from 'vitest';
import { createSampler, type Sampler, type SamplingParams } from '../../src/index.js';
import { chosenTemperature, compareProbs, dynamicTemperatureError } from './compare.js';
import { makeLogits } from './data.js';
import { type Params, reference } from './reference.js';
import { chiSquare, criticalZ, type Fit } from './stats.js';
import { probTolerance } from './tolerance.js';

export interface ControlCase {
  name: string;
  x: Float32Array | Float64Array | number[];
  params: Params;
  /** Chi-square draws for this case (default DRAWS); 0 = reference (and parity) only, for a
   *  case whose draws another case already covers at a lower cost. */
  draws?: number;
}

/** The build the reference and chi-square checks run on; test/parity/ proves the others equal. */
export const CHECKED = 'wasm-simd';

/** Draws per case for the chi-square fits. */
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

/** Draws `draws` tokens of case `c` from a sampler seeded `seed` and fits them to the float64
 *  distribution; a token outside the kept set fails at once. */
export async function drawFit(c: ControlCase, draws: number, seed = 4242): Promise<Fit> {
  const s = await createSampler({ backend: CHECKED, seed });
  const want = reference(c.x, c.params, 0).p;
  const counts = new Float64Array(c.x.length);
  const params = asParams(c.params);
  for (let i = 0; i < draws; i++) counts[s.sample(c.x, params)]!++;
  for (let i = 0; i < counts.length; i++) {
    if (want[i] === 0) expect(counts[i], `${c.name}: token ${i} is outside the kept set`).toBe(0);
  }
  return chiSquare(counts, want, draws);
}

/** Registers the reference and chi-square tests for a control's cases. */
export function controlSuite(control: string, cases: ControlCase[], draws = DRAWS): void {
  const fitted = cases.filter((c) => (c.draws ?? draws) > 0);
  const zCrit = criticalZ(FALSE_ALARM / Math.max(1, fitted.length));

  test(`${control}: probs() matches the float64 reference (${cases.length} cases)`, async () => {
    const s = await createSampler({ backend: CHECKED, seed: 1 });
    const ambiguous = cases.filter((c) => checkAgainstReference(s, c).ambiguous).map((c) => c.name);
    // The cases are chosen away from boundaries: skipping one would check nothing.
    expect(ambiguous).toEqual([]);
  });

  describe(`${control}: draws follow the float64 distribution`, () => {
    for (const c of fitted) {
      const n = c.draws ?? draws;
      test(`${c.name} (${n} draws)`, async () => {
        const fit = await drawFit(c, n);
        expect(fit.z, `chi2 ${fit.chi2.toFixed(1)} on ${fit.df} df`).toBeLessThan(zCrit);
      });
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

/**
 * Registers a control's error cases: a call with `{ [key]: value }` throws `type` with `message`
 * from sample(), probs() and sampleDetailed(), and consumes no random value. `alias`, another
 * API's spelling of the key, must be an unknown option whose message points to it.
 */
export function rejectsBadValues(
  key: string,
  cases: [unknown, new (...args: never[]) => Error, RegExp][],
  alias?: string,
): void {
  const x = makeLogits(100, 'flat', 1);
  describe(`rejects a bad ${key}, naming it`, () => {
    test.each(cases)('%o', async (value, type, message) => {
      const s = await createSampler({ backend: CHECKED, seed: 1 });
      const params = { [key]: value } as SamplingParams;
      expect(() => s.sample(x, params)).toThrow(type);
      expect(() => s.probs(x, params)).toThrow(message);
      expect(() => s.sampleDetailed(x, params)).toThrow(message);
      // Nothing consumed: the next draw is a fresh sampler's first.
      expect(s.sample(x)).toBe((await createSampler({ backend: CHECKED, seed: 1 })).sample(x));
    });

    if (alias !== undefined) {
      test(`${alias} is an unknown option that points to '${key}'`, async () => {
        const s = await createSampler({ backend: CHECKED, seed: 1 });
        expect(() => s.sample(x, { [alias]: 1 } as SamplingParams)).toThrow(
          new RegExp(`unknown sampling option '${alias}' \\(did you mean '${key}'\\?\\)`),
        );
      });
    }
  });
}
