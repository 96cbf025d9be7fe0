// The softmax pass: e = 2^z with z = (x - m)·c for a block of 64 logits at a time, summed in a
// fixed order so that every backend gets the same bits: position i of a block feeds partial
// sum i & 15 (vector lane i & 3 of accumulator (i >> 2) & 3), in ascending position, in float32;
// the 16 partials are combined as ((a0 + a1) + (a2 + a3)) lane-wise, then the four lanes in
// float64, and block masses are summed in float64. The sums need no histogram and no sort:
// the draw searches the block masses, then one block.
import { EXP_CUTOFF, exp2s, exp2v } from './exp';
import { BCUM, BLOCK, BMASS, BMAX, E, EMAX, TAIL, XL, Z } from './layout';
import { blockAt, blockCount } from './scan';

/** Scratch for the scalar build's 16 partial sums (the SIMD build keeps them in registers). */
const PART = memory.data(64, 16);

/** Mass of one block from its four accumulators. */
export function blockMass(a0: v128, a1: v128, a2: v128, a3: v128): f64 {
  const q = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  return (
    <f64>f32x4.extract_lane(q, 0) +
    <f64>f32x4.extract_lane(q, 1) +
    (<f64>f32x4.extract_lane(q, 2) + <f64>f32x4.extract_lane(q, 3))
  );
}

/** The same combination over PART (scalar build). */
function partLane(l: i32): f32 {
  const at = PART + ((<usize>l) << 2);
  return load<f32>(at) + load<f32>(at, 16) + (load<f32>(at, 32) + load<f32>(at, 48));
}
function partMass(): f64 {
  return <f64>partLane(0) + <f64>partLane(1) + (<f64>partLane(2) + <f64>partLane(3));
}

function clearPart(): void {
  memory.fill(PART, 0, 64);
}

/** True when no logit of block b can give e > 0: its maximum is below the cutoff. */
function deadBlock(b: i32, m: f32, c: f32): bool {
  if (ASC_FEATURE_SIMD) {
    const z = f32x4.mul(f32x4.sub(v128.load(BMAX + ((<usize>b) << 4)), f32x4.splat(m)), f32x4.splat(c));
    return !v128.any_true(f32x4.ge(z, f32x4.splat(EXP_CUTOFF)));
  }
  return (load<f32>(BMAX + ((<usize>b) << 4)) - m) * c < EXP_CUTOFF;
}

/**
 * Whether to skip dead blocks and groups: when a strided sample of the block maxima finds a
 * dead block. On logits where every block lives — LM heads at T ≈ 1, flat logits — the checks
 * cost more than the few polynomials they save; on peaked logits most are skipped.
 */
function sparse(n: i32, m: f32, c: f32): bool {
  const blocks = blockCount(n);
  const step = max<i32>(1, blocks >> 5);
  for (let b = 0; b < blocks; b += step) if (deadBlock(b, m, c)) return true;
  return false;
}

class Group {
  /** Whether any of 16 z values reaches the cutoff, i.e. has e > 0. */
  @inline static live(z0: v128, z1: v128, z2: v128, z3: v128, cut: v128): bool {
    return v128.any_true(
      v128.or(v128.or(f32x4.ge(z0, cut), f32x4.ge(z1, cut)), v128.or(f32x4.ge(z2, cut), f32x4.ge(z3, cut))),
    );
  }
}

function zv(p: usize, vm: v128, vc: v128): v128 {
  return f32x4.mul(f32x4.sub(v128.load(p), vm), vc);
}

/** Set by expSum when asked: Σ e·z over the blocks summed (for the entropy), or Σ e² (for
 *  p-less's collision probability). */
export let sumEZ: f64 = 0;
export let sumEE: f64 = 0;
let cum: f64 = 0;

/** The last expSum() of this run, whose blocks BCUM holds: its logits, maximum, c, whether it
 *  summed the entropy's terms (sumEZ), and its total. forgetSums() starts a run without one. */
let lastX: usize = 0;
let lastN = 0;
let lastM: f32 = 0;
let lastC: f32 = 0;
let lastEntropy: bool = false;
let lastTotal: f64 = 0;

/** A run's logits may be other numbers at the same address: no earlier sum holds for them. */
export function forgetSums(): void {
  lastX = 0;
}

