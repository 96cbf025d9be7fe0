// Exported entry points: numbers in, numbers out. The host writes a call's parameters into the
// parameter block (params.ts), calls run(), and reads the results back from it. The host has
// validated every parameter and sized memory (layout.ts); the logits are checked here, as a
// by-product of the pass that finds their maximum, and a bad one yields a status (S_*) from
// which the host builds its message.
import { drawKept, keptEZ, keptMass, keptTop, listedZ, topPairs, writeProbsKept } from './draw';
import { badEdit, badIndex, edit, materialize, rescale, restore } from './edits';
import { AI, AK, AM, INPUT, LIST, MAX_TOP_N, STAGE, TOP, XL } from './layout';
import {
  F_ENTROPY,
  F_MASK,
  F_PROBS,
  F_RAW,
  F_TOP,
  getF32,
  getF64,
  getI32,
  P_C,
  P_C64,
  P_FLAGS,
  P_MIN_P,
  P_MIN_P_Z,
  P_N,
  P_SRC,
  P_TOP_K,
  P_TOP_N,
  P_TOP_P,
  P_TYPICAL_P,
  P_U,
  R_COUNT,
  R_EZ,
  R_MASS,
  R_MAX,
  R_RAW_MASS,
  R_RAW_MAX,
  R_RAW_Z,
  R_STATUS,
  R_TOKEN,
  R_TOP_COUNT,
  R_Z,
  S_ALL_MASKED,
  S_BAD_BIAS,
  S_BAD_PROB,
  S_INVALID,
  S_OK,
  S_RAW_INVALID,
  setF32,
  setF64,
  setI32,
} from './params';
import { argmax, filterMax, filterMinP, maxPass, prepareTail, unmaskedCount, valid } from './scan';
import { buildTopK, cutMass, cutTopP, cutTypical, padList, resetRules, topCandidates } from './select';
import { drawBlocks, expStore, expSum, sumEZ, writeProbsDense } from './softmax';

export { C1, C2, C3, C4, C5, EXP_CUTOFF, L3, L5, L7, L9, LN2_HI, LN2_LO, ROUNDER } from './exp';
export {
  BLOCK,
  bytesFor,
  configure,
  MAX_TOKENS,
  MAX_TOP_N,
  PARAMS,
  PIVOT_SAMPLE,
  SMALL_RANK,
  SMALL_SET,
  SORT_MAX,
  TOP,
  VIEW,
} from './layout';
export {
  F_ENTROPY,
  F_MASK,
  F_PROBS,
  F_RAW,
  F_TOP,
  P_BIAS_COUNT,
  P_C,
  P_C64,
  P_FLAGS,
  P_FREQUENCY,
  P_HISTORY_COUNT,
  P_MIN_P,
  P_MIN_P_Z,
  P_N,
  P_PRESENCE,
  P_REPETITION,
  P_SRC,
  P_TOP_K,
  P_TOP_N,
  P_TOP_P,
  P_TYPICAL_P,
  P_U,
  R_COUNT,
  R_EZ,
  R_MASS,
  R_MAX,
  R_RAW_MASS,
  R_RAW_MAX,
  R_RAW_Z,
  R_STATUS,
  R_TOKEN,
  R_TOP_COUNT,
  R_Z,
  S_ALL_MASKED,
  S_BAD_BIAS,
  S_BAD_PROB,
  S_INVALID,
  S_OK,
  S_RAW_INVALID,
} from './params';
export { BAND, KEEP_ALL, ONE_BITS } from './select';

/** 1 in the SIMD build, 0 in the scalar build. */
export function simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

export function biasIdsPtr(): usize {
  return BIAS_IDS;
}
export function biasValsPtr(): usize {
  return BIAS_VALS;
}
export function historyPtr(): usize {
  return HISTORY;
}
export function maskPtr(): usize {
  return MASK;
}
/** Where the host copies logits that are not in a view. */
export function inputPtr(): usize {
  return INPUT;
}
/** Where a probs() run leaves its n results. */
export function outputPtr(): usize {
  return XL;
}

import { BIAS_IDS, BIAS_VALS, HISTORY, MASK } from './layout';

/** What run() computes. */
export const MODE_DRAW: i32 = 0; // R_TOKEN (and R_Z, R_MASS; R_EZ, TOP, raw results if asked)
export const MODE_PROBS: i32 = 1; // the distribution at XL[0 .. n)
export const MODE_STATS: i32 = 2; // R_MASS, R_EZ, R_COUNT (unmasked), R_MAX at the given c: for dynamic temperature

