// Bad input gets a TypeError/RangeError naming the parameter and the value; the sampler
// stays usable and the caller's array is untouched.
import { describe, expect, test } from 'vitest';
import { createSampler, createSamplerSync } from '../../src/index.js';
import { BACKENDS } from '../support/backends.js';

const good = new Float32Array([1, 2, 3, -Infinity, 0.5]);

describe.each(BACKENDS)('%s rejects bad input', (backend) => {
  const make = () => createSampler({ backend, seed: 1 });

  test.each([
    [null, TypeError, /logits must be a Float32Array/],
    [undefined, TypeError, /logits must be a Float32Array, Float64Array or number\[\], got undefined$/],
    [() => 1, TypeError, /logits must be .*, got a function$/],
    ['1,2,3', TypeError, /got "1,2,3"/],
    [new Int32Array(3), TypeError, /got an Int32Array of length 3/],
    [{ length: 3 }, TypeError, /logits must be/],
    [new Float32Array(0), RangeError, /logits is empty/],
    [[], RangeError, /logits is empty/],
    [new Float32Array([1, NaN, 2]), RangeError, /logits\[1\] is NaN/],
    [new Float64Array([0, 1, Infinity]), RangeError, /logits\[2\] is Infinity/],
    [[0, 1e39], RangeError, /logits\[1\] is 1e\+39, outside the float32 range/],
    [[0, '1'], TypeError, /logits\[1\] must be a number, got "1"/],
    [
      new Float32Array([-Infinity, -Infinity]),
      RangeError,
      /every token is masked \(-Infinity.*none can be drawn \(length 2\)/,
    ],
  ])('logits %#', async (logits, type, message) => {
    const s = await make();
    expect(() => s.sample(logits as Float32Array)).toThrow(type);
    expect(() => s.sample(logits as Float32Array)).toThrow(message);
    expect(() => s.probs(logits as Float32Array)).toThrow(message);
    // Still usable, and the rejected calls consumed nothing: the draw is a fresh sampler's first.
    const token = s.sample(good);
    expect([0, 1, 2, 4]).toContain(token);
    expect(token).toBe((await make()).sample(good));
  });

  test.each([
    [{ temperature: -1 }, RangeError, /temperature must be a finite number ≥ 0.*got -1/],
    [{ temperature: NaN }, RangeError, /temperature.*got NaN/],
    [{ temperature: Infinity }, RangeError, /temperature.*got Infinity/],
    [{ temperature: '0.7' }, TypeError, /temperature must be a number, got "0.7"/],
    [{ topK: -1 }, RangeError, /topK must be an integer ≥ 0.*got -1/],
    [{ topK: 2.5 }, RangeError, /topK.*got 2.5/],
    [{ topK: Infinity }, RangeError, /topK.*got Infinity/],
    [{ topK: 40n }, TypeError, /topK must be a number, got 40n/],
    [{ topP: 0 }, RangeError, /topP must be in \(0, 1\].*got 0/],
    [{ topP: 1.5 }, RangeError, /topP.*got 1.5/],
    [{ topP: NaN }, RangeError, /topP.*got NaN/],
    [{ minP: -0.1 }, RangeError, /minP must be in \[0, 1\].*got -0.1/],
    [{ minP: 2 }, RangeError, /minP.*got 2/],
    [{ top_p: 0.9 }, TypeError, /unknown sampling option 'top_p' \(did you mean 'topP'\?\)/],
    ['greedy', TypeError, /params must be an object like \{ temperature, .*\}, got "greedy"/],
    [{ dynamicTemperature: 1 }, TypeError, /dynamicTemperature must be an object like \{ min, max, exponent \}, got 1/],
  ])('params %#', async (params, type, message) => {
    const s = await make();
    expect(() => s.sample(good, params as object)).toThrow(type);
    expect(() => s.sample(good, params as object)).toThrow(message);
    expect(() => s.probs(good, params as object)).toThrow(message);
    expect(s.sample(good, { temperature: 0 })).toBe(2);
  });

  test('probs() out must be a Float32Array of the logits length', async () => {
    const s = await make();
    expect(() => s.probs(good, {}, new Float32Array(4))).toThrow(/out must have the logits' length 5, got length 4/);
    expect(() => s.probs(good, {}, new Float64Array(5) as unknown as Float32Array)).toThrow(TypeError);
  });

  test('logitsView(n) needs a positive integer', async () => {
    const s = await make();
    expect(() => s.logitsView(0)).toThrow(/n must be an integer in \[1, 16777216\], got 0/);
    expect(() => s.logitsView(1.5)).toThrow(RangeError);
    expect(() => s.logitsView('8' as unknown as number)).toThrow(TypeError);
  });

  test('seed: any integer number or bigint, taken mod 2^64; anything else is rejected', async () => {
    const s = await make();
    expect(() => s.reseed(1.5)).toThrow(RangeError);
    expect(() => s.reseed(1.5)).toThrow(/seed must be an integer \(taken mod 2\^64\), got 1.5/);
    expect(() => s.reseed(Number.NaN)).toThrow(/seed must be an integer.*got NaN/);
    expect(() => s.reseed(Infinity)).toThrow(/seed must be an integer.*got Infinity/);
    expect(() => s.reseed('1' as unknown as number)).toThrow(TypeError);
    expect(() => s.reseed('1' as unknown as number)).toThrow(/seed must be an integer number or a bigint, got "1"/);
    // Integers beyond 2^53 and negative ones are seeds too, reduced mod 2^64.
    const draws = (seed: number | bigint) => {
      s.reseed(seed);
      return Array.from({ length: 8 }, () => s.sample(good));
    };
    expect(draws(2 ** 64)).toEqual(draws(0));
    expect(draws(-1)).toEqual(draws(2n ** 64n - 1n));
    expect(draws(2 ** 70 + 2 ** 64)).toEqual(draws(0n));
  });

  test("the caller's logits are never modified", async () => {
    const s = await make();
    const x = new Float32Array(5000).map((_, i) => Math.sin(i) * 5);
    x[7] = -Infinity;
    const copy = x.slice();
    const arr = Array.from(copy);
    for (const params of [
      {},
      { temperature: 0 },
      { topK: 40, topP: 0.9 },
      { minP: 0.1 },
      { temperature: 0.3, topP: 0.5 },
    ]) {
      s.sample(x, params);
      s.probs(x, params);
      s.sample(arr, params);
    }
    expect(x).toEqual(copy);
    expect(arr).toEqual(Array.from(copy));
  });
});

describe('options', () => {
  test.each([
    [{ backend: 'gpu' }, RangeError, /backend must be one of 'auto', 'wasm-simd', 'wasm', 'js', got "gpu"/],
    [{ seed: 'x' }, TypeError, /seed must be/],
    [{ module: new Uint8Array(8) }, TypeError, /module must be a WebAssembly.Module/],
    [42, TypeError, /createSampler options must be an object like \{ backend, seed, module \}, got 42/],
    [{ sed: 42 }, TypeError, /unknown createSampler option 'sed' \(did you mean 'seed'\?\)/],
  ])('createSampler(%j)', async (opts, type, message) => {
    await expect(createSampler(opts as object)).rejects.toThrow(type);
    await expect(createSampler(opts as object)).rejects.toThrow(message);
  });

  test('createSamplerSync needs a module for WASM backends', () => {
    expect(() => createSamplerSync({ backend: 'wasm-simd' })).toThrow(/needs opts.module/);
    expect(createSamplerSync({ seed: 1 }).backend).toBe('js');
  });
});