/**
 * expSum(), unless the last one of this run already summed these logits from this maximum at
 * this c (and the entropy's terms, when asked): its BCUM and total then stand. A stage that
 * summed the dense logits to decide (mirostat v2, XTC) thus leaves the draw nothing to redo.
 */
export function denseTotal(x: usize, n: i32, m: f32, c: f32, entropy: bool): f64 {
  if (lastX == x && lastN == n && lastM == m && lastC == c && (lastEntropy || !entropy)) return lastTotal;
  return expSum(x, n, m, c, entropy);
}

/**
 * The mass of every logit of x[0 .. n) (BMAX from maxPass): BCUM[b] ← mass of blocks 0 … b;
 * returns the total. With `entropy`, also sumEZ ← Σ e·z; with `squares`, sumEE ← Σ e².
 * The vector build runs in two legs, like scan.ts: the whole blocks of x, then TAIL.
 */
export function expSum(x: usize, n: i32, m: f32, c: f32, entropy: bool, squares: bool = false): f64 {
  lastX = x;
  lastN = n;
  lastM = m;
  lastC = c;
  lastEntropy = entropy;
  lastTotal = sumLegs(x, n, m, c, entropy, squares);
  return lastTotal;
}

function sumLegs(x: usize, n: i32, m: f32, c: f32, entropy: bool, squares: bool): f64 {
  cum = 0;
  sumEZ = 0;
  sumEE = 0;
  if (ASC_FEATURE_SIMD) {
    const full = n >> 6;
    if (squares) {
      squaresLeg(x, 0, full, m, c);
      if (n & (BLOCK - 1)) squaresLeg(TAIL, full, 1, m, c);
    } else if (entropy) {
      entropyLeg(x, 0, full, m, c);
      if (n & (BLOCK - 1)) entropyLeg(TAIL, full, 1, m, c);
    } else if (sparse(n, m, c)) {
      sparseSumLeg(x, 0, full, m, c);
      if (n & (BLOCK - 1)) sparseSumLeg(TAIL, full, 1, m, c);
    } else {
      denseSumLeg(x, 0, full, m, c);
      if (n & (BLOCK - 1)) denseSumLeg(TAIL, full, 1, m, c);
    }
    return cum;
  }
  const blocks = blockCount(n);
  let ez: f64 = 0;
  for (let b = 0; b < blocks; b++) {
    const p = blockAt(x, n, b);
    if (!deadBlock(b, m, c)) {
      clearPart();
      for (let j = 0; j < BLOCK; j++) {
        const at = PART + ((<usize>(j & 15)) << 2);
        store<f32>(at, load<f32>(at) + exp2s((load<f32>(p + ((<usize>j) << 2)) - m) * c));
      }
      cum += partMass();
      if (entropy || squares) {
        clearPart();
        for (let j = 0; j < BLOCK; j++) {
          const z = (load<f32>(p + ((<usize>j) << 2)) - m) * c;
          const e = exp2s(z);
          const at = PART + ((<usize>(j & 15)) << 2);
          store<f32>(at, load<f32>(at) + e * (squares ? e : max<f32>(z, EXP_CUTOFF)));
        }
        ez += partMass();
      }
    }
    store<f64>(BCUM + ((<usize>b) << 3), cum);
  }
  if (squares) sumEE = ez;
  else sumEZ = ez;
  return cum;
}

/** expSum's loop where (nearly) every block lives: `blocks` blocks from p, the first being
 *  block b, every fourth iteration ending a block. A dead block sums to exactly 0 here too,
 *  so skipping it (sparseSumLeg) or not changes no bit. */
function denseSumLeg(p: usize, b: i32, blocks: i32, m: f32, c: f32): void {
  const vm = f32x4.splat(m),
    vc = f32x4.splat(c),
    zero = f32x4.splat(0);
  let a0 = zero,
    a1 = zero,
    a2 = zero,
    a3 = zero;
  let total = cum;
  const end = p + ((<usize>blocks) << 8);
  let q = p;
  while (q < end) {
    a0 = f32x4.add(a0, exp2v(zv(q, vm, vc)));
    a1 = f32x4.add(a1, exp2v(zv(q + 16, vm, vc)));
    a2 = f32x4.add(a2, exp2v(zv(q + 32, vm, vc)));
    a3 = f32x4.add(a3, exp2v(zv(q + 48, vm, vc)));
    q += 64;
    if (((q - p) & 255) == 0) {
      total += blockMass(a0, a1, a2, a3);
      store<f64>(BCUM + ((<usize>b) << 3), total);
      b++;
      a0 = zero;
      a1 = zero;
      a2 = zero;
      a3 = zero;
    }
  }
  cum = total;
}

