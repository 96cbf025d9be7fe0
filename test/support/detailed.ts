// Checking one sampleDetailed() result against the float64 reference: the token's
// log-probability, the top log-probabilities (which tokens, in which order, what values) and
// the entropy, each within a tolerance derived in tolerance.ts.
import type { Sampler } from '../../src/index.js';
import { FLUSH } from './compare.js';
import { logprobs, type Params, reference } from './reference.js';
import { entropyTolerance, logprobTolerance } from './tolerance.js';

const ULP = 2 ** -24;

/** What sampleDetailed() returns (the type is not exported by the package). */
export type Detailed = ReturnType<Sampler['sampleDetailed']>;

/** Throws, naming what differs, unless `d` is the reference's within tolerance. `d` came from
 *  sampleDetailed(x, params, { topLogprobs: topN, logprobs: mode }). */
export function checkDetailed(
  d: Detailed,
  x: ArrayLike<number>,
  params: Params,
  mode: 'processed' | 'raw',
  topN: number,
) {
  const n = x.length;
  // Dynamic temperature: judge the rest at the temperature the sampler chose, whose own error
  // the dynamic-temperature tests bound.
  const temperatureError = params.dynamicTemperature
    ? Math.abs(d.temperature - reference(x, params).temperature) / reference(x, params).temperature
    : 0;
  const ref = reference(x, params, { temperatureError });
  const fail = (what: string) => {
    throw new Error(`${mode} ${JSON.stringify(summary(params))}, topLogprobs ${topN}: ${what}`);
  };
  if (!(ref.p[d.token]! > 0)) fail(`token ${d.token} has reference probability ${ref.p[d.token]}`);

  // Entropy (when asked for): of the distribution drawn from, whatever the mode.
  const T = ref.temperature;
  const spread = T === 0 ? 0 : (4 * ref.logitError) / T + 4 * 53 * Math.LN2 * temperatureError;
  const hTol = entropyTolerance(ref.entropy, n) + spread * (1 + ref.entropy);
  if (d.entropy !== undefined && !(Math.abs(d.entropy - ref.entropy) <= hTol))
    fail(`entropy ${d.entropy}, float64 ${ref.entropy} (±${hTol})`);

  const lp = logprobs(ref, x, params, mode);
  const basis = mode === 'raw' ? rawBasis(x, params) : { logitError: ref.logitError, temperature: T || 1 };
  const tol = (v: number) =>
    T === 0 && mode === 'processed' ? 0 : logprobTolerance(v, n, basis) + 2 * 53 * Math.LN2 * temperatureError;
  if (!(Math.abs(d.logprob - lp[d.token]!) <= tol(lp[d.token]!))) {
    fail(`logprob of ${d.token}: ${d.logprob}, float64 ${lp[d.token]}`);
  }

  // Top logprobs: the listed tokens' values, their order, and that no token left out is
  // clearly more likely than one listed.
  const list = d.topLogprobs;
  const live = Array.from(lp.keys()).filter((i) => lp[i]! > -Infinity);
  const sure = mode === 'raw' ? live : live.filter((i) => ref.w[i]! > 4 * FLUSH || (T === 0 && ref.p[i]! > 0));
  if (list.length > Math.min(topN, live.length) || list.length < Math.min(topN, sure.length)) {
    fail(`${list.length} top logprobs for ${topN} asked, ${sure.length}–${live.length} available`);
  }
  const listed = new Set<number>();
  for (const [r, e] of list.entries()) {
    if (listed.has(e.token)) fail(`token ${e.token} listed twice`);
    listed.add(e.token);
    if (!(lp[e.token]! > -Infinity)) fail(`token ${e.token} listed, reference probability 0`);
    if (!(Math.abs(e.logprob - lp[e.token]!) <= tol(lp[e.token]!))) {
      fail(`top logprob of ${e.token}: ${e.logprob}, float64 ${lp[e.token]}`);
    }
    const prev = list[r - 1];
    // Equal printed logprobs may still be different probabilities (z differs below what the
    // float64 subtraction of ln(mass) keeps): then the index order does not apply.
    const tieOrder = prev && prev.logprob === e.logprob && prev.token > e.token && !(lp[prev.token]! > lp[e.token]!);
    if (prev && (prev.logprob < e.logprob || tieOrder)) {
      fail(`order: ${JSON.stringify(prev)} before ${JSON.stringify(e)}`);
    }
    if (d.token === e.token && e.logprob !== d.logprob)
      fail(`token ${e.token}: ${e.logprob} listed, ${d.logprob} returned`);
  }
  if (list.length === topN && topN > 0) {
    const least = Math.min(...list.map((e) => lp[e.token]!));
    for (const i of sure) {
      if (!listed.has(i) && lp[i]! > least + 2 * tol(least)) fail(`token ${i} (${lp[i]}) left out, ${least} listed`);
    }
  }
}

/** How far float32 may put the raw logits: exact for float32 logits; ln's rounding for
 *  probabilities. */
function rawBasis(x: ArrayLike<number>, params: Params): { logitError: number; temperature: number } {
  if (params.input !== 'probs') return { logitError: 0, temperature: 1 };
  let worst = 0;
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]!);
  for (let i = 0; i < x.length; i++) {
    if (x[i]! > m * FLUSH) worst = Math.max(worst, 4 * ULP * (Math.abs(Math.log(x[i]!)) + 1));
  }
  return { logitError: worst, temperature: 1 };
}

/** The parameters without their big arrays, for messages. */
function summary(params: Params): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(params).map(([k, v]) => [
      k,
      ArrayBuffer.isView(v) || Array.isArray(v) || v instanceof Map ? `[${k}]` : v,
    ]),
  );
}
