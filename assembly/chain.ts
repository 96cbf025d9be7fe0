// The chain: after the edits, the stages run in the order the host listed (P_ORDER), over one
// set of candidates and one kept-set record (kept.ts), then the draw. A stage works in one of
// two domains:
//  - on the logits: top-k, and min-p while no stage before it needed masses, narrow a list of
//    candidates (LIST/XL) before any exponential is taken — most of a vocabulary is never
//    exponentiated;
//  - on the distribution: from the first stage that needs masses (top-p, typical-p), e = 2^z
//    is computed once over the candidates, and each stage tightens the kept set.
// A stage that needs logits again after that — a temperature after a truncation (llama.cpp's
// order), or top-k after top-p — lists the kept set as new candidates and carries on there.
import {
  F_ENTROPY,
  F_TOP,
  MODE_DRAW,
  MODE_PROB,
  MODE_PROBS,
  P_TOKEN,
  P_TOP_N,
  P_U,
  R_EZ,
  R_MASS,
  R_PROB,
  R_TEMPERATURE,
  R_TOKEN,
  R_TOP_COUNT,
  R_Z,
  S_ALL_MASKED,
  S_INVALID,
  S_OK,
  ST_MIN_P,
  ST_TEMPERATURE,
  ST_TOP_K,
  ST_TOP_N_SIGMA,
  ST_TOP_P,
  ST_TYPICAL_P,
} from './abi';
import { getF64, getI32, orderAt, orderLength, setF32, setF64, setI32 } from './block';
import { padList } from './candidates';
import { EXP_CUTOFF, exp2s } from './exp';
import { rescale } from './input';
import { banded, keepAtLeast, reset, untouched } from './kept';
import { AI, AK, AM, LIST, STAGE, TOP, XL, Z } from './layout';
import { drawKept, keptCount, keptEZ, keptMass, keptMaxE, keptProb, keptTop, listKept, writeProbsKept } from './mass';
import { argmax, filterMax, maxPass, prepareTail, unmaskedCount, valid } from './scan';
import { drawBlocks, expStore, expSum, sumEZ, writeProbsDense } from './softmax';
import { listMinP, minPFloor } from './stages/min-p';
import {
  C1,
  dynamicTemperature,
  fixedTemperature,
  isDynamic,
  resetTemperature,
  setTemperature,
  c as tc,
  c64 as tc64,
} from './stages/temperature';
import { listTopK, narrowTopK } from './stages/top-k';
import { listTopNSigma, narrowTopNSigma } from './stages/top-n-sigma';
import { cutTopP } from './stages/top-p';
import { cutTypical } from './stages/typical-p';
import { topDense } from './top';

// The candidates: the dense logits x[0 .. n) (position = token) or, when listed, LIST/XL[0 .. len).
let x: usize = 0;
let n = 0;
let listed = false;
let len = 0;
/** Their maximum, known once a pass found it (and, dense, BMAX with it). */
let m: f32 = 0;
let haveMax = false;
/** The working c: the temperature's, divided by `scale` when the logits were rescaled. */
let c: f32 = C1;
/** The exact power of two the candidates' logits were multiplied by (1: none). */
let scale: f32 = 1;

