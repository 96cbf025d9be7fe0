// The one assertion every engine without WebAssembly makes (a `vm` context, QuickJS, Hermes):
// 'auto' fell back to js, the golden sequences are the committed ones token for token, and
// probs() is bit for bit Node's js backend's on the same inputs.
import { existsSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { GOLDEN_CASES, STEPS } from '../runtimes/fixture/golden.mjs';
import { engineWorkload } from './engine-workload.mjs';

/** The golden cases an interpreter (QuickJS, Hermes: 10–20× slower than V8 on the js
 *  backend) runs whole, and between them every control but dynamic temperature (the last case
 *  sets every other one)... */
export const CHEAP_CASES = [
  'greedy with a presence penalty over the last 8 tokens, n = 50257',
  'temperature 0.7, top-k 40, top-p 0.9, n = 128256',
  'min-p 0.05, temperature 1.3, n = 32768',
  'probability input, temperature 0.8, top-p 0.95, n = 1000',
  'temperature 2, top-k 5, n = 17',
  'every control at once, n = 65543',
];

/** ...and the others, whose every step exponentiates 32,000–49,152 logits, for their first
 *  COSTLY_STEPS tokens (with probs() at the first step, bit for bit, all the same). */
export const COSTLY_CASES = GOLDEN_CASES.map((c) => c.name).filter((n) => !CHEAP_CASES.includes(n));
export const COSTLY_STEPS = 8;

export type EngineResult = Awaited<ReturnType<typeof engineWorkload>>;

interface Table {
  cases: Record<string, { tokens: number[] }>;
}

const TABLE = JSON.parse(readFileSync(new URL('../golden/sequences.json', import.meta.url), 'utf8')) as Table;

// The built package, imported by URL: dist/ need not exist when the tests are type-checked,
// before npm test builds it.
const DIST = new URL('../../dist/index.js', import.meta.url);

/** Node's js backend (the built package) on the same workload: the reference for probs(). */
export async function nodeReference(names?: string[], steps?: number): Promise<EngineResult> {
  if (!existsSync(DIST)) throw new Error('dist/ is missing: npm run build');
  const lib = (await import(DIST.href)) as typeof import('../../src/index.js');
  return engineWorkload(lib, 'js', names, steps);
}

/** Index and bits (hex) of the first entry where two bit arrays differ; undefined if none. */
function firstDifference(got: number[] | undefined, want: number[]): string | undefined {
  if (got === undefined) return 'missing';
  if (got.length !== want.length) return `length ${got.length}, want ${want.length}`;
  const i = got.findIndex((b, k) => b !== want[k]);
  const hex = (b: number) => `0x${b.toString(16).padStart(8, '0')}`;
  return i < 0 ? undefined : `token ${i}: bits ${hex(got[i]!)}, want ${hex(want[i]!)}`;
}

/**
 * Checks an engine's result (the JSON its script returned) against the golden table (its first
 * `steps` tokens of each case) and the reference. `webAssembly` is what `typeof WebAssembly`
 * must have been inside the engine.
 */
export function expectEngineRun(
  json: string,
  reference: EngineResult,
  webAssembly: 'undefined' | 'object',
  steps = STEPS,
): void {
  const got = JSON.parse(json) as EngineResult & { error?: string };
  expect(got.error).toBeUndefined();
  expect(got.webAssembly).toBe(webAssembly);
  expect(got.backend).toBe('js');
  const names = Object.keys(reference.golden);
  expect(Object.keys(got.golden)).toEqual(names);
  for (const name of names) {
    expect(got.golden[name], name).toEqual(TABLE.cases[name]!.tokens.slice(0, steps));
    expect(firstDifference(got.probs[name], reference.probs[name]!), `probs() of ${name}`).toBeUndefined();
  }
}
