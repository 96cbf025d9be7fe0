import { instantiate } from '../../build/logit-sampler.js';
import type { KernelExports } from '../../src/backend/kernels.js';
import { createSampler, type Logits, type Sampler, type SamplingParams } from '../../src/index.js';

export const BACKENDS = ['wasm-simd', 'wasm', 'js'] as const;

/** The two kernel codes: the SIMD build's and the scalar one's (the js build is the scalar code
 *  through wasm2js, bit-identical to it: test/parity/). For regressions of kernel bugs. */
export const KERNEL_BUILDS = ['wasm-simd', 'wasm'] as const;

/** One sampler per backend, same seed. */
export async function samplers(seed: number | bigint = 1): Promise<Sampler[]> {
  return Promise.all(BACKENDS.map((backend) => createSampler({ backend, seed })));
}

/** The three kernel builds' exports, straight from build/ (npm run build first). */
export async function kernelBuilds(): Promise<{ name: (typeof BACKENDS)[number]; k: KernelExports }[]> {
  const { readFile } = await import('node:fs/promises');
  const wasm = async (file: string) =>
    new WebAssembly.Instance(await WebAssembly.compile(await readFile(new URL(`../../build/${file}`, import.meta.url))))
      .exports as unknown as KernelExports;
  return [
    { name: 'wasm-simd', k: await wasm('logit-sampler.simd.wasm') },
    { name: 'wasm', k: await wasm('logit-sampler.wasm') },
    { name: 'js', k: instantiate() },
  ];
}

/** Two samplers of one backend and seed: one is tested, the other fed plain copies. */
export async function twins(backend: (typeof BACKENDS)[number], seed: number): Promise<[Sampler, Sampler]> {
  return [await createSampler({ backend, seed }), await createSampler({ backend, seed })];
}

/** `count` tokens drawn by `s`. */
export const draws = (s: Sampler, x: Logits, params: SamplingParams | undefined, count: number): number[] =>
  Array.from({ length: count }, () => s.sample(x, params));
