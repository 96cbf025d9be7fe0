import { expect } from 'vitest';

/** Expects `f` to throw an error of `type` whose message matches `message`; returns it. */
export function thrown(f: () => unknown, type: new (...a: never[]) => Error, message: RegExp): Error {
  let error: unknown;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(type);
  expect((error as Error).message).toMatch(message);
  return error as Error;
}
