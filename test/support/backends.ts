import { instantiate } from '../../build/logit-sampler.js';
import type { KernelExports } from '../../src/backend/kernels.js';
import { createSampler, type Sampler } from '../../src/index.js';

export const BACKENDS = ['wasm-simd', 'wasm', 'js'] as const;

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
