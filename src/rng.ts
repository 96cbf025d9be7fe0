/**
 * The seeded random stream: xoshiro128** (Blackman & Vigna), 32-bit words only, so it is
 * exact and fast in plain JS. The state is expanded from a 64-bit seed with SplitMix64, the
 * expansion its authors recommend. Every backend draws from this same stream.
 */

import { describe } from './describe.js';

const MASK64 = (1n << 64n) - 1n;

/** Accepted seeds: an integer number or a bigint; both are taken modulo 2^64. */
export type Seed = number | bigint;

export function seedToBigInt(seed: unknown): bigint {
  if (typeof seed === 'bigint') return BigInt.asUintN(64, seed);
  if (typeof seed !== 'number')
    throw new TypeError(`seed must be an integer number or a bigint, got ${describe(seed)}`);
  if (!Number.isInteger(seed)) throw new RangeError(`seed must be an integer (taken mod 2^64), got ${describe(seed)}`);
  return BigInt.asUintN(64, BigInt(seed));
}

/** A fresh 64-bit seed from the platform's cryptographic generator. */
export function randomSeed(): bigint {
  const words = new Uint32Array(2);
  if (typeof globalThis.crypto?.getRandomValues !== 'function') {
    throw new TypeError('this runtime has no crypto.getRandomValues for a random seed: pass opts.seed');
  }
  globalThis.crypto.getRandomValues(words);
  return (BigInt(words[0]!) << 32n) | BigInt(words[1]!);
}

export class Xoshiro128 {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  constructor(seed: bigint) {
    this.reseed(seed);
  }

  reseed(seed: bigint): void {
    let x = seed & MASK64;
    const next = (): bigint => {
      // SplitMix64
      x = (x + 0x9e3779b97f4a7c15n) & MASK64;
      let z = x;
      z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64;
      z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64;
      return z ^ (z >> 31n);
    };
    const a = next();
    const b = next();
    this.s0 = Number(a & 0xffffffffn) | 0;
    this.s1 = Number(a >> 32n) | 0;
    this.s2 = Number(b & 0xffffffffn) | 0;
    this.s3 = Number(b >> 32n) | 0;
    // The all-zero state is the one fixed point of xoshiro; SplitMix64 is a bijection of
    // distinct inputs, so two zero outputs in a row cannot happen, but stay safe.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  private m0 = 0;
  private m1 = 0;
  private m2 = 0;
  private m3 = 0;

  /** Remembers the state, so that a call that fails can give its draw back. */
  mark(): void {
    this.m0 = this.s0;
    this.m1 = this.s1;
    this.m2 = this.s2;
    this.m3 = this.s3;
  }

  /** Returns to the state of the last mark(). */
  rewind(): void {
    this.s0 = this.m0;
    this.s1 = this.m1;
    this.s2 = this.m2;
    this.s3 = this.m3;
  }

  /** Next 32-bit output, as an unsigned integer. */
  nextU32(): number {
    const s1 = this.s1;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /**
   * One uniform value in [0, 1) on the full 2^-53 grid, from two 32-bit outputs. 53 bits,
   * not 24, because a 256k vocabulary has many tokens with p ≈ 1e-6: a 2^-24 grid would
   * quantise their chances by several percent.
   */
  nextUnit(): number {
    const hi = this.nextU32() >>> 5; // 27 bits
    const lo = this.nextU32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) * 2 ** -53;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
