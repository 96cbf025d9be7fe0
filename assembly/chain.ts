// The chain: after the edits, the stages run in the order the host listed (P_ORDER), over one
// set of candidates and one kept-set record (kept.ts), then the draw. A stage works in one of
// two domains:
//  - on the logits: top-k, and min-p while no stage before it needed masses, narrow a list of
//    candidates (LIST/XL) before any exponential is taken — most of a vocabulary is never
//    exponentiated;
//  - on the distribution: from the first stage that needs masses (top-p, typical-p, ε, η,
//    p-less, XTC), e = 2^z is computed once over the candidates, and each stage tightens the
//    kept set (every truncation keeping at least minKeep, stages/min-keep.ts).
// XTC runs only when the call's coin says so; over the dense logits with nothing after it but a
// temperature, it lists the tokens it removes instead (stages/xtc.ts).
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
  ST_ADAPTIVE_P,
  ST_EPSILON,
  ST_ETA,
  ST_MIN_P,
  ST_MIROSTAT,
  ST_P_LESS,
  ST_TEMPERATURE,
  ST_TOP_K,
  ST_TOP_N_SIGMA,
  ST_TOP_P,
  ST_TYPICAL_P,
  ST_XTC,
} from './abi';
import { getF64, getI32, orderAt, orderLength, setF32, setF64, setI32 } from './block';
import { listAtLeast, padList } from './candidates';
import { EXP_CUTOFF, exp2s } from './exp';
import { cutZ } from './floor';
import { rescale } from './input';
import { bandCenter, banded, capped, keepAtLeast, reset, saveRule, untouched } from './kept';
import { AI, AK, AM, LIST, STAGE, TOP, XL, Z } from './layout';
import {
  drawKept,
  keptEZ,
  keptFrom,
  keptMass,
  keptMaxE,
  keptProb,
  keptSquares,
  keptTop,
  listKept,
  writeProbsKept,
} from './mass';
import { argmax, filterMax, logitBound, maxPass, prepareTail, trustLogits, unmaskedCount, valid } from './scan';
import { denseTotal, drawBlocks, expStore, expSum, forgetSums, sumEE, sumEZ, writeProbsDense } from './softmax';
import { adaptiveDrawn, reshapeAdaptive } from './stages/adaptive-p';
import { epsilonCut } from './stages/epsilon';
import { etaCut } from './stages/eta';
import { holdAtLeast, minKeep } from './stages/min-keep';
import { listMinP, minPCut } from './stages/min-p';
import { keepMirostat, listMirostat, mirostatDrawn } from './stages/mirostat';
import { pLessCut } from './stages/p-less';
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
import { listTopK, narrowTopK, topK } from './stages/top-k';
import { listTopNSigma, narrowTopNSigma } from './stages/top-n-sigma';
import { cutTopP } from './stages/top-p';
import { cutTypical } from './stages/typical-p';
import {
  banRemoved,
  clearRemoved,
  cutXtc,
  drawDenseKept,
  keptDenseMass,
  keptFlushed,
  keptTopE,
  removeDense,
  removedCount,
  writeProbsDenseKept,
  xtcApplies,
} from './stages/xtc';
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

/** Whether the chain can start from candidates already listed (runChain's `count`): every
 *  stage but mirostat, which lists its own from the dense logits. */
export function startsOnList(): bool {
  const stages = orderLength();
  return stages == 0 || orderAt(stages - 1) != ST_MIROSTAT;
}

/** Whether the chain is greedy from its first stage (a fixed temperature 0): all it reads of
 *  the logits is their argmax. */
export function greedyFirst(): bool {
  return orderLength() > 0 && orderAt(0) == ST_TEMPERATURE && !isDynamic() && fixedTemperature() == 0;
}

/** Runs the chain over the edited logits x0[0 .. n0) — or, when count ≥ 0, over the count
 *  candidates listed in LIST/XL, the rest being masked; returns a status (abi.ts S_*). */
