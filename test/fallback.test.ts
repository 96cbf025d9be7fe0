// Backend choice when the runtime lacks something: each missing feature is simulated by
// stubbing the WebAssembly global, and every fallback must still draw the js backend's tokens.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createSampler, createSamplerSync, hasWasmSimd, type Sampler } from '../src/index.js';

const LOGITS = Float32Array.from({ length: 1003 }, (_, i) => ((i * 37) % 101) / 10 - 5);
const PARAMS = { temperature: 0.8, topP: 0.95 };
const SEED = 3;

function tokens(s: Sampler): number[] {
  s.reseed(SEED);
  return Array.from({ length: 32 }, () => s.sample(LOGITS, PARAMS));
}

const JS_TOKENS = tokens(createSamplerSync({ seed: SEED }));
const SIMD_BYTES = readFileSync(new URL('../build/logit-sampler.simd.wasm', import.meta.url));
const isSimdBuild = (b: unknown) => b instanceof Uint8Array && Buffer.compare(b, SIMD_BYTES) === 0;

/** WebAssembly as it is, except the properties given. */
function patchedWasm(patch: Record<string, unknown>): typeof WebAssembly {
  return new Proxy(WebAssembly, { get: (t, k) => (k in patch ? patch[k as string] : Reflect.get(t, k)) });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('backend fallback', () => {
  it('auto uses wasm-simd where SIMD validates', async () => {
    expect(hasWasmSimd()).toBe(true);
    const s = await createSampler({ seed: SEED });
    expect(s.backend).toBe('wasm-simd');
    expect(tokens(s)).toEqual(JS_TOKENS);
  });

  it('without SIMD (old Safari, some CPUs), auto uses the scalar wasm build', async () => {
    vi.spyOn(WebAssembly, 'validate').mockReturnValue(false);
    expect(hasWasmSimd()).toBe(false);
    const s = await createSampler({ seed: SEED });
    expect(s.backend).toBe('wasm');
    expect(tokens(s)).toEqual(JS_TOKENS);
    await expect(createSampler({ backend: 'wasm-simd' })).rejects.toThrow(/no WebAssembly SIMD/);
  });

  it('without WebAssembly at all, auto uses js; asking for wasm fails loudly', async () => {
    vi.stubGlobal('WebAssembly', undefined);
    expect(hasWasmSimd()).toBe(false);
    const s = await createSampler({ seed: SEED });
    expect(s.backend).toBe('js');
    expect(tokens(s)).toEqual(JS_TOKENS);
    await expect(createSampler({ backend: 'wasm' })).rejects.toThrow(/no WebAssembly/);
    expect(createSamplerSync({ seed: SEED }).backend).toBe('js');
  });

  it('when compiling from bytes is refused (CSP, Workers), auto uses js', async () => {
    const refused = new WebAssembly.CompileError('Wasm code generation disallowed by embedder');
    const compile = vi.spyOn(WebAssembly, 'compile').mockRejectedValue(refused);
    const s = await createSampler({ seed: SEED });
    expect(s.backend).toBe('js');
    expect(compile).toHaveBeenCalledTimes(2); // tried the SIMD build, then the scalar one
    expect(tokens(s)).toEqual(JS_TOKENS);
    await expect(createSampler({ backend: 'wasm-simd' })).rejects.toBe(refused);
  });

  it('when instantiation is refused, auto uses js', async () => {
    class Instance {
      constructor() {
        throw new WebAssembly.LinkError('instantiation refused');
      }
    }
    vi.stubGlobal('WebAssembly', patchedWasm({ Instance }));
    const s = await createSampler({ seed: SEED });
    expect(s.backend).toBe('js');
    expect(tokens(s)).toEqual(JS_TOKENS);
  });

  it('when only the SIMD build fails, auto degrades to the scalar build', async () => {
    const compile = WebAssembly.compile;
    vi.spyOn(WebAssembly, 'compile').mockImplementation((b) =>
      isSimdBuild(b) ? Promise.reject(new WebAssembly.CompileError('simd refused')) : compile(b),
    );
    const s = await createSampler({ seed: SEED });
    expect(s.backend).toBe('wasm');
    expect(tokens(s)).toEqual(JS_TOKENS);
  });

  it('a precompiled module is used as given, by createSampler and createSamplerSync', async () => {
    const scalar = new WebAssembly.Module(readFileSync(new URL('../build/logit-sampler.wasm', import.meta.url)));
    const simd = new WebAssembly.Module(SIMD_BYTES);
    // Even where compiling is refused: a precompiled module needs no compilation.
    vi.spyOn(WebAssembly, 'compile').mockRejectedValue(new WebAssembly.CompileError('refused'));
    expect((await createSampler({ seed: SEED, module: scalar })).backend).toBe('wasm');
    const s = createSamplerSync({ seed: SEED, module: simd });
    expect(s.backend).toBe('wasm-simd');
    expect(tokens(s)).toEqual(JS_TOKENS);
    expect(() => createSamplerSync({ module: scalar, backend: 'wasm-simd' })).toThrow(/'wasm' build/);
  });
});
