// The kernels and their TypeScript twin share constants by value, not by import (one is
// AssemblyScript, one TypeScript): every constant both sides use is read from each built
// .wasm's exports and compared with the twin's, so neither can drift alone.
import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import * as jsExp from '../src/backend/js/exp.js';
import * as jsIndex from '../src/backend/js/index.js';
import * as jsLayout from '../src/backend/js/layout.js';
import * as jsSelect from '../src/backend/js/select.js';
import * as types from '../src/backend/types.js';
import * as block from '../src/backend/wasm-block.js';
import * as limits from '../src/limits.js';
import * as params from '../src/params.js';

const f32 = Math.fround;

/** name in the .wasm → the twin's value. */
const TWINS: Record<string, number> = {
  BLOCK: jsLayout.BLOCK,
  PIVOT_SAMPLE: jsLayout.PIVOT_SAMPLE,
  SMALL_SET: jsLayout.SMALL_SET,
  SMALL_RANK: jsLayout.SMALL_RANK,
  SORT_MAX: jsLayout.SORT_MAX,
  MAX_TOP_N: jsLayout.MAX_TOP_N,
  BAND: jsSelect.BAND,
  ONE_BITS: jsSelect.ONE_BITS,
  KEEP_ALL: jsSelect.KEEP_ALL,
  EXP_CUTOFF: jsExp.EXP_CUTOFF,
  ROUNDER: jsExp.ROUNDER,
  C1: jsExp.C1,
  C2: jsExp.C2,
  C3: jsExp.C3,
  C4: jsExp.C4,
  C5: jsExp.C5,
  L3: jsExp.L3,
  L5: jsExp.L5,
  L7: jsExp.L7,
  L9: jsExp.L9,
  LN2_HI: jsExp.LN2_HI,
  LN2_LO: jsExp.LN2_LO,
  C_HUGE_T: f32(jsIndex.C_HUGE_T),
  M_TINY: f32(jsIndex.M_TINY),
  MAX_TOKENS: limits.MAX_TOKENS,
  MODE_DRAW: types.MODE_DRAW,
  MODE_PROBS: types.MODE_PROBS,
  MODE_STATS: types.MODE_STATS,
  F_ENTROPY: types.F_ENTROPY,
  F_TOP: types.F_TOP,
  F_RAW: types.F_RAW,
  F_MASK: params.F_MASK,
  F_PROBS: params.F_PROBS,
  S_OK: types.S_OK,
  S_INVALID: types.S_INVALID,
  S_ALL_MASKED: types.S_ALL_MASKED,
  S_BAD_PROB: types.S_BAD_PROB,
  S_RAW_INVALID: types.S_RAW_INVALID,
  S_BAD_BIAS: types.S_BAD_BIAS,
};

// The parameter block: every P_/R_ offset the host writes or reads.
for (const [name, value] of Object.entries(block)) TWINS[name] = value;

describe.each(['logit-sampler.simd.wasm', 'logit-sampler.wasm'])('%s', (file) => {
  const module = new WebAssembly.Module(readFileSync(new URL(`../build/${file}`, import.meta.url)));
  const exports = new WebAssembly.Instance(module, {}).exports as Record<string, unknown>;

  test.each(Object.keys(TWINS))('%s is the same on both sides', (name) => {
    const global = exports[name];
    expect(global, `${name} is not exported by ${file}`).toBeInstanceOf(WebAssembly.Global);
    expect((global as WebAssembly.Global).value).toBe(TWINS[name]);
  });

  test('every exported constant has a twin (a new constant gets one, or an entry here)', () => {
    const globals = WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'global')
      .map((e) => e.name);
    // Addresses of the fixed regions: host-side they are read from the module, not twinned.
    const addresses = ['PARAMS', 'TOP', 'VIEW'];
    expect(globals.filter((g) => !(g in TWINS) && !addresses.includes(g))).toEqual([]);
  });
});