export function runChain(x0: usize, n0: i32, mode: i32, flags: i32, count: i32): i32 {
  x = x0;
  n = n0;
  listed = count >= 0;
  len = listed ? count : n0;
  haveMax = listed;
  scale = 1;
  if (listed) {
    if (count == 0) return S_ALL_MASKED;
    m = listMax();
    trustLogits();
  }
  prepareTail(x, n);
  resetTemperature();
  c = C1;
  setF64(R_TEMPERATURE, 1);
  clearRemoved();
  forgetSums();
  // The floor of a floor stage that listed its candidates on the logits, applied in the
  // distribution's domain (and its cutZ, for the tokens whose e is flushed: floor.ts).
  let floorPending: f32 = 0;
  let zPending: f64 = -Infinity;
  const stages = orderLength();
  let j = 0;
  for (; j < stages; j++) {
    const id = orderAt(j);
    if (id == ST_TEMPERATURE) {
      // The floor holds at this c: apply it to the list before c changes.
      floorPending = settle(floorPending, zPending);
      zPending = -Infinity;
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
      if (id != ST_TOP_K) {
        floorPending = settle(floorPending, zPending);
        zPending = -Infinity;
      }
      if (listed) len = narrow(id, len);
      else if (id != ST_TOP_K || topK() < n) {
        const status = findMax();
        if (status != S_OK) return status;
        len = id == ST_TOP_K ? listTopK(x, n) : listTopNSigma(x, n, m);
        listed = true;
      }
      continue;
    }
    if (id == ST_XTC) {
      if (!xtcApplies()) continue; // the coin left it out
      if (!listed && removeDenseXtc(j, mode, flags)) continue;
      break;
    }
    if ((id == ST_EPSILON || id == ST_ETA || id == ST_P_LESS) && !listed && minKeep() <= 1) {
      // First on the dense logits: a floor known from one summing pass (no stored e), which
      // lists its few survivors, as min-p does; the exact test is the floor, applied later.
      const status = findMax();
      if (status != S_OK) return status;
      if (scaleFor(c, tc64, m) == 1) {
        const least = floorCut(id, expSum(x, n, m, c, id == ST_ETA, id == ST_P_LESS), true);
        if (cutZ == -Infinity) continue; // every token stays
        // Above 1 not even the most likely token reaches ε: the kept set keeps it.
        if (least <= 1) {
          len = listAtLeast(x, n, logitBound(m, c, <f32>(cutZ - 1)));
          listed = true;
          floorPending = max<f32>(floorPending, least);
          zPending = max<f64>(zPending, cutZ);
          continue;
        }
      }
      break;
    }
    // min-p's list holds its survivors, not minKeep more: with minKeep, it cuts the kept set.
    if (id == ST_MIN_P && minKeep() <= 1) {
      if (!listed) {
        len = listMinP(x, n, c);
        padList(len);
        m = filterMax;
        haveMax = true;
        listed = true;
        if (!valid) return S_INVALID;
        if (m == -Infinity) return S_ALL_MASKED;
      }
      floorPending = max<f32>(floorPending, floorCut(ST_MIN_P, 0, true));
      zPending = max<f64>(zPending, cutZ);
      continue;
    }
    break; // a stage that needs the distribution's masses
  }
  const status = findMax();
  if (status != S_OK) return status;
  scaleCandidates();
  if (j == stages && !listed) return untruncated(mode, flags);
  if (orderAt(j) == ST_MIROSTAT) {
    // Mirostat runs after the temperature alone: it lists its candidates on the dense logits.
    const count = listMirostat(x, n, m, c, scale);
    if (count == -2) return untruncated(mode, flags);
    if (count >= 0) {
      len = count;
      listed = true;
    }
  }

  let v = listed ? XL : x;
  let mass = expStore(v, len, listed, m, c, needsZ(j, flags));
  keptFrom(v, m, c);
  reset(floorPending, zPending);
  // Whether `mass` is the kept set's (a floor invalidates it until keptMass() sums it again).
  let massValid = untouched;
  // adaptive-p: the kept mass before its transform, which its state update divides by.
  let before: f64 = 0;
  for (; j < stages; j++) {
    const id = orderAt(j);
    if (id == ST_MIROSTAT) {
      // Nothing truncates before it: `mass` is that of every candidate.
      if (keepMirostat(len, mass)) massValid = false;
      continue;
    }
    if (id == ST_ADAPTIVE_P) {
      if (!massValid) mass = keptMass(len);
      before = mass;
      mass = reshapeAdaptive(v, len, listed, mass);
      massValid = true;
      continue;
    }
    if (id == ST_XTC) {
      if (!xtcApplies()) continue;
      if (!massValid) mass = keptMass(len);
      massValid = true;
      if (!cutXtc(len, mass)) continue;
      massValid = false;
      // Only tokens whose e was flushed remain, or the one XTC keeps lies so far below the maximum
      // it removed that tokens a fraction of its weight below it were flushed (as over the dense
      // logits, untruncated(): there the kept mass decides, here the kept maximum, known without
      // a pass): list them, and measure them from their maximum.
      if (keptFlushed || <f64>keptTopE() < keptExact(len)) {
        len = listKept(len, listed, 1 / scale);
        listed = true;
        scale = 1;
        padList(len);
        m = listMax();
        c = tc;
        v = XL;
        mass = storeList(j + 1, flags);
        massValid = true;
      }
      continue;
    }
    if (id != ST_TEMPERATURE && id != ST_TOP_K && id != ST_TOP_N_SIGMA) {
      // A cut of the kept set, which keeps at least minKeep of what it receives. All but
      // min-p measure the mass it holds (typical-p per block, KMASS).
      if (id == ST_TYPICAL_P || (!massValid && id != ST_MIN_P)) {
        mass = keptMass(len);
        massValid = true;
      }
      saveRule();
      if (id == ST_TOP_P) mass = cutTopP(len, mass);
      else if (id == ST_TYPICAL_P) mass = cutTypical(len, mass);
      else {
        const least = floorCut(id, mass, false);
        if (keepAtLeast(least, cutZ)) massValid = false;
      }
      // ε may keep nothing: every stage keeps at least one token.
      const least = id == ST_EPSILON ? max<i32>(minKeep(), 1) : minKeep();
      if (holdAtLeast(len, least > 1 || id == ST_EPSILON ? least : 0, id == ST_TYPICAL_P, bandCenter))
        massValid = false;
      continue;
    }
    // A stage on the logits (temperature, top-k): the kept set becomes the candidates.
    // Dynamic temperature's V′ counts the tokens listed, flushed ones too, as the reference does.
    const dynamic = id == ST_TEMPERATURE && isDynamic();
    // Once a band or XTC dropped the maximum, the kept e are measured from it, and the entropy's
    // ln(mass) and ln 2·Σez/mass cancel (a true 0 came out 6e-8, which an exponent of 0.25
    // makes 0.02): then the list is measured again from its own maximum.
    const recentre = dynamic && (banded || capped);
    let ez: f64 = 0;
    if (dynamic && !recentre) {
      if (!massValid) mass = keptMass(len);
      ez = keptEZ(len);
    }
    len = listKept(len, listed, 1 / scale);
    listed = true;
    scale = 1;
    padList(len);
    m = listMax();
    if (id == ST_TEMPERATURE) {
      const t = !dynamic ? fixedTemperature() : recentre ? listedTemperature() : dynamicTemperature(mass, ez, len);
      setTemperature(t);
      setF64(R_TEMPERATURE, t);
    }
    if (id != ST_TEMPERATURE) len = narrow(id, len);
    c = tc;
    if (c == 0) return greedyListed(mode, flags);
    v = XL;
    mass = storeList(j + 1, flags);
    massValid = true;
  }
  if (!massValid) mass = keptMass(len);

  setF64(R_MASS, mass);
  if (flags & F_ENTROPY) setF64(R_EZ, keptEZ(len));
  if (mode == MODE_DRAW) {
    const i = drawKept(len, getF64(P_U) * mass);
    setI32(R_TOKEN, listed ? load<i32>(LIST + ((<usize>i) << 2)) : i);
    let z = (load<f32>(v + ((<usize>i) << 2)) - m) * c;
    // A terminal stage's new state. adaptive-p drew from its transform: z is the new one.
    const last = orderAt(stages - 1);
    if (last == ST_MIROSTAT) mirostatDrawn(<f64>exp2s(z), mass);
    else if (last == ST_ADAPTIVE_P) {
      adaptiveDrawn(<f64>exp2s(z) / before);
      z = load<f32>(Z + ((<usize>i) << 2));
    }
    setF32(R_Z, z);
  } else if (mode == MODE_PROB) setF32(R_PROB, keptProb(len, listed, getI32(P_TOKEN), mass));
  else writeProbsKept(len, listed, n, mass);
  if (flags & F_TOP) setI32(R_TOP_COUNT, keptTop(len, listed, getI32(P_TOP_N), AI, AK, AM));
  return S_OK;
}

