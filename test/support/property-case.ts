// One random case of the property tests, and the check that probs() and sample() on it agree
// with the float64 reference (or fail the way the reference says they must).
import fc from 'fast-check';
import { expect } from 'vitest';
import type { Sampler, SamplingParams } from '../../src/index.js';
import {
  buildLogits,
  buildParams,
  type LogitSpec,
  logitSpec,
  type ParamSpec,
  paramSpec,
  size,
  toProbs,
} from './arbitraries.js';
import { compareProbs, dynamicTemperatureError } from './compare.js';
import { type Params, reference } from './reference.js';
import { probTolerance } from './tolerance.js';

export interface Case {
  n: number;
  logits: LogitSpec;
  params: ParamSpec;
}

export const anyCase: fc.Arbitrary<Case> = fc.record({ n: size, logits: logitSpec, params: paramSpec });

/** The arrays a case describes. */
export function materialize(c: Case): { x: Float32Array; params: Params } {
  const x = buildLogits(c.n, c.logits);
  const params = buildParams(c.params, c.n);
  return { x: c.params.probs ? toProbs(x, c.params.probs.scale) : x, params };
}

/** What the reference says a call must do: a distribution, or one of the two errors. */
export function expectation(x: Float32Array, params: Params): 'masked' | 'overflow' | 'ok' {
  try {
    reference(x, params);
    return 'ok';
  } catch (e) {
    const m = (e as Error).message;
    if (m.includes('every token is masked')) return 'masked';
    if (m.includes('float32 range')) return 'overflow';
    throw e;
  }
}

export interface Verdict {
  /** The reference called a boundary ambiguous: values and kept set were not compared. */
  ambiguous: boolean;
  worst: number;
}

/**
 * probs() sums to 1 within 1e-5, matches the reference within the tolerance with the same
 * kept set unless a boundary sits within `slack`, and sample() draws a token probs() gives
 * a nonzero probability. Dynamic temperature: its temperature within its bound first.
 */
export function checkCase(s: Sampler, x: Float32Array, params: Params, slack: number): Verdict {
  const sp = params as SamplingParams;
  const want = expectation(x, params);
  if (want !== 'ok') {
    const message = want === 'masked' ? /every token is masked/ : /float32 range/;
    expect(() => s.probs(x, sp)).toThrow(message);
    expect(() => s.sample(x, sp)).toThrow(message);
    return { ambiguous: false, worst: 0 };
  }
  const got = s.probs(x, sp);
  let sum = 0;
  for (const v of got) sum += v;
  expect(Math.abs(sum - 1), 'probs() sums to 1').toBeLessThanOrEqual(1e-5);
  const token = s.sample(x, sp);
  expect(got[token], `sample() drew ${token}`).toBeGreaterThan(0);

  let temperatureError = 0;
  if (params.dynamicTemperature) {
    const T = s.sampleDetailed(x, sp).temperature;
    const Tref = reference(x, params).temperature;
    if (T === 0 || Tref === 0) {
      // Greedy on one side only: the entropy is 0 within rounding; nothing to compare.
      if (T !== Tref) return { ambiguous: true, worst: 0 };
    } else {
      temperatureError = Math.abs(T - Tref) / Tref;
      expect(temperatureError, `temperature ${T}, float64 ${Tref}`).toBeLessThanOrEqual(
        dynamicTemperatureError(x, params) + 1e-12,
      );
    }
  }
  const ref = reference(x, params, { slack, temperatureError });
  if (ref.ambiguous) return { ambiguous: true, worst: 0 };
  expect(ref.p[token], `sample() drew ${token}`).toBeGreaterThan(0);
  const worst = compareProbs(got, ref);
  expect(worst, 'worst relative error').toBeLessThan(probTolerance(ref, temperatureError));
  return { ambiguous: false, worst };
}

/** Every residue mod 64 (so mod 16 too), each at a random multiple of 64 up to 70,000 tokens,
 *  with a random case: the SIMD blocks' tails in every position. */
export const RESIDUE_CASES: Case[] = fc
  .sample(fc.tuple(fc.integer({ min: 0, max: 1093 }), anyCase), { seed: 0x5eed_0002, numRuns: 64 })
  .map(([q, c], r) => ({ ...c, n: 64 * q + r || 64 }));