/** Runs the chain over the edited logits x0[0 .. n0); returns a status (abi.ts S_*). */
export function runChain(x0: usize, n0: i32, mode: i32, flags: i32): i32 {
  x = x0;
  n = n0;
  listed = false;
  len = n0;
  haveMax = false;
  scale = 1;
  prepareTail(x, n);
  resetTemperature();
  c = C1;
  setF64(R_TEMPERATURE, 1);
  // The exact min-p floor of a min-p listed on the logits, applied in the distribution's domain.
  let floorPending: f32 = 0;
  const stages = orderLength();
  let j = 0;
  for (; j < stages; j++) {
    const id = orderAt(j);
    if (id == ST_TEMPERATURE) {
      // The floor holds at this c: apply it to the list before c changes.
      floorPending = settle(floorPending);
      let t = fixedTemperature();
      if (isDynamic()) {
        const status = findMax();
        if (status != S_OK) return status;
        t = listed ? listedTemperature() : denseTemperature();
      }
      setTemperature(t);
      setF64(R_TEMPERATURE, t);
      c = tc;
      if (t == 0) return listed ? greedyListed(mode, flags) : greedyDense(mode, flags);
      continue;
    }
    if (onLogits(id)) {
      // top-nσ measures the candidates: they must be min-p's exact survivors first.
      if (id != ST_TOP_K) floorPending = settle(floorPending);
      if (listed) len = narrow(id, len);
      else {
        const status = findMax();
        if (status != S_OK) return status;
        len = id == ST_TOP_K ? listTopK(x, n) : listTopNSigma(x, n, m);
        listed = true;
      }
      continue;
    }
    if (id == ST_MIN_P) {
      if (!listed) {
        len = listMinP(x, n, c);
        padList(len);
        m = filterMax;
        haveMax = true;
        listed = true;
        if (!valid) return S_INVALID;
        if (m == -Infinity) return S_ALL_MASKED;
      }
      floorPending = max<f32>(floorPending, minPFloor());
      continue;
    }
    break; // a stage that needs the distribution's masses
  }
  const status = findMax();
  if (status != S_OK) return status;
  scaleCandidates();
  if (j == stages && !listed) return untruncated(mode, flags);

  let v = listed ? XL : x;
  let mass = expStore(v, len, listed, m, c, needsZ(j, flags));
  reset(floorPending);
  // Whether `mass` is the kept set's (a floor invalidates it until keptMass() sums it again).
  let massValid = untouched;
  for (; j < stages; j++) {
    const id = orderAt(j);
    if (id == ST_TOP_P) {
      if (!massValid) mass = keptMass(len);
      mass = cutTopP(len, mass);
      massValid = true;
      continue;
    }
    if (id == ST_TYPICAL_P) {
      mass = keptMass(len);
      mass = cutTypical(len, mass);
      massValid = true;
      continue;
    }
    if (id == ST_MIN_P) {
      // p ≥ minP·p_max: p_max is the largest kept e, 1 unless a band dropped the maximum.
      if (keepAtLeast(minPFloor() * (banded ? keptMaxE(len) : 1))) massValid = false;
      continue;
    }
    // A stage on the logits (temperature, top-k): the kept set becomes the candidates.
    if (id == ST_TEMPERATURE) {
      let t = fixedTemperature();
      if (isDynamic()) {
        if (!massValid) mass = keptMass(len);
        t = dynamicTemperature(mass, keptEZ(len), keptCount(len));
      }
      setTemperature(t);
      setF64(R_TEMPERATURE, t);
    }
    len = listKept(len, listed, v, 1 / scale);
    listed = true;
    scale = 1;
    padList(len);
    m = listMax();
    if (id != ST_TEMPERATURE) len = narrow(id, len);
    c = tc;
    if (c == 0) return greedyListed(mode, flags);
    scaleCandidates();
    v = XL;
    mass = expStore(v, len, true, m, c, needsZ(j + 1, flags));
    reset(0);
    massValid = true;
  }
  if (!massValid) mass = keptMass(len);

  setF64(R_MASS, mass);
  if (flags & F_ENTROPY) setF64(R_EZ, keptEZ(len));
  if (mode == MODE_DRAW) {
    const i = drawKept(len, getF64(P_U) * mass);
    setI32(R_TOKEN, listed ? load<i32>(LIST + ((<usize>i) << 2)) : i);
    setF32(R_Z, (load<f32>(v + ((<usize>i) << 2)) - m) * c);
  } else if (mode == MODE_PROB) setF32(R_PROB, keptProb(len, listed, getI32(P_TOKEN), mass));
  else writeProbsKept(len, listed, n, mass);
  if (flags & F_TOP) setI32(R_TOP_COUNT, keptTop(len, listed, getI32(P_TOP_N), AI, AK, AM));
  return S_OK;
}

/** Whether a stage cuts on the logits themselves (the temperature aside). */
function onLogits(id: i32): bool {
  return id == ST_TOP_K || id == ST_TOP_N_SIGMA;
}

/** A cut on the logits of the `count` listed candidates (maximum m); returns how many stay. */
function narrow(id: i32, count: i32): i32 {
  return id == ST_TOP_K ? narrowTopK(count) : narrowTopNSigma(count, m);
}

/** Applies a pending min-p floor to the listed candidates; returns the floor now pending (0). */
function settle(floor: f32): f32 {
  if (listed && floor > 0) len = keepAboveFloor(floor);
  return 0;
}

/** The dense candidates' maximum (and BMAX), unless known; a status for invalid or all-masked
 *  logits. */
function findMax(): i32 {
  if (!haveMax) {
    m = maxPass(x, n);
    haveMax = true;
  }
  if (!valid) return S_INVALID;
  if (m == -Infinity) return S_ALL_MASKED;
  return S_OK;
}

/** Whether a stage from the j-th on, or the results asked for, read z. */
function needsZ(j: i32, flags: i32): bool {
  if (flags & (F_ENTROPY | F_TOP)) return true;
  for (let k = j; k < orderLength(); k++) {
    const id = orderAt(k);
    if (id == ST_TYPICAL_P || (id == ST_TEMPERATURE && isDynamic())) return true;
  }
  return false;
}

/** With no truncation, the block masses are all the draw needs. */
function untruncated(mode: i32, flags: i32): i32 {
  const total = expSum(x, n, m, c, (flags & F_ENTROPY) != 0);
  setF64(R_MASS, total);
  setF64(R_EZ, sumEZ);
  if (mode == MODE_DRAW) {
    const t = drawBlocks(x, n, m, c, getF64(P_U) * total);
    setI32(R_TOKEN, t);
    setF32(R_Z, (load<f32>(x + ((<usize>t) << 2)) - m) * c);
  } else if (mode == MODE_PROB) {
    const e = exp2s((load<f32>(x + ((<usize>getI32(P_TOKEN)) << 2)) - m) * c);
    setF32(R_PROB, <f32>(<f64>e / total));
  } else writeProbsDense(x, n, m, c, total);
  if (flags & F_TOP) setI32(R_TOP_COUNT, topDense(x, n, m, c, getI32(P_TOP_N), EXP_CUTOFF));
  return S_OK;
}