/** The listed candidates (maximum m) become the kept set, every one kept: rescaled if need
 *  be, their e stored at c; returns their mass. j: the stage after. */
function storeList(j: i32, flags: i32): f64 {
  scaleCandidates();
  const mass = expStore(XL, len, true, m, c, needsZ(j, flags));
  keptFrom(XL, m, c);
  reset(0);
  return mass;
}

/**
 * The floor stages, a row each: stage `id`'s float32 floor on e over the kept set of mass `mass`,
 * and in cutZ what a token whose e was flushed is judged by (floor.ts). `listing`: no kept set
 * yet, the chain still on the logits — its sums are expSum()'s, which summed what the row reads.
 */
function floorCut(id: i32, mass: f64, listing: bool): f32 {
  // min-p: p ≥ minP·p_max, p_max the largest kept e: 1 unless a band or XTC dropped the maximum.
  if (id == ST_MIN_P) return minPCut(listing || !(banded || capped) ? 1 : keptMaxE(len));
  if (id == ST_EPSILON) return epsilonCut(mass);
  if (id == ST_ETA) return etaCut(mass, listing ? sumEZ : keptEZ(len));
  return pLessCut(mass, listing ? sumEE : keptSquares(len));
}

/**
 * XTC over the dense logits when what follows it is at most a fixed, positive temperature and
 * the results are a draw or probs(): lists the tokens it removes, for untruncated() to skip.
 * False (nothing done) where the kept set must take it: more results asked for, minKeep, a
 * greedy or dynamic temperature after it, an extreme scale.
 */