/**
 * The power of two to scale the logits by before (x - max)·c, or 1. A huge temperature (c below
 * C_HUGE_T): (x - max) could overflow for logits near the float32 limit, so halve. A tiny one
 * (c64, log2(e)/T, past the float32 range, so c was clamped): gaps between tiny logits would
 * vanish, so scale up as far as the largest logit allows (c64/s then fits; a largest logit too
 * big to scale means every gap already gives e = 0 with the clamped c). A tiny largest logit:
 * differences could be subnormal, which x86 computes hundreds of times slower.
 */
function scaleFor(c: f32, c64: f64, m: f32): f32 {
  if (c < C_HUGE_T) return 0.5;
  if (c64 > F32.MAX_VALUE) {
    const k = min<i32>(<i32>((reinterpret<u64>(c64) >> 52) & 0x7ff) - 1023 - 126, 126);
    const s = reinterpret<f32>((k + 127) << 23);
    return <f64>abs<f32>(m) * <f64>s <= F32.MAX_VALUE ? s : 1;
  }
  if (!(abs<f32>(m) < M_TINY)) return 1;
  // Lift by 2^64, or as far as c / s stays a normal float32 (a huge temperature: c is tiny).
  const k = min<i32>(64, <i32>((reinterpret<u64>(c64) >> 52) & 0x7ff) - 1023 + 126);
  return k > 0 ? reinterpret<f32>((k + 127) << 23) : 1;
}

/** Rescale when the temperature is this high (c below it): (x - max) could overflow. */
export const C_HUGE_T: f32 = 7.52316384526264e-37; // 2^-120
/** Rescale when the largest logit is this small: differences could be subnormal, which
 *  x86 computes hundreds of times slower. */
export const M_TINY: f32 = 7.888609052210118e-31; // 2^-100

export function run(mode: i32): i32 {
  const n = getI32(P_N);
  const src = <usize>getI32(P_SRC);
  const flags = getI32(P_FLAGS);
  let x = src;
  if (flags & (F_MASK | F_PROBS)) {
    if (!materialize(src, n, flags)) return finish(flags & F_PROBS ? S_BAD_PROB : S_INVALID, badIndex);
    x = STAGE;
  }
  // The logits themselves (a view, or the host's copy) are edited in place and restored: a
  // call never changes them, so the caller's array — and a second run over the same input —
  // reads the same. STAGE is the kernels' own.
  const undo = x == src;
  let status = edit(x, n, undo) ? pipeline(x, n, mode, flags) : S_BAD_BIAS;
  if (undo) restore(x);
  if (status == S_OK && flags & F_RAW) status = raw(src, n, flags);
  return finish(status, status == S_BAD_BIAS ? badEdit : -1);
}

function finish(status: i32, token: i32): i32 {
  setI32(R_STATUS, status);
  if (status != S_OK) setI32(R_TOKEN, token);
  return status;
}