/** expSum's loop where many blocks are dead: those are skipped whole, and within the others
 *  sixteen logits whose e would all be 0 skip the polynomial. */
function sparseSumLeg(p: usize, b: i32, blocks: i32, m: f32, c: f32): void {
  Terms.leg(p, b, blocks, m, c, NO_TERMS);
}

/** sparseSumLeg that also sums e·z (z clamped at the cutoff: 0 where e is 0, though z may be
 *  -Infinity there). */
function entropyLeg(p: usize, b: i32, blocks: i32, m: f32, c: f32): void {
  Terms.leg(p, b, blocks, m, c, EZ_TERMS);
}

/** sparseSumLeg that also sums e·e. */
function squaresLeg(p: usize, b: i32, blocks: i32, m: f32, c: f32): void {
  Terms.leg(p, b, blocks, m, c, EE_TERMS);
}

/** What Terms.leg sums besides e. */
const NO_TERMS = 0;
const EZ_TERMS = 1;
const EE_TERMS = 2;

// One loop for the three, each a function of its own with `terms` a constant: chosen per vector
// at run time, both products were computed and one selected, and the entropy's pass took about
// 1.2× its time. Dead blocks are skipped whole; without a second sum, so are groups of sixteen
// logits whose e would all be 0 (with one, the polynomial is the smaller part of the work).
class Terms {
  @inline static leg(p: usize, b: i32, blocks: i32, m: f32, c: f32, terms: i32): void {
    const vm = f32x4.splat(m),
      vc = f32x4.splat(c),
      zero = f32x4.splat(0),
      cut = f32x4.splat(EXP_CUTOFF);
    let a0 = zero,
      a1 = zero,
      a2 = zero,
      a3 = zero;
    let b0 = zero,
      b1 = zero,
      b2 = zero,
      b3 = zero;
    let total = cum,
      more = terms == EE_TERMS ? sumEE : sumEZ;
    const end = p + ((<usize>blocks) << 8);
    let q = p;
    while (q < end) {
      if (((q - p) & 255) == 0 && deadBlock(b, m, c)) {
        store<f64>(BCUM + ((<usize>b) << 3), total);
        b++;
        q += 256;
        continue;
      }
      const z0 = zv(q, vm, vc),
        z1 = zv(q + 16, vm, vc),
        z2 = zv(q + 32, vm, vc),
        z3 = zv(q + 48, vm, vc);
      if (terms != NO_TERMS || Group.live(z0, z1, z2, z3, cut)) {
        const e0 = exp2v(z0),
          e1 = exp2v(z1),
          e2 = exp2v(z2),
          e3 = exp2v(z3);
        a0 = f32x4.add(a0, e0);
        a1 = f32x4.add(a1, e1);
        a2 = f32x4.add(a2, e2);
        a3 = f32x4.add(a3, e3);
        if (terms != NO_TERMS) {
          b0 = f32x4.add(b0, f32x4.mul(e0, terms == EE_TERMS ? e0 : f32x4.pmax(z0, cut)));
          b1 = f32x4.add(b1, f32x4.mul(e1, terms == EE_TERMS ? e1 : f32x4.pmax(z1, cut)));
          b2 = f32x4.add(b2, f32x4.mul(e2, terms == EE_TERMS ? e2 : f32x4.pmax(z2, cut)));
          b3 = f32x4.add(b3, f32x4.mul(e3, terms == EE_TERMS ? e3 : f32x4.pmax(z3, cut)));
        }
      }
      q += 64;
      if (((q - p) & 255) == 0) {
        total += blockMass(a0, a1, a2, a3);
        if (terms != NO_TERMS) more += blockMass(b0, b1, b2, b3);
        store<f64>(BCUM + ((<usize>b) << 3), total);
        b++;
        a0 = zero;
        a1 = zero;
        a2 = zero;
        a3 = zero;
        b0 = zero;
        b1 = zero;
        b2 = zero;
        b3 = zero;
      }
    }
    cum = total;
    if (terms == EE_TERMS) sumEE = more;
    else if (terms == EZ_TERMS) sumEZ = more;
  }
}