function removeDenseXtc(j: i32, mode: i32, flags: i32): bool {
  if (mode == MODE_PROB || flags & (F_ENTROPY | F_TOP) || minKeep() > 1) return false;
  for (let k = j + 1; k < orderLength(); k++) {
    if (orderAt(k) != ST_TEMPERATURE || isDynamic() || fixedTemperature() == 0) return false;
  }
  if (findMax() != S_OK || scaleFor(c, tc64, m) != 1) return false;
  return removeDense(x, n, m, c, expSum(x, n, m, c, false));
}

/** Whether a stage cuts on the logits themselves (the temperature aside). */
function onLogits(id: i32): bool {
  return id == ST_TOP_K || id == ST_TOP_N_SIGMA;
}

/** A cut on the logits of the `count` listed candidates (maximum m); returns how many stay. */
function narrow(id: i32, count: i32): i32 {
  return id == ST_TOP_K ? narrowTopK(count) : narrowTopNSigma(count, m);
}

/** Applies a pending floor (zFloor its exact log2) to the listed candidates; returns the floor
 *  now pending (0). */
function settle(floor: f32, zFloor: f64): f32 {
  if (listed && floor > 0) len = keepAboveFloor(floor, zFloor);
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
    if (id == ST_TYPICAL_P || id == ST_ETA || (id == ST_TEMPERATURE && isDynamic())) return true;
  }
  return false;
}

