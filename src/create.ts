// Backend choice: an explicit choice is honoured or fails loudly; 'auto' degrades from
// wasm-simd to wasm to js, and sampler.backend tells which one it got. Each build is compiled
// once per runtime entry and instantiated per sampler.
import { instantiate } from '../build/logit-sampler.js';
import { KernelBackend, type KernelExports } from './backend/kernels.js';
import type { BackendName } from './backend/name.js';
import { describe, ownOptions } from './describe.js';
import { randomSeed, type Seed, seedToBigInt } from './rng.js';
import { type Sampler, SamplerImpl } from './sampler.js';
import { hasWasm, hasWasmSimd } from './simd.js';

export interface SamplerOptions {
  /** 'auto' (default): wasm-simd if the runtime has WebAssembly SIMD, else wasm, else js. */
  backend?: 'auto' | BackendName;
  /** Seed of the random stream (an integer number or a bigint, taken mod 2^64). Default:
   *  from crypto.getRandomValues. */
  seed?: Seed;
  /** A precompiled kernel module (either build). Required where compiling WebAssembly at run
   *  time is forbidden (Cloudflare Workers, Vercel Edge): import the .wasm there. */
  module?: WebAssembly.Module;
}

/** Compiles one of the two builds; supplied per runtime (fs, fetch, a static import). @internal */
export type ModuleLoader = (simd: boolean) => Promise<WebAssembly.Module>;

const BACKENDS = ['auto', 'wasm-simd', 'wasm', 'js'];
const OPTIONS = ['backend', 'seed', 'module'];

interface Checked {
  backend: 'auto' | BackendName;
  seed: bigint;
  module: WebAssembly.Module | undefined;
}

function check(opts: SamplerOptions | undefined): Checked {
  const o =
    opts === undefined ? Object.create(null) : ownOptions('createSampler', opts, OPTIONS, { Backend: 'backend' });
  const backend = o.backend ?? 'auto';
  if (!BACKENDS.includes(backend as string)) {
    throw new RangeError(
      `backend must be one of ${BACKENDS.map((b) => `'${b}'`).join(', ')}, got ${describe(backend)}`,
    );
  }
  const module = o.module;
  if (module !== undefined && !(hasWasm() && isModule(module))) {
    throw new TypeError(`module must be a WebAssembly.Module, got ${describe(module)}`);
  }
  if (module !== undefined && backend === 'js') {
    throw new RangeError("backend 'js' takes no module; drop one of the two options");
  }
  return {
    backend: backend as Checked['backend'],
    seed: o.seed === undefined ? randomSeed() : seedToBigInt(o.seed),
    module: module as WebAssembly.Module | undefined,
  };
}

/** A WebAssembly.Module, from this realm or another (a module of another realm fails
 *  `instanceof` but is usable). */
function isModule(m: unknown): boolean {
  if (m instanceof WebAssembly.Module) return true;
  try {
    WebAssembly.Module.exports(m as WebAssembly.Module);
    return true;
  } catch {
    return false;
  }
}

function fromModule(module: WebAssembly.Module, wanted: 'auto' | BackendName): KernelBackend {
  const make = () => new WebAssembly.Instance(module, {}).exports as unknown as KernelExports;
  const k = make();
  if (typeof k.run !== 'function' || typeof k.bytesFor !== 'function' || !(k.memory instanceof WebAssembly.Memory)) {
    throw new TypeError('module is not a logit-sampler kernel build (missing exports)');
  }
  let first: KernelExports | undefined = k;
  // The first instance is the one just checked; later ones (none, for a WebAssembly build:
  // its memory cannot be taken away) are made afresh.
  const b = new KernelBackend(
    () => {
      const next = first ?? make();
      first = undefined;
      return next;
    },
    k.simd() ? 'wasm-simd' : 'wasm',
  );
  if (wanted !== 'auto' && wanted !== b.name) {
    throw new RangeError(`backend '${wanted}' was requested but the module given is the '${b.name}' build`);
  }
  return b;
}

/** Builds `createSampler` for a runtime, given how that runtime obtains the .wasm. */
export function makeCreateSampler(load: ModuleLoader) {
  // One compilation per build, shared by every sampler (a failed one is retried next time).
  const compiled: (Promise<WebAssembly.Module> | undefined)[] = [];
  const module = (simd: boolean): Promise<WebAssembly.Module> => {
    const i = simd ? 1 : 0;
    let p = compiled[i];
    if (p === undefined) {
      p = load(simd);
      compiled[i] = p;
      p.catch(() => {
        if (compiled[i] === p) compiled[i] = undefined;
      });
    }
    return p;
  };
  /** Creates a sampler, compiling (once) or instantiating the given kernel module. */
  return async function createSampler(opts?: SamplerOptions): Promise<Sampler> {
    const o = check(opts);
    if (o.module) return new SamplerImpl(fromModule(o.module, o.backend), o.seed);
    switch (o.backend) {
      case 'js':
        return new SamplerImpl(jsBackend(), o.seed);
      case 'wasm-simd':
        if (!hasWasmSimd()) throw new Error("backend 'wasm-simd' requested, but this runtime has no WebAssembly SIMD");
        return new SamplerImpl(fromModule(await module(true), 'wasm-simd'), o.seed);
      case 'wasm':
        if (!hasWasm()) throw new Error("backend 'wasm' requested, but this runtime has no WebAssembly");
        return new SamplerImpl(fromModule(await module(false), 'wasm'), o.seed);
      default: {
        for (const simd of hasWasmSimd() ? [true, false] : hasWasm() ? [false] : []) {
          try {
            return new SamplerImpl(fromModule(await module(simd), 'auto'), o.seed);
          } catch {
            // Compilation refused (CSP, Workers without a precompiled module, …): degrade.
          }
        }
        return new SamplerImpl(jsBackend(), o.seed);
      }
    }
  };
}

/** Creates a sampler synchronously: the js backend, or a WASM backend from opts.module. */
export function createSamplerSync(opts?: SamplerOptions): Sampler {
  const o = check(opts);
  if (o.module) return new SamplerImpl(fromModule(o.module, o.backend), o.seed);
  if (o.backend === 'wasm' || o.backend === 'wasm-simd') {
    throw new TypeError(`createSamplerSync needs opts.module for backend '${o.backend}'; or use await createSampler()`);
  }
  return new SamplerImpl(jsBackend(), o.seed);
}

/** The js backend: an instance of its own of the kernels generated from the scalar build. */
function jsBackend(): KernelBackend {
  return new KernelBackend(instantiate, 'js');
}
