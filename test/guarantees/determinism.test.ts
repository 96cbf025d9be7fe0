// Determinism (README, Guarantees): the same seed, logits, parameters and version give the same
// tokens on every build and runtime. The golden sequences (test/golden/sequences.json): every
// build draws exactly the committed tokens — parity tests compare the builds with each other,
// this catches a change that moves all of them together (if it fails after a deliberate
// change, see test/golden/make.mjs; it is a version change). And the random stream: seeded,
// replayable, one value per sample(). (No host Math call decides a token:
// determinism-host-math.test.ts.)
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as lib from '../../src/index.js';
import { createSampler, createSamplerSync } from '../../src/index.js';
import { Xoshiro128 } from '../../src/rng.js';
import { GOLDEN_CASES, goldenRuns, STEPS } from '../runtimes/fixture/golden.mjs';
import { BACKENDS } from '../support/backends.js';
import { CHECKED } from '../support/control-suite.js';
import { makeLogits } from '../support/data.js';
import { chiSquare, criticalZ } from '../support/stats.js';

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

const x = makeLogits(2000, 'flat', 9).map((v) => v * 4);

function run(s: { sample: (x: Float32Array, p?: object) => number }, k = 50): number[] {
  return Array.from({ length: k }, () => s.sample(x));
}

/** xoshiro128** written independently, with BigInt, straight from its definition. */
function referenceStream(seed: bigint, count: number): number[] {
  const M64 = (1n << 64n) - 1n,
    M32 = 0xffffffffn;
  let sm = seed & M64;
  const splitmix = () => {
    sm = (sm + 0x9e3779b97f4a7c15n) & M64;
    let z = sm;
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & M64;
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & M64;
    return z ^ (z >> 31n);
  };
  const a = splitmix(),
    b = splitmix();
  const s = [a & M32, a >> 32n, b & M32, b >> 32n];
  const rotl = (v: bigint, k: bigint) => ((v << k) | (v >> (32n - k))) & M32;
  const out: number[] = [];
  for (let i = 0; i < count; i++) {
    out.push(Number((rotl((s[1]! * 5n) & M32, 7n) * 9n) & M32));
    const t = (s[1]! << 9n) & M32;
    s[2]! ^= s[0]!;
    s[3]! ^= s[1]!;
    s[1]! ^= s[2]!;
    s[0]! ^= s[3]!;
    s[2]! ^= t;
    s[3] = rotl(s[3]!, 11n);
  }
  return out;
}

