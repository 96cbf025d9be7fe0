// Backend choice when the runtime lacks something: each missing feature is simulated by
// stubbing the WebAssembly global, and every fallback must still draw the js backend's tokens.
// Each build is compiled once per runtime entry and cached, so every test that stubs
// compilation imports a fresh copy of the entry (vi.resetModules) to start with an empty cache.
import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createSamplerSync, type Sampler } from '../../src/index.js';

type Entry = typeof import('../../src/index.js');
let entry: Entry;

const LOGITS = Float32Array.from({ length: 1003 }, (_, i) => ((i * 37) % 101) / 10 - 5);
const PARAMS = { temperature: 0.8, topP: 0.95 };
const SEED = 3;

function tokens(s: Sampler): number[] {
  s.reseed(SEED);
  return Array.from({ length: 32 }, () => s.sample(LOGITS, PARAMS));
}

const JS_TOKENS = tokens(createSamplerSync({ seed: SEED }));
const SIMD_BYTES = readFileSync(new URL('../../build/logit-sampler.simd.wasm', import.meta.url));
const isSimdBuild = (b: unknown) => b instanceof Uint8Array && Buffer.compare(b, SIMD_BYTES) === 0;

/** WebAssembly as it is, except the properties given. */
function patchedWasm(patch: Record<string, unknown>): typeof WebAssembly {
  return new Proxy(WebAssembly, { get: (t, k) => (k in patch ? patch[k as string] : Reflect.get(t, k)) });
}

beforeEach(async () => {
  vi.resetModules();
  entry = await import('../../src/index.js');
});

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('backend fallback', () => {
  it('auto uses wasm-simd where SIMD validates', async () => {
    expect(entry.hasWasmSimd()).toBe(true);
    const s = await entry.createSampler({ seed: SEED });
    expect(s.backend).toBe('wasm-simd');
    expect(tokens(s)).toEqual(JS_TOKENS);
  });

  it('without SIMD (old Safari, some CPUs), auto uses the scalar wasm build', async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    expect(entry.hasWasmSimd()).toBe(false);
    const s = await entry.createSampler({ seed: SEED });
    expect(s.backend).toBe('wasm');
    expect(tokens(s)).toEqual(JS_TOKENS);
    await expect(entry.createSampler({ backend: 'wasm-simd' })).rejects.toThrow(/no WebAssembly SIMD/);
  });

  it('without WebAssembly at all, auto uses js; asking for wasm fails loudly', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(entry.hasWasmSimd()).toBe(false);
    const s = await entry.createSampler({ seed: SEED });
    expect(s.backend).toBe('js');
    expect(tokens(s)).toEqual(JS_TOKENS);
    await expect(entry.createSampler({ backend: 'wasm' })).rejects.toThrow(/no WebAssembly/);
    expect(entry.createSamplerSync({ seed: SEED }).backend).toBe('js');
  });

  it('when compiling from bytes is refused (CSP, Workers), auto uses js', async () => {
    const refused = new WebAssembly.CompileError('Wasm code generation disallowed by embedder');
    const compile = vi.spyOn(WebAssembly, 'compile').mockRejectedValue(refused);
    const s = await entry.createSampler({ seed: SEED });
    expect(s.backend).toBe('js');
    expect(compile).toHaveBeenCalledTimes(2); // tried the SIMD build, then the scalar one
    expect(tokens(s)).toEqual(JS_TOKENS);
    await expect(entry.createSampler({ backend: 'wasm-simd' })).rejects.toBe(refused);
  });

  it('when instantiation is refused, auto uses js', async () => {
    class Instance {
      constructor() {
        throw new WebAssembly.LinkError('instantiation refused');
      }
    }
    vi.stubGlobal('WebAssembly', patchedWasm({ Instance }));
    const s = await entry.createSampler({ seed: SEED });
    expect(s.backend).toBe('js');
    expect(tokens(s)).toEqual(JS_TOKENS);
  });

  it('when only the SIMD build fails, auto degrades to the scalar build', async () => {
    const compile = WebAssembly.compile;
    vi.spyOn(WebAssembly, 'compile').mockImplementation((b) =>
      isSimdBuild(b) ? Promise.reject(new WebAssembly.CompileError('simd refused')) : compile(b),
    );
    const s = await entry.createSampler({ seed: SEED });
    expect(s.backend).toBe('wasm');
    expect(tokens(s)).toEqual(JS_TOKENS);
  });

  it('a precompiled module is used as given, by createSampler and createSamplerSync', async () => {
    const scalar = new WebAssembly.Module(readFileSync(new URL('../../build/logit-sampler.wasm', import.meta.url)));
    const simd = new WebAssembly.Module(SIMD_BYTES);
    // Even where compiling is refused: a precompiled module needs no compilation.
    vi.spyOn(WebAssembly, 'compile').mockRejectedValue(new WebAssembly.CompileError('refused'));
    expect((await entry.createSampler({ seed: SEED, module: scalar })).backend).toBe('wasm');
    const s = entry.createSamplerSync({ seed: SEED, module: simd });
    expect(s.backend).toBe('wasm-simd');
    expect(tokens(s)).toEqual(JS_TOKENS);
    expect(() => entry.createSamplerSync({ module: scalar, backend: 'wasm-simd' })).toThrow(/'wasm' build/);
  });

  it('each build is compiled once per entry, however many samplers (20, also concurrently)', async () => {
    const compile = vi.spyOn(WebAssembly, 'compile');
    const simd = await Promise.all(Array.from({ length: 20 }, (_, i) => entry.createSampler({ seed: i })));
    const scalar: Sampler[] = [];
    for (let i = 0; i < 20; i++) scalar.push(await entry.createSampler({ backend: 'wasm', seed: i }));
    expect(simd.map((s) => s.backend)).toEqual(Array(20).fill('wasm-simd'));
    expect(scalar.map((s) => s.backend)).toEqual(Array(20).fill('wasm'));
    expect(compile).toHaveBeenCalledTimes(2);
    expect(compile.mock.calls.map(([b]) => isSimdBuild(b))).toEqual([true, false]);
    // One module, but an instance (and memory) per sampler: the samplers are independent.
    const views = [...simd, ...scalar].map((s) => s.logitsView(16).buffer);
    expect(new Set(views).size).toBe(40);
    simd[0]!.reseed(SEED);
    simd[1]!.sample(LOGITS, PARAMS); // another sampler's draw does not move this one's stream
    expect(tokens(simd[0]!)).toEqual(JS_TOKENS);
    expect(tokens(scalar[19]!)).toEqual(JS_TOKENS);
  });

  it('a failed compilation is not cached: the next createSampler compiles again', async () => {
    const compile = WebAssembly.compile;
    const spy = vi
      .spyOn(WebAssembly, 'compile')
      .mockImplementationOnce(() => Promise.reject(new WebAssembly.CompileError('transient')))
      .mockImplementation((b) => compile(b));
    await expect(entry.createSampler({ backend: 'wasm-simd' })).rejects.toThrow('transient');
    const s = await entry.createSampler({ backend: 'wasm-simd', seed: SEED });
    expect(s.backend).toBe('wasm-simd');
    expect(tokens(s)).toEqual(JS_TOKENS);
    await entry.createSampler({ backend: 'wasm-simd' });
    expect(spy).toHaveBeenCalledTimes(2);
  });
});