/** The token drawn for target = u·total from expSum's block masses: the first block whose
 *  cumulative mass exceeds the target, then its logits in position order. */
export function drawBlocks(x: usize, n: i32, m: f32, c: f32, target: f64): i32 {
  const blocks = blockCount(n);
  let lo = 0,
    hi = blocks - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<f64>(BCUM + ((<usize>mid) << 3)) > target) hi = mid;
    else lo = mid + 1;
  }
  let acc: f64 = lo > 0 ? load<f64>(BCUM + ((<usize>(lo - 1)) << 3)) : 0;
  const p = blockAt(x, n, lo);
  let last = -1;
  for (let j = 0; j < BLOCK; j++) {
    const e = exp2s((load<f32>(p + ((<usize>j) << 2)) - m) * c);
    if (e != 0) {
      acc += <f64>e;
      last = (lo << 6) + j;
      if (acc > target) return last;
    }
  }
  // Float rounding left the scan a hair short of the block's mass: its last token.
  return last;
}

/** XL[0 .. n) ← e/total of every logit (the probs() output without truncation). */
export function writeProbsDense(x: usize, n: i32, m: f32, c: f32, total: f64): void {
  for (let i = 0; i < n; i++) {
    const e = exp2s((load<f32>(x + ((<usize>i) << 2)) - m) * c);
    store<f32>(XL + ((<usize>i) << 2), <f32>(<f64>e / total));
  }
}

/**
 * The softmax pass for the truncating stages: E[i] ← e and, with storeZ, Z[i] ← z for every
 * position of the input, BMASS[b] ← the mass of block b (summed as in expSum; blocks whose
 * every e is 0 are left unwritten, with mass 0); returns the total. The input is x[0 .. n)
 * (dense, BMAX from maxPass) or the listed logits XL[0 .. n) (padded with -Infinity to a whole
 * block).
 */
export function expStore(x: usize, n: i32, listed: bool, m: f32, c: f32, storeZ: bool): f64 {
  const blocks = blockCount(n);
  let total: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    cum = 0;
    if (listed) denseStoreLeg(x, 0, blocks, m, c, storeZ);
    else if (sparse(n, m, c)) {
      const full = n >> 6;
      sparseStoreLeg(x, 0, full, m, c, storeZ);
      if (n & (BLOCK - 1)) sparseStoreLeg(TAIL, full, 1, m, c, storeZ);
    } else {
      const full = n >> 6;
      denseStoreLeg(x, 0, full, m, c, storeZ);
      if (n & (BLOCK - 1)) denseStoreLeg(TAIL, full, 1, m, c, storeZ);
    }
    return cum;
  } else {
    for (let b = 0; b < blocks; b++) {
      if (!listed && deadBlock(b, m, c)) {
        store<f64>(BMASS + ((<usize>b) << 3), 0);
        continue;
      }
      const p = listed ? x + ((<usize>b) << 8) : blockAt(x, n, b);
      clearPart();
      for (let j = 0; j < BLOCK; j++) {
        const i = (b << 6) + j;
        const z = (load<f32>(p + ((<usize>j) << 2)) - m) * c;
        const e = exp2s(z);
        const at = PART + ((<usize>(j & 15)) << 2);
        store<f32>(at, load<f32>(at) + e);
        store<f32>(E + ((<usize>i) << 2), e);
        if (storeZ) store<f32>(Z + ((<usize>i) << 2), z);
      }
      const mass = partMass();
      store<f64>(BMASS + ((<usize>b) << 3), mass);
      total += mass;
    }
  }
  return total;
}

/** expStore's loop, shaped like denseSumLeg (listed input, which has no block maxima, and
 *  logits whose blocks all live). */