/** With no truncation, the block masses are all the draw needs (a pass mirostat or XTC made
 *  may already have summed them) — and, after XTC over the dense logits, the few tokens it
 *  removed. */
function untruncated(mode: i32, flags: i32): i32 {
  const total = denseTotal(x, n, m, c, (flags & F_ENTROPY) != 0);
  if (removedCount > 0) {
    const mass = keptDenseMass(x, n, m, c, total);
    if (!(mass > total * keptExact(n)) && scale == 1) {
      // XTC removed nearly all the mass (a low temperature after it): the difference has lost
      // its bits. Ban the removed tokens and start again from the kept tokens' own maximum.
      banRemoved(x);
      haveMax = false;
      prepareTail(x, n);
      forgetSums();
      const status = findMax();
      if (status != S_OK) return status;
      scaleCandidates();
      return untruncated(mode, flags);
    }
    setF64(R_MASS, mass);
    if (mode == MODE_DRAW) {
      const t = drawDenseKept(x, n, m, c, getF64(P_U) * mass);
      setI32(R_TOKEN, t);
      setF32(R_Z, (load<f32>(x + ((<usize>t) << 2)) - m) * c);
    } else writeProbsDenseKept(x, n, m, c, mass);
    return S_OK;
  }
  setF64(R_MASS, total);
  setF64(R_EZ, sumEZ);
  if (mode == MODE_DRAW) {
    const t = drawBlocks(x, n, m, c, getF64(P_U) * total);
    setI32(R_TOKEN, t);
    const z = (load<f32>(x + ((<usize>t) << 2)) - m) * c;
    setF32(R_Z, z);
    // Mirostat keeping every token comes this way.
    if (orderAt(orderLength() - 1) == ST_MIROSTAT) mirostatDrawn(<f64>exp2s(z), total);
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
  // A terminal stage sees one token of probability 1 (surprise 0), as after llama.cpp's greedy
  // temperature.
  if (mode == MODE_DRAW) {
    const last = orderAt(orderLength() - 1);
    if (last == ST_MIROSTAT) mirostatDrawn(1, 1);
    else if (last == ST_ADAPTIVE_P) adaptiveDrawn(1);
  }
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
  // V′ from the logits as given: the scaling may take a huge negative one to -Infinity.
  const t = dynamicTemperature(mass, sumEZ, unmaskedCount(x, n));
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
function keepAboveFloor(floor: f32, zFloor: f64): i32 {
  // A z below EXP_CUTOFF has e flushed to 0: it is judged by the floor's exact log2.
  let w = 0;
  for (let j = 0; j < len; j++) {
    const v = load<f32>(XL + ((<usize>j) << 2));
    const z = (v - m) * c;
    if (z >= EXP_CUTOFF ? exp2s(z) >= floor : <f64>z >= zFloor) {
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

/** Below this share of the total, XTC's kept mass over the dense logits (the total less the
 *  removed mass, in float64) keeps under 32 good bits: the call bans the removed instead. */
const KEPT_EXACT: f64 = 9.5367431640625e-7; // 2^-20

/** The share of the weight of the maximum XTC removed under which the kept tokens are measured
 *  again from their own maximum, with `count` candidates: KEPT_EXACT, or higher where the tokens
 *  flushed beneath that maximum (each under 2^-53 of it) could hold more than 2^-26 of the kept
 *  mass. With 2^-20 alone, 250,000 tokens 2^-33 below the one XTC kept were all 0 and its
 *  probability 2.3e-5 too high (README: 1.4e-5). */
function keptExact(count: i32): f64 {
  return max<f64>(KEPT_EXACT, <f64>count * 7.450580596923828e-9); // count · 2^-27
}

/** Rescale when the temperature is this high (c below it): (x - max) could overflow. */
const C_HUGE_T: f32 = 7.52316384526264e-37; // 2^-120
/** Rescale when the largest logit is this small: differences could be subnormal, which
 *  x86 computes hundreds of times slower. */
const M_TINY: f32 = 7.888609052210118e-31; // 2^-100