function pipeline(x: usize, n: i32, mode: i32, flags: i32): i32 {
  let c = getF32(P_C);
  prepareTail(x, n);
  if (c == 0) return greedy(x, n, mode, flags);
  const topK = getI32(P_TOP_K),
    topP = getF64(P_TOP_P),
    minP = getF32(P_MIN_P),
    typical = getF64(P_TYPICAL_P);
  const listed = mode != MODE_STATS && ((topK > 0 && topK < n) || (minP > 0 && topP >= 1));
  let len = n;
  let m: f32;
  if (!listed) m = maxPass(x, n);
  else if (topK > 0 && topK < n) {
    m = maxPass(x, n);
    len = buildTopK(x, n, topK);
  } else {
    len = filterMinP(x, n, c, getF32(P_MIN_P_Z));
    padList(len);
    m = filterMax;
  }
  if (!valid) return S_INVALID;
  if (m == -Infinity) return S_ALL_MASKED;
  // Extreme scales: rewrite the logits times an exact power of two s, and divide c by it.
  const s = scaleFor(c, getF64(P_C64), m);
  if (s != 1) {
    if (listed) {
      for (let j = 0; j < len; j++) store<f32>(XL + ((<usize>j) << 2), load<f32>(XL + ((<usize>j) << 2)) * s);
    } else {
      rescale(x, n, s);
      x = STAGE;
      prepareTail(x, n);
      maxPass(x, n);
    }
    m *= s;
    c = s == 0.5 ? c * 2 : <f32>min<f64>(getF64(P_C64) / <f64>s, F32.MAX_VALUE);
  }
  setF32(R_MAX, m);

  if (mode == MODE_STATS) {
    const total = expSum(x, n, m, c, true);
    setF64(R_MASS, total);
    setF64(R_EZ, sumEZ);
    setI32(R_COUNT, unmaskedCount(x, n));
    return S_OK;
  }

  if (!listed && topP >= 1 && typical >= 1) {
    // No truncation: the block masses are all the draw needs.
    const total = expSum(x, n, m, c, (flags & F_ENTROPY) != 0);
    setF64(R_MASS, total);
    setF64(R_EZ, sumEZ);
    if (mode == MODE_DRAW) {
      const t = drawBlocks(x, n, m, c, getF64(P_U) * total);
      setI32(R_TOKEN, t);
      setF32(R_Z, (load<f32>(x + ((<usize>t) << 2)) - m) * c);
    } else writeProbsDense(x, n, m, c, total);
    if (flags & F_TOP) setI32(R_TOP_COUNT, topDense(x, n, m, c, getI32(P_TOP_N)));
    return S_OK;
  }

  // Truncation: e (and z) of every position, then a rule per stage; the kept set is what
  // every rule keeps, and its mass is the last stage's own (or summed when min-p came last).
  const v = listed ? XL : x;
  const needZ = typical < 1 || (flags & (F_ENTROPY | F_TOP)) != 0;
  let mass = expStore(v, len, listed, m, c, needZ);
  resetRules(minP);
  if (topP < 1) {
    cutTopP(len, topP * mass, mass);
    mass = cutMass;
  }
  if (minP > 0 || typical < 1) mass = keptMass(len);
  if (typical < 1) {
    // Locally typical: keep the tokens whose -ln p is closest to the entropy, that is whose
    // z is closest to the mean z of the distribution (Σ e·z / Σ e) — no logarithm needed.
    cutTypical(len, <f32>(keptEZ(len) / mass), typical * mass, mass);
    mass = cutMass;
  }
  setF64(R_MASS, mass);
  if (flags & F_ENTROPY) setF64(R_EZ, keptEZ(len));
  if (mode == MODE_DRAW) {
    const i = drawKept(len, getF64(P_U) * mass);
    setI32(R_TOKEN, listed ? load<i32>(LIST + ((<usize>i) << 2)) : i);
    setF32(R_Z, (load<f32>(v + ((<usize>i) << 2)) - m) * c);
  } else writeProbsKept(len, listed, n, mass);
  if (flags & F_TOP) setI32(R_TOP_COUNT, keptTop(len, listed, getI32(P_TOP_N), AI, AK, AM));
  return S_OK;
}

function greedy(x: usize, n: i32, mode: i32, flags: i32): i32 {
  const t = argmax(x, n);
  if (!valid) return S_INVALID;
  if (t < 0) return S_ALL_MASKED;
  setI32(R_TOKEN, t);
  setF32(R_Z, 0);
  setF64(R_MASS, 1);
  setF64(R_EZ, 0);
  setI32(R_COUNT, 1);
  setF32(R_MAX, load<f32>(x + ((<usize>t) << 2)));
  if (mode == MODE_PROBS) {
    memory.fill(XL, 0, (<usize>n) << 2);
    store<f32>(XL + ((<usize>t) << 2), 1);
  }
  if (flags & F_TOP) {
    store<i32>(TOP, t);
    store<f32>(TOP, 0, 4);
    setI32(R_TOP_COUNT, getI32(P_TOP_N) > 0 ? 1 : 0);
  }
  return S_OK;
}

/**
 * TOP ← the `want` tokens of x with the largest z = (x - m)·c, ordered by z then token;
 * returns how many (BMAX from maxPass over x).
 */
function topDense(x: usize, n: i32, m: f32, c: f32, want: i32): i32 {
  if (want <= 0) return 0;
  if (want > MAX_TOP_N) want = MAX_TOP_N;
  const count = topCandidates(x, n, want, m, c);
  listedZ(count, m, c, AK);
  return topPairs(LIST, AK, count, want, AM);
}

/** Results under the untouched logits at temperature 1 (src read again, after restore()). */
function raw(src: usize, n: i32, flags: i32): i32 {
  let x = src;
  if (flags & F_PROBS) {
    materialize(src, n, F_PROBS);
    x = STAGE;
  }
  prepareTail(x, n);
  const m = maxPass(x, n);
  if (!valid || m == -Infinity) return S_RAW_INVALID;
  const c = <f32>Math.LOG2E;
  setF64(R_RAW_MASS, expSum(x, n, m, c, false));
  setF32(R_RAW_MAX, m);
  setF32(R_RAW_Z, (load<f32>(x + ((<usize>getI32(R_TOKEN)) << 2)) - m) * c);
  if (getI32(P_TOP_N) > 0) setI32(R_TOP_COUNT, topDense(x, n, m, c, getI32(P_TOP_N)));
  return S_OK;
}

export { getF32, getF64 };
