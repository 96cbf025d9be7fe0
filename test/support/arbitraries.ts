// fast-check arbitraries for the property tests: a vocabulary size, logits of a chosen kind
// (built from a seed, so that 70k floats cost one integer to shrink), and a random parameter
// set touching every control, in any stage order.
import fc from 'fast-check';
import { maskOf, randomBias, randomHistory } from './controls-data.js';
import { normal, rng } from './data.js';
import { ORDERS, type Params, type StageName } from './reference.js';

const F32_MAX = 3.4028234663852886e38;

export type LogitKind = 'normal' | 'uniform' | 'ties' | 'huge' | 'subnormal' | 'mixed';

export interface LogitSpec {
  kind: LogitKind;
  seed: number;
  /** Spread of 'normal' and 'uniform', tie levels of 'ties'. */
  scale: number;
  /** Share of −Infinity (at least one logit stays finite). */
  masked: number;
}

/** Sizes 1 … 70,000, most small; any residue mod 16 and mod 64 (64·q + r). */
export const size = fc
  .oneof(
    { weight: 6, arbitrary: fc.integer({ min: 1, max: 300 }) },
    { weight: 3, arbitrary: fc.tuple(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 63 })) },
    { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 80, max: 1093 }), fc.integer({ min: 0, max: 63 })) },
  )
  .map((v) => (typeof v === 'number' ? v : Math.max(1, 64 * v[0] + v[1])));

export const logitSpec: fc.Arbitrary<LogitSpec> = fc.record({
  kind: fc.constantFrom<LogitKind>('normal', 'normal', 'uniform', 'ties', 'huge', 'subnormal', 'mixed'),
  seed: fc.integer({ min: 0, max: 2 ** 31 - 1 }),
  scale: fc.constantFrom(0.1, 1, 3, 8, 30),
  masked: fc.constantFrom(0, 0, 0.1, 0.5, 0.99),
});

/** The logits a spec describes: float32, deterministic. */
export function buildLogits(n: number, spec: LogitSpec): Float32Array {
  const r = rng(spec.seed);
  const x = new Float32Array(n);
  const one = (kind: LogitKind): number => {
    switch (kind) {
      case 'normal':
        return spec.scale * normal(r);
      case 'uniform':
        return (2 * r() - 1) * spec.scale;
      case 'ties':
        return Math.floor(r() * Math.max(1, Math.round(spec.scale)));
      case 'huge': {
        // Near the float32 limits: differences overflow float32 (up to 6.8e38).
        const v = r();
        return v < 0.05 ? F32_MAX : v < 0.1 ? -F32_MAX : (2 * r() - 1) * 3e38;
      }
      case 'subnormal': {
        const v = r();
        return v < 0.05 ? 0 : v < 0.1 ? 2 ** -149 : (2 * r() - 1) * 2 ** -128;
      }
      case 'mixed':
        return one((['normal', 'uniform', 'ties', 'huge', 'subnormal'] as const)[Math.floor(r() * 5)]!);
    }
  };
  for (let i = 0; i < n; i++) x[i] = r() < spec.masked ? -Infinity : one(spec.kind);
  if (!x.some((v) => v > -Infinity)) x[Math.floor(r() * n)] = one(spec.kind === 'huge' ? 'huge' : 'normal');
  return x;
}

/** Probabilities for input: 'probs' from logits: exp(x − max) in float32 (so some underflow
 *  to 0 — masked — or to subnormals), times a scale. */
export function toProbs(x: Float32Array, scale: number): Float32Array {
  let m = -Infinity;
  for (const v of x) if (v > m) m = v;
  return x.map((v) => scale * Math.exp(v - m));
}

/** A random parameter set: each control on or off, the values in and at the edges of their
 *  ranges. Big arrays are described by seeds and built by buildParams(). */
export interface ParamSpec {
  temperature?: number;
  dynamic?: { min: number; max: number; exponent?: number };
  topK?: number;
  topP?: number;
  minP?: number;
  typicalP?: number;
  topNSigma?: number;
  allowed?: { fraction: number; seed: number };
  bias?: { form: 'map' | 'record' | 'typed'; count: number; lo: number; hi: number; bans: number; seed: number };
  penalties?: {
    length: number;
    seed: number;
    lastN?: number;
    repetition?: number;
    presence?: number;
    frequency?: number;
  };
  probs?: { scale: number };
  order?: 'hf' | 'llama.cpp' | StageName[];
}

/** `a` with probability p, else undefined (the option off). */
const maybe = <T>(a: fc.Arbitrary<T>, p = 0.3): fc.Arbitrary<T | undefined> =>
  fc.oneof(
    { weight: Math.round(100 * (1 - p)), arbitrary: fc.constant(undefined) },
    { weight: Math.round(100 * p), arbitrary: a },
  );