// ---- temperature 0 ----------------------------------------------------------------------------

function greedyDense(mode: i32, flags: i32): i32 {
  const t = argmax(x, n);
  if (!valid) return S_INVALID;
  if (t < 0) return S_ALL_MASKED;
  return greedyResult(t, mode, flags);
}

/** The argmax of the listed candidates (ascending tokens: the first maximum is the lowest). */
function greedyListed(mode: i32, flags: i32): i32 {
  let at = 0;
  let top = load<f32>(XL);
  for (let j = 1; j < len; j++) {
    const v = load<f32>(XL + ((<usize>j) << 2));
    if (v > top) {
      top = v;
      at = j;
    }
  }
  return greedyResult(load<i32>(LIST + ((<usize>at) << 2)), mode, flags);
}

function greedyResult(t: i32, mode: i32, flags: i32): i32 {
  setI32(R_TOKEN, t);
  setF32(R_Z, 0);
  setF64(R_MASS, 1);
  setF64(R_EZ, 0);
  if (mode == MODE_PROBS) {
    memory.fill(XL, 0, (<usize>n) << 2);
    store<f32>(XL + ((<usize>t) << 2), 1);
  }
  if (mode == MODE_PROB) setF32(R_PROB, getI32(P_TOKEN) == t ? 1 : 0);
  if (flags & F_TOP) {
    store<i32>(TOP, t);
    store<f32>(TOP, 0, 4);
    setI32(R_TOP_COUNT, getI32(P_TOP_N) > 0 ? 1 : 0);
  }
  return S_OK;
}

// ---- dynamic temperature -----------------------------------------------------------------------

/** Dynamic temperature over the dense logits: the entropy at T = 1 of all of them, V′ the
 *  unmasked ones. An extreme scale is measured on a rescaled copy (Z), x left as it is. */
function denseTemperature(): f64 {
  const s = scaleFor(C1, Math.LOG2E, m);
  let y = x,
    my = m,
    cy = C1;
  if (s != 1) {
    rescale(Z, x, n, s);
    prepareTail(Z, n);
    maxPass(Z, n);
    y = Z;
    my = m * s;
    cy = <f32>min<f64>(Math.LOG2E / <f64>s, F32.MAX_VALUE);
  }
  const mass = expSum(y, n, my, cy, true);
  const t = dynamicTemperature(mass, sumEZ, unmaskedCount(y, n));
  if (s != 1) {
    prepareTail(x, n);
    maxPass(x, n);
  }
  return t;
}

/** Dynamic temperature over the listed candidates: their entropy at T = 1, V′ how many. */
function listedTemperature(): f64 {
  const s = scaleFor(C1, Math.LOG2E, m);
  if (s != 1) scaleList(s);
  const mass = expStore(XL, len, true, m * s, s != 1 ? <f32>min<f64>(Math.LOG2E / <f64>s, F32.MAX_VALUE) : C1, true);
  reset(0);
  const t = dynamicTemperature(mass, keptEZ(len), len);
  if (s != 1) scaleList(1 / s);
  return t;
}

// ---- candidates -------------------------------------------------------------------------------

/** The listed logits with e ≥ floor at the current c, in order; returns how many. */
function keepAboveFloor(floor: f32): i32 {
  let w = 0;
  for (let j = 0; j < len; j++) {
    const v = load<f32>(XL + ((<usize>j) << 2));
    if (exp2s((v - m) * c) >= floor) {
      store<i32>(LIST + ((<usize>w) << 2), load<i32>(LIST + ((<usize>j) << 2)));
      store<f32>(XL + ((<usize>w) << 2), v);
      w++;
    }
  }
  padList(w);
  return w;
}

function listMax(): f32 {
  let top: f32 = -Infinity;
  for (let j = 0; j < len; j++) top = max<f32>(top, load<f32>(XL + ((<usize>j) << 2)));
  return top;
}

function scaleList(s: f32): void {
  for (let j = 0; j < len; j++) store<f32>(XL + ((<usize>j) << 2), load<f32>(XL + ((<usize>j) << 2)) * s);
}

/** Extreme scales: rewrite the candidates times an exact power of two s, and divide c by it. */
function scaleCandidates(): void {
  const s = scaleFor(c, tc64, m);
  if (s == 1) return;
  if (listed) scaleList(s);
  else {
    rescale(STAGE, x, n, s);
    x = STAGE;
    prepareTail(x, n);
    maxPass(x, n);
  }
  m *= s;
  c = s == 0.5 ? c * 2 : <f32>min<f64>(tc64 / <f64>s, F32.MAX_VALUE);
  scale = s;
}

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
const C_HUGE_T: f32 = 7.52316384526264e-37; // 2^-120
/** Rescale when the largest logit is this small: differences could be subnormal, which
 *  x86 computes hundreds of times slower. */
const M_TINY: f32 = 7.888609052210118e-31; // 2^-100
