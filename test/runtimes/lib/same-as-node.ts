// The one assertion every runtime test makes: its workload result is the Node reference's.
import { expect, inject } from 'vitest';

/** What fixture/sequence.mjs returns. */
export interface Workload {
  backends: Record<string, string>;
  runs: Record<string, number[][]>;
  probs: Record<string, string[]>;
  /** Golden sequences (fixture/golden.mjs): { [case]: { [backend]: tokens } }. */
  golden: Record<string, Record<string, number[]>>;
  error?: string;
}

/**
 * Token-for-token (and probs bit-for-bit) equality with Node, golden sequences included (Node's
 * own are checked against test/golden/sequences.json, so every runtime is). Runtimes that were not handed
 * a precompiled module have no 'module' run; everything else must match exactly, including
 * which backend 'auto' chose (wasm-simd: all of these engines have WebAssembly SIMD).
 */
export function expectSameAsNode(got: Partial<Workload>, opts: { module: boolean }): void {
  const ref = inject('runtimes').reference;
  const want: Workload = { backends: { ...ref.backends }, runs: { ...ref.runs }, probs: ref.probs, golden: ref.golden };
  if (!opts.module) {
    delete want.backends.module;
    delete want.runs.module;
  }
  expect(got.error).toBeUndefined();
  expect({ backends: got.backends, runs: got.runs, probs: got.probs, golden: got.golden }).toEqual(want);
}
