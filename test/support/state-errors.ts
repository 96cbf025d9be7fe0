// The bad-state cases of the stateful stages (mirostat, adaptive-p): each refused by sample()
// and probs() on every backend, with its type and message, consuming no random value.
import { describe, expect, test } from 'vitest';
import { createSampler, type SamplingParams } from '../../src/index.js';
import { BACKENDS } from './backends.js';

/** [what, the state passed, the error's type, its message]. */
export type BadState = [string, () => unknown, typeof TypeError | typeof RangeError, RegExp];

export function rejectsBadStates(param: 'mirostat' | 'adaptiveP', cases: BadState[], x: Float32Array): void {
  describe.each(BACKENDS)('%s', (backend) => {
    test.each(cases)('%s', async (_, make, type, message) => {
      const s = await createSampler({ backend, seed: 1 });
      const twin = await createSampler({ backend, seed: 1 });
      const params = { [param]: make() } as SamplingParams;
      expect(() => s.sample(x, params)).toThrow(type);
      expect(() => s.probs(x, params)).toThrow(message);
      expect(s.sample(x)).toBe(twin.sample(x));
    });
  });
}
