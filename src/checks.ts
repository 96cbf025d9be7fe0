// The checks every option goes through, with the one message style of the library: the
// parameter, what is allowed, and the value received. A wrong type is a TypeError, a value out
// of range a RangeError.
import { describe } from './describe.js';

/** Largest magnitude of a finite float32: a finite number beyond it would become ±Infinity. */
export const F32_MAX = 3.4028234663852886e38;

function isNumber(name: string, v: unknown): number {
  if (typeof v !== 'number') throw new TypeError(`${name} must be a number, got ${describe(v)}`);
  return v;
}

/** A finite number in [lo, hi] (hi excluded unless hiIncluded); `allowed` describes the range. */
export function inRange(name: string, v: unknown, lo: number, hi: number, allowed: string, hiIncluded = true): number {
  const x = isNumber(name, v);
  if (!(x >= lo && (x < hi || (hiIncluded && x === hi)) && Number.isFinite(x))) {
    throw new RangeError(`${name} must be ${allowed}, got ${describe(v)}`);
  }
  return x;
}

/** A finite number ≥ 0 (and within float32 when f32). */
export function nonNegative(name: string, v: unknown, note = ''): number {
  return inRange(name, v, 0, Infinity, `a finite number ≥ 0${note}`, false);
}

/** A finite number that float32 can hold. */
export function finite(name: string, v: unknown): number {
  return inRange(name, v, -F32_MAX, F32_MAX, 'a finite number');
}

/** An integer in [lo, hi]; hi may be Infinity (then Infinity itself is accepted too). */
export function integer(name: string, v: unknown, lo: number, hi: number, allowed: string): number {
  const x = isNumber(name, v);
  if (!(x >= lo && x <= hi) || (x !== Infinity && !Number.isInteger(x))) {
    throw new RangeError(`${name} must be an integer ${allowed}, got ${describe(v)}`);
  }
  return x;
}

/** A probability in (0, 1], or [0, 1] when zero is allowed. */
export function probability(name: string, v: unknown, zero: boolean, range: string): number {
  const x = isNumber(name, v);
  if (!((zero ? x >= 0 : x > 0) && x <= 1)) throw new RangeError(`${name} must be in ${range}, got ${describe(v)}`);
  return x;
}
