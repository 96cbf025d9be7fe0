// Backend choice: an explicit choice is honoured or fails loudly; 'auto' degrades from
// wasm-simd to wasm to js, and sampler.backend tells which one it got.
import { JsBackend } from './backend/js/index.js';
import type { Backend, BackendName } from './backend/types.js';
import { WasmBackend } from './backend/wasm.js';
import { describe } from './describe.js';
import { randomSeed, seedToBigInt, type Seed } from './rng.js';
import { Sampler } from './sampler.js';
import { hasWasm, hasWasmSimd } from './simd.js';

export interface SamplerOptions {
  /** 'auto' (default): wasm-simd if the runtime has WebAssembly SIMD, else wasm, else js. */
  backend?: 'auto' | BackendName;
  /** Seed of the random stream (integer number or bigint, mod 2^64). Default: from
   *  crypto.getRandomValues. */
  seed?: Seed;
  /** A precompiled kernel module (either build). Required where compiling WebAssembly at run
   *  time is forbidden (Cloudflare Workers, Vercel Edge): import the .wasm there. */
  module?: WebAssembly.Module;
}

/** Compiles one of the two builds; supplied per runtime (fs, fetch, a static import). */
export type ModuleLoader = (simd: boolean) => Promise<WebAssembly.Module>;

const BACKENDS = ['auto', 'wasm-simd', 'wasm', 'js'];

interface Checked {
  backend: 'auto' | BackendName;
  seed: bigint;
  module: WebAssembly.Module | undefined;
}

function check(opts: SamplerOptions | undefined): Checked {
  if (opts !== undefined && (typeof opts !== 'object' || opts === null)) {
    throw new TypeError(`options must be an object, got ${describe(opts)}`);
  }
  const { backend = 'auto', seed, module } = opts ?? {};
  if (!BACKENDS.includes(backend as string)) {
    throw new RangeError(
      `backend must be one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}, got ${describe(backend)}`,
    );
  }
  if (module !== undefined && !(hasWasm() && module instanceof WebAssembly.Module)) {
    throw new TypeError(`module must be a WebAssembly.Module, got ${describe(module)}`);
  }
  if (module !== undefined && backend === 'js') {
    throw new RangeError("backend 'js' takes no module; drop one of the two options");
  }
  return { backend, seed: seed === undefined ? randomSeed() : seedToBigInt(seed), module };
}

function fromModule(module: WebAssembly.Module, wanted: 'auto' | BackendName): Backend {
  const b = new WasmBackend(new WebAssembly.Instance(module, {}));
  if (wanted !== 'auto' && wanted !== b.name) {
    throw new RangeError(`backend '${wanted}' was requested but the module given is the '${b.name}' build`);
  }
  return b;
}

/** Builds `createSampler` for a runtime, given how that runtime obtains the .wasm. */
export function makeCreateSampler(load: ModuleLoader) {
  /** Creates a sampler, compiling (or instantiating the given) kernel module. */
  return async function createSampler(opts?: SamplerOptions): Promise<Sampler> {
    const o = check(opts);
    if (o.module) return new Sampler(fromModule(o.module, o.backend), o.seed);
    switch (o.backend) {
      case 'js':
        return new Sampler(new JsBackend(), o.seed);
      case 'wasm-simd':
        if (!hasWasmSimd()) throw new Error("backend 'wasm-simd' requested, but this runtime has no WebAssembly SIMD");
        return new Sampler(fromModule(await load(true), 'wasm-simd'), o.seed);
      case 'wasm':
        if (!hasWasm()) throw new Error("backend 'wasm' requested, but this runtime has no WebAssembly");
        return new Sampler(fromModule(await load(false), 'wasm'), o.seed);
      default: {
        for (const simd of hasWasmSimd() ? [true, false] : hasWasm() ? [false] : []) {
          try {
            return new Sampler(fromModule(await load(simd), 'auto'), o.seed);
          } catch {
            // Compilation refused (CSP, Workers without a precompiled module, …): degrade.
          }
        }
        return new Sampler(new JsBackend(), o.seed);
      }
    }
  };
}

/** Creates a sampler synchronously: the js backend, or a WASM backend from opts.module. */
export function createSamplerSync(opts?: SamplerOptions): Sampler {
  const o = check(opts);
  if (o.module) return new Sampler(fromModule(o.module, o.backend), o.seed);
  if (o.backend === 'wasm' || o.backend === 'wasm-simd') {
    throw new TypeError(`createSamplerSync needs opts.module for backend '${o.backend}'; or use await createSampler()`);
  }
  return new Sampler(new JsBackend(), o.seed);
}