describe('seeded stream', () => {
  test('the generator matches an independent BigInt xoshiro128** + SplitMix64', () => {
    for (const seed of [0n, 1n, 42n, 0xdeadbeefcafef00dn, (1n << 64n) - 1n]) {
      const g = new Xoshiro128(seed);
      const got = Array.from({ length: 1000 }, () => g.nextU32());
      expect(got).toEqual(referenceStream(seed, 1000));
    }
  });

  test('unit draws are uniform on [0, 1) (chi-square over 64 cells)', () => {
    const g = new Xoshiro128(7n);
    const cells = new Array(64).fill(0);
    for (let i = 0; i < 64_000; i++) {
      const u = g.nextUnit();
      expect(u >= 0 && u < 1).toBe(true);
      cells[Math.floor(u * 64)]++;
    }
    const fit = chiSquare(cells, new Array(64).fill(1 / 64), 64_000);
    expect(fit.df).toBe(63);
    // A single fit: a correct generator fails it by chance once in 10^5 runs.
    expect(fit.z, `chi2 ${fit.chi2.toFixed(1)} on 63 df`).toBeLessThan(criticalZ(1e-5));
  });

  test('same seed replays, reseed restarts, number and bigint seeds agree', async () => {
    const a = await createSampler({ backend: CHECKED, seed: 42 });
    const b = await createSampler({ backend: CHECKED, seed: 42n });
    const first = run(a);
    expect(run(b)).toEqual(first);
    a.reseed(42);
    expect(run(a)).toEqual(first);
    a.reseed(43n);
    expect(run(a)).not.toEqual(first);
    // Seeds are taken modulo 2^64: -1 and 2^64 - 1 are the same seed.
    const c = await createSampler({ backend: CHECKED, seed: -1 });
    const d = await createSampler({ backend: CHECKED, seed: (1n << 64n) - 1n });
    expect(run(c)).toEqual(run(d));
  });

  // README, Numerical notes: each draw uses a 53-bit uniform u. Weights that are exact powers of
  // two (integer logits at T = log2 e, at most one per lane of a block, so that every float32
  // partial sum is exact) put a cumulative mass S of the tokens before the maximum between
  // u·total and u32·total, u32 being u cut to 32 bits: the 53-bit draw passes S and takes the
  // maximum; a 32-bit one would stop before it. And the other way round, just past u.
  test('each draw uses a 53-bit uniform: a cut between u cut to 32 bits and u decides the token', async () => {
    let seed = 1;
    let u = 0;
    let u32 = 0;
    for (; ; seed++) {
      u = new Xoshiro128(BigInt(seed)).nextUnit();
      u32 = Math.floor(u * 2 ** 32) / 2 ** 32;
      if (u < 0.5 && u - u32 > 2 ** -40) break;
    }
    for (const r of [(u32 + u) / 2, u + (u - u32) / 2]) {
      // Tokens of weights 2^-a (the binary digits of S = r / (1 − r)), then the maximum, 1.
      const S = Math.floor((r / (1 - r)) * 2 ** 52) / 2 ** 52;
      const exponents: number[] = [];
      for (let a = 1; a <= 52; a++) if (Math.floor(S * 2 ** a) % 2 === 1) exponents.push(-a);
      exponents.push(0);
      const at = exponents.map((_, k) => 64 * Math.floor(k / 4) + (k % 4));
      const x = new Float32Array(64 * Math.ceil(exponents.length / 4)).fill(-Infinity);
      for (const [k, i] of at.entries()) x[i] = exponents[k]!;
      /** The token a draw with uniform v takes: the first whose cumulative mass passes v·total. */
      const token = (v: number) => {
        let acc = 0;
        for (const [k, i] of at.entries()) {
          acc += 2 ** exponents[k]!;
          if (acc > v * (1 + S)) return i;
        }
        return -1;
      };
      expect(token(u32), 'a 32-bit uniform would draw another token').not.toBe(token(u));
      const s = await createSampler({ backend: CHECKED, seed });
      expect(s.sample(x, { temperature: Math.LOG2E })).toBe(token(u));
    }
  });

  test('every sample() consumes exactly one value, greedy and truncated included', async () => {
    const a = await createSampler({ backend: CHECKED, seed: 5 });
    const b = await createSampler({ backend: CHECKED, seed: 5 });
    a.sample(x, { temperature: 0 });
    a.sample(x, { topK: 1 });
    a.sample(x, { topP: 1e-9 });
    b.sample(x);
    b.sample(x);
    b.sample(x);
    expect(run(a)).toEqual(run(b));
  });

  test('probs() consumes nothing; a rejected call consumes nothing', async () => {
    const a = await createSampler({ backend: CHECKED, seed: 8 });
    const b = await createSampler({ backend: CHECKED, seed: 8 });
    a.probs(x, { topP: 0.5 });
    expect(() => a.sample(x, { topP: 2 })).toThrow(RangeError);
    expect(() => a.sample(new Float32Array([NaN]))).toThrow(RangeError);
    expect(run(a)).toEqual(run(b));
  });

  test('without a seed, samplers draw from distinct crypto-seeded streams', () => {
    const runs = Array.from({ length: 4 }, () => run(createSamplerSync(), 30).join(','));
    expect(new Set(runs).size).toBe(4);
  });
});