function denseStoreLeg(p: usize, b: i32, blocks: i32, m: f32, c: f32, storeZ: bool): void {
  const vm = f32x4.splat(m),
    vc = f32x4.splat(c),
    zero = f32x4.splat(0);
  let top = zero; // the block's lane-wise maximum e (EMAX)
  let a0 = zero,
    a1 = zero,
    a2 = zero,
    a3 = zero;
  let total = cum;
  const end = p + ((<usize>blocks) << 8);
  let q = p;
  let out = (<usize>b) << 8;
  while (q < end) {
    const z0 = zv(q, vm, vc),
      z1 = zv(q + 16, vm, vc),
      z2 = zv(q + 32, vm, vc),
      z3 = zv(q + 48, vm, vc);
    const e0 = exp2v(z0),
      e1 = exp2v(z1),
      e2 = exp2v(z2),
      e3 = exp2v(z3);
    a0 = f32x4.add(a0, e0);
    a1 = f32x4.add(a1, e1);
    a2 = f32x4.add(a2, e2);
    a3 = f32x4.add(a3, e3);
    top = f32x4.pmax(top, f32x4.pmax(f32x4.pmax(e0, e1), f32x4.pmax(e2, e3)));
    Store.four(E + out, e0, e1, e2, e3);
    if (storeZ) Store.four(Z + out, z0, z1, z2, z3);
    q += 64;
    out += 64;
    if (((q - p) & 255) == 0) {
      const mass = blockMass(a0, a1, a2, a3);
      store<f64>(BMASS + ((<usize>b) << 3), mass);
      v128.store(EMAX + ((<usize>b) << 4), top);
      total += mass;
      b++;
      a0 = zero;
      a1 = zero;
      a2 = zero;
      a3 = zero;
      top = zero;
    }
  }
  cum = total;
}

/** expStore's loop, shaped like sparseSumLeg: dead blocks are left unwritten (mass 0), dead
 *  groups written as 0. */
function sparseStoreLeg(p: usize, b: i32, blocks: i32, m: f32, c: f32, storeZ: bool): void {
  const vm = f32x4.splat(m),
    vc = f32x4.splat(c),
    zero = f32x4.splat(0),
    cut = f32x4.splat(EXP_CUTOFF);
  let top = zero; // the block's lane-wise maximum e (EMAX)
  let a0 = zero,
    a1 = zero,
    a2 = zero,
    a3 = zero;
  let total = cum;
  const end = p + ((<usize>blocks) << 8);
  let q = p;
  let out = (<usize>b) << 8;
  while (q < end) {
    if (((q - p) & 255) == 0 && deadBlock(b, m, c)) {
      store<f64>(BMASS + ((<usize>b) << 3), 0);
      v128.store(EMAX + ((<usize>b) << 4), zero);
      b++;
      q += 256;
      out += 256;
      continue;
    }
    const z0 = zv(q, vm, vc),
      z1 = zv(q + 16, vm, vc),
      z2 = zv(q + 32, vm, vc),
      z3 = zv(q + 48, vm, vc);
    if (Group.live(z0, z1, z2, z3, cut)) {
      const e0 = exp2v(z0),
        e1 = exp2v(z1),
        e2 = exp2v(z2),
        e3 = exp2v(z3);
      a0 = f32x4.add(a0, e0);
      a1 = f32x4.add(a1, e1);
      a2 = f32x4.add(a2, e2);
      a3 = f32x4.add(a3, e3);
      top = f32x4.pmax(top, f32x4.pmax(f32x4.pmax(e0, e1), f32x4.pmax(e2, e3)));
      Store.four(E + out, e0, e1, e2, e3);
    } else Store.four(E + out, zero, zero, zero, zero);
    if (storeZ) Store.four(Z + out, z0, z1, z2, z3);
    q += 64;
    out += 64;
    if (((q - p) & 255) == 0) {
      const mass = blockMass(a0, a1, a2, a3);
      store<f64>(BMASS + ((<usize>b) << 3), mass);
      v128.store(EMAX + ((<usize>b) << 4), top);
      total += mass;
      b++;
      a0 = zero;
      a1 = zero;
      a2 = zero;
      a3 = zero;
      top = zero;
    }
  }
  cum = total;
}

class Store {
  @inline static four(at: usize, v0: v128, v1: v128, v2: v128, v3: v128): void {
    v128.store(at, v0);
    v128.store(at, v1, 16);
    v128.store(at, v2, 32);
    v128.store(at, v3, 48);
  }
}