export const paramSpec: fc.Arbitrary<ParamSpec> = fc
  .record(
    {
      temperature: maybe(
        fc.oneof(fc.constantFrom(0, 1e-30, 1e30, 1e38, 1e40), fc.double({ min: 0.05, max: 5, noNaN: true })),
        0.6,
      ),
      dynamic: maybe(
        fc
          .record({
            // (fc.double leans to the ends of its range: tiny temperatures only from the constants.)
            min: fc.oneof(fc.constantFrom(0, 0.1, 1), fc.double({ min: 0.05, max: 2, noNaN: true })),
            span: fc.oneof(fc.constant(0), fc.double({ min: 0.05, max: 3, noNaN: true })),
            exponent: maybe(fc.oneof(fc.constantFrom(0, 1), fc.double({ min: 0.1, max: 3, noNaN: true })), 0.5),
          })
          .map(({ min, span, exponent }) => ({ min, max: min + span, exponent })),
        0.15,
      ),
      topK: maybe(fc.oneof(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 80_000 }))),
      topP: maybe(fc.oneof(fc.constantFrom(1e-9, 1), fc.double({ min: 0.01, max: 1, noNaN: true }))),
      minP: maybe(fc.oneof(fc.constantFrom(0, 1e-12, 1), fc.double({ min: 0, max: 0.5, noNaN: true }))),
      typicalP: maybe(fc.oneof(fc.constantFrom(1e-9, 1), fc.double({ min: 0.05, max: 1, noNaN: true }))),
      topNSigma: maybe(fc.oneof(fc.constantFrom(0, -1, 1e-3), fc.double({ min: 0.1, max: 4, noNaN: true })), 0.2),
      allowed: maybe(fc.record({ fraction: fc.constantFrom(0.001, 0.1, 0.5, 0.9, 1), seed: fc.nat() }), 0.25),
      bias: maybe(
        fc.record({
          form: fc.constantFrom<'map' | 'record' | 'typed'>('map', 'record', 'typed'),
          count: fc.integer({ min: 0, max: 64 }),
          lo: fc.constantFrom(-20, -3, 0),
          hi: fc.constantFrom(0.5, 3, 20),
          bans: fc.integer({ min: 0, max: 4 }),
          seed: fc.nat(),
        }),
        0.25,
      ),
      penalties: maybe(
        fc.record({
          length: fc.integer({ min: 0, max: 300 }),
          seed: fc.nat(),
          lastN: maybe(fc.integer({ min: 0, max: 300 }), 0.4),
          repetition: maybe(fc.double({ min: 0.5, max: 2, noNaN: true }), 0.6),
          presence: maybe(fc.double({ min: -2, max: 2, noNaN: true }), 0.6),
          frequency: maybe(fc.double({ min: -1, max: 1, noNaN: true }), 0.6),
        }),
        0.25,
      ),
      probs: maybe(fc.record({ scale: fc.constantFrom(1, 1000, 1e-20) }), 0.15),
      // Any order of the five stages (each named: a stage set but not named is an error).
      order: maybe<'hf' | 'llama.cpp' | StageName[]>(
        fc.oneof(
          fc.constantFrom<'hf' | 'llama.cpp'>('hf', 'llama.cpp'),
          fc.shuffledSubarray([...ORDERS.hf], { minLength: ORDERS.hf.length }),
        ),
        0.3,
      ),
    },
    { requiredKeys: [] },
  )
  .map((spec) => {
    // temperature and dynamicTemperature are exclusive.
    if (spec.dynamic !== undefined) delete spec.temperature;
    return spec;
  });

/** The parameters a spec describes, for a vocabulary of n. */
export function buildParams(spec: ParamSpec, n: number): Params {
  const p: Params = {};
  if (spec.temperature !== undefined) p.temperature = spec.temperature;
  if (spec.dynamic !== undefined) p.dynamicTemperature = spec.dynamic;
  if (spec.topK !== undefined) p.topK = spec.topK;
  if (spec.topP !== undefined) p.topP = spec.topP;
  if (spec.minP !== undefined) p.minP = spec.minP;
  if (spec.typicalP !== undefined) p.typicalP = spec.typicalP;
  if (spec.topNSigma !== undefined) p.topNSigma = spec.topNSigma;
  if (spec.allowed !== undefined) {
    const r = rng(spec.allowed.seed);
    p.allowed = maskOf(n, () => r() < spec.allowed!.fraction);
  }
  if (spec.bias !== undefined) {
    const { form, count, lo, hi, bans, seed } = spec.bias;
    const b = randomBias(n, count, lo, hi, seed);
    for (let k = 0; k < Math.min(bans, b.ids.length); k++) b.values[k] = -Infinity;
    p.logitBias =
      form === 'typed'
        ? b
        : form === 'map'
          ? new Map(Array.from(b.ids, (id, k) => [id, b.values[k]!]))
          : Object.fromEntries(Array.from(b.ids, (id, k) => [id, b.values[k]!]));
  }
  if (spec.penalties !== undefined) {
    const { length, seed, lastN, repetition, presence, frequency } = spec.penalties;
    p.history = randomHistory(n, length, seed);
    if (lastN !== undefined) p.penaltyLastN = lastN;
    // Float32 values: what the kernels use, so that the reference sees the same penalty.
    if (repetition !== undefined) p.repetitionPenalty = Math.fround(repetition);
    if (presence !== undefined) p.presencePenalty = Math.fround(presence);
    if (frequency !== undefined) p.frequencyPenalty = Math.fround(frequency);
  }
  if (spec.probs !== undefined) p.input = 'probs';
  if (spec.order !== undefined) p.order = spec.order;
  return p;
}
