import { createSampler, type Sampler } from '../../src/index.js';

export const BACKENDS = ['wasm-simd', 'wasm', 'js'] as const;

/** One sampler per backend, same seed. */
export async function samplers(seed: number | bigint = 1): Promise<Sampler[]> {
  return Promise.all(BACKENDS.map((backend) => createSampler({ backend, seed })));
}
