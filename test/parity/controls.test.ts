/// <reference types="vite/client" />
// Every control's own cases (the case lists test/controls/*.cases.ts export, found by name, so a
// new control's cases join without an edit here) on the three builds: bit-identical probs(), the
// same tokens, and the same sampleDetailed() results, processed and raw. The control suites
// check these cases against float64 and by chi-square on wasm-simd alone; this is what lets
// them.
import { describe, expect, test } from 'vitest';
import type { SamplingParams } from '../../src/index.js';
import { BACKENDS, samplers } from '../support/backends.js';
import { bits, type ControlCase, firstDifference } from '../support/control-suite.js';

const modules = import.meta.glob<Record<string, unknown>>('../controls/*.cases.ts', { eager: true });

const isCase = (v: unknown): v is ControlCase =>
  typeof v === 'object' && v !== null && 'name' in v && 'x' in v && 'params' in v;

const lists = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports)
    .filter(([, v]) => Array.isArray(v) && v.length > 0 && v.every(isCase))
    .map(([name, v]) => [`${file.replace(/^.*\/|\.cases\.ts$/g, '')} ${name}`, v as ControlCase[]] as const),
);

test('every control has a case list here', () => {
  const controls = new Set(lists.map(([name]) => name.split(' ')[0]));
  for (const c of ['temperature', 'top-n-sigma', 'top-k', 'top-p', 'min-p', 'typical', 'order', 'bias', 'mask'])
    expect(controls).toContain(c);
  for (const c of ['penalties', 'probs-input', 'dynamic-temperature', 'logprobs']) expect(controls).toContain(c);
});

describe.each(lists)('%s: the three builds agree bit for bit', (_, cases) => {
  test.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const all = await samplers(77);
    const params = c.params as SamplingParams;
    const [p0, ...rest] = all.map((s) => bits(s.probs(c.x, params)));
    for (const [b, p] of rest.entries()) expect(firstDifference(p, p0!), `${BACKENDS[b + 1]} probs`).toBe(-1);
    const [t0, ...others] = all.map((s) => Array.from({ length: 64 }, () => s.sample(c.x, params)));
    for (const [b, t] of others.entries()) expect(t, `${BACKENDS[b + 1]} tokens`).toEqual(t0);
    for (const logprobs of ['processed', 'raw'] as const) {
      const [d0, ...ds] = all.map((s) => s.sampleDetailed(c.x, params, { topLogprobs: 20, logprobs, entropy: true }));
      for (const [b, d] of ds.entries()) expect(d, `${BACKENDS[b + 1]} ${logprobs} sampleDetailed`).toEqual(d0);
    }
  });
});
