// The softmax pass: e = 2^z with z = (x - m)·c for a block of 64 logits at a time, summed in a
// fixed order so that every backend gets the same bits: position i of a block feeds partial
// sum i & 15 (vector lane i & 3 of accumulator (i >> 2) & 3), in ascending position, in float32;
// the 16 partials are combined as ((a0 + a1) + (a2 + a3)) lane-wise, then the four lanes in
// float64, and block masses are summed in float64. The sums need no histogram and no sort:
// the draw searches the block masses, then one block.
import { exp2s, exp2v, EXP_CUTOFF } from "./exp";
import { BCUM, BLOCK, BMASS, BMAX, E, XL, Z } from "./layout";
import { blockAt, blockCount } from "./scan";

/** Scratch for the scalar build's 16 partial sums (the SIMD build keeps them in registers). */
const PART = memory.data(64, 16);


/** Set by expSum when asked: Σ e·z over the blocks summed (for the entropy), and how many
 *  logits are not -Infinity. */
export let sumEZ: f64 = 0;
export let unmasked: i32 = 0;

/** Mass of one block from its four accumulators. */
export function blockMass(a0: v128, a1: v128, a2: v128, a3: v128): f64 {
  const q = f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3));
  return (
    (<f64>f32x4.extract_lane(q, 0) + <f64>f32x4.extract_lane(q, 1)) +
    (<f64>f32x4.extract_lane(q, 2) + <f64>f32x4.extract_lane(q, 3))
  );
}

/** The same combination over PART (scalar build). */
function partLane(l: i32): f32 {
  const at = PART + (<usize>l << 2);
  return (load<f32>(at) + load<f32>(at, 16)) + (load<f32>(at, 32) + load<f32>(at, 48));
}
function partMass(): f64 {
  return (<f64>partLane(0) + <f64>partLane(1)) + (<f64>partLane(2) + <f64>partLane(3));
}

function clearPart(): void {
  memory.fill(PART, 0, 64);
}

/** True when no logit of block b can give e > 0: its maximum is below the cutoff. */
function deadBlock(b: i32, m: f32, c: f32): bool {
  if (ASC_FEATURE_SIMD) {
    const z = f32x4.mul(f32x4.sub(v128.load(BMAX + (<usize>b << 4)), f32x4.splat(m)), f32x4.splat(c));
    return !v128.any_true(f32x4.ge(z, f32x4.splat(EXP_CUTOFF)));
  }
  return (load<f32>(BMAX + (<usize>b << 4)) - m) * c < EXP_CUTOFF;
}

function zv(p: usize, vm: v128, vc: v128): v128 {
  return f32x4.mul(f32x4.sub(v128.load(p), vm), vc);
}

/**
 * The mass of every logit of x[0 .. n) (BMAX from maxPass): BCUM[b] ← mass of blocks 0 … b;
 * returns the total. With `entropy`, also sumEZ ← Σ e·z and unmasked ← logits > -Infinity.
 */
export function expSum(x: usize, n: i32, m: f32, c: f32, entropy: bool): f64 {
  const blocks = blockCount(n);
  let cum: f64 = 0;
  let ez: f64 = 0;
  let live = 0;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m), vc = f32x4.splat(c), floor = f32x4.splat(EXP_CUTOFF);
    const zero = f32x4.splat(0), ninf = f32x4.splat(-Infinity);
    for (let b = 0; b < blocks; b++) {
      const p = blockAt(x, n, b);
      if (entropy) {
        // Masked tokens are counted whether or not their block is dead.
        let cnt = i32x4.splat(0);
        for (let o: usize = 0; o < 256; o += 16) cnt = i32x4.sub(cnt, f32x4.ne(v128.load(p + o), ninf));
        live += i32x4.extract_lane(cnt, 0) + i32x4.extract_lane(cnt, 1) + i32x4.extract_lane(cnt, 2) + i32x4.extract_lane(cnt, 3);
      }
      if (!deadBlock(b, m, c)) {
        let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
        let b0 = zero, b1 = zero, b2 = zero, b3 = zero;
        for (let o: usize = 0; o < 256; o += 64) {
          const z0 = zv(p + o, vm, vc), z1 = zv(p + o + 16, vm, vc);
          const z2 = zv(p + o + 32, vm, vc), z3 = zv(p + o + 48, vm, vc);
          const e0 = exp2v(z0), e1 = exp2v(z1), e2 = exp2v(z2), e3 = exp2v(z3);
          a0 = f32x4.add(a0, e0);
          a1 = f32x4.add(a1, e1);
          a2 = f32x4.add(a2, e2);
          a3 = f32x4.add(a3, e3);
          if (entropy) {
            // e·z with z clamped at the cutoff: 0 where e is 0 (z may be -Infinity there).
            b0 = f32x4.add(b0, f32x4.mul(e0, f32x4.pmax(z0, floor)));
            b1 = f32x4.add(b1, f32x4.mul(e1, f32x4.pmax(z1, floor)));
            b2 = f32x4.add(b2, f32x4.mul(e2, f32x4.pmax(z2, floor)));
            b3 = f32x4.add(b3, f32x4.mul(e3, f32x4.pmax(z3, floor)));
          }
        }
        cum += blockMass(a0, a1, a2, a3);
        if (entropy) ez += blockMass(b0, b1, b2, b3);
      }
      store<f64>(BCUM + (<usize>b << 3), cum);
    }
  } else {
    for (let b = 0; b < blocks; b++) {
      const p = blockAt(x, n, b);
      if (entropy) {
        for (let j = 0; j < BLOCK; j++) if (load<f32>(p + (<usize>j << 2)) != -Infinity) live++;
      }
      if (!deadBlock(b, m, c)) {
        clearPart();
        for (let j = 0; j < BLOCK; j++) {
          const at = PART + (<usize>(j & 15) << 2);
          store<f32>(at, load<f32>(at) + exp2s((load<f32>(p + (<usize>j << 2)) - m) * c));
        }
        cum += partMass();
        if (entropy) {
          clearPart();
          for (let j = 0; j < BLOCK; j++) {
            const z = (load<f32>(p + (<usize>j << 2)) - m) * c;
            const at = PART + (<usize>(j & 15) << 2);
            store<f32>(at, load<f32>(at) + exp2s(z) * max<f32>(z, EXP_CUTOFF));
          }
          ez += partMass();
        }
      }
      store<f64>(BCUM + (<usize>b << 3), cum);
    }
  }
  sumEZ = ez;
  unmasked = live;
  return cum;
}

/** The token drawn for target = u·total from expSum's block masses: the first block whose
 *  cumulative mass exceeds the target, then its logits in position order. */
export function drawBlocks(x: usize, n: i32, m: f32, c: f32, target: f64): i32 {
  const blocks = blockCount(n);
  let lo = 0, hi = blocks - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (load<f64>(BCUM + (<usize>mid << 3)) > target) hi = mid;
    else lo = mid + 1;
  }
  let acc: f64 = lo > 0 ? load<f64>(BCUM + (<usize>(lo - 1) << 3)) : 0;
  const p = blockAt(x, n, lo);
  let last = -1;
  for (let j = 0; j < BLOCK; j++) {
    const e = exp2s((load<f32>(p + (<usize>j << 2)) - m) * c);
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
    const e = exp2s((load<f32>(x + (<usize>i << 2)) - m) * c);
    store<f32>(XL + (<usize>i << 2), <f32>(<f64>e / total));
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
    const vm = f32x4.splat(m), vc = f32x4.splat(c), zero = f32x4.splat(0);
    for (let b = 0; b < blocks; b++) {
      if (!listed && deadBlock(b, m, c)) {
        store<f64>(BMASS + (<usize>b << 3), 0);
        continue;
      }
      const p = listed ? x + (<usize>b << 8) : blockAt(x, n, b);
      const q = <usize>b << 8;
      let a0 = zero, a1 = zero, a2 = zero, a3 = zero;
      for (let o: usize = 0; o < 256; o += 64) {
        const z0 = zv(p + o, vm, vc), z1 = zv(p + o + 16, vm, vc);
        const z2 = zv(p + o + 32, vm, vc), z3 = zv(p + o + 48, vm, vc);
        const e0 = exp2v(z0), e1 = exp2v(z1), e2 = exp2v(z2), e3 = exp2v(z3);
        a0 = f32x4.add(a0, e0);
        a1 = f32x4.add(a1, e1);
        a2 = f32x4.add(a2, e2);
        a3 = f32x4.add(a3, e3);
        const at = E + q + o;
        v128.store(at, e0);
        v128.store(at, e1, 16);
        v128.store(at, e2, 32);
        v128.store(at, e3, 48);
        if (storeZ) {
          const zt = Z + q + o;
          v128.store(zt, z0);
          v128.store(zt, z1, 16);
          v128.store(zt, z2, 32);
          v128.store(zt, z3, 48);
        }
      }
      const mass = blockMass(a0, a1, a2, a3);
      store<f64>(BMASS + (<usize>b << 3), mass);
      total += mass;
    }
  } else {
    for (let b = 0; b < blocks; b++) {
      if (!listed && deadBlock(b, m, c)) {
        store<f64>(BMASS + (<usize>b << 3), 0);
        continue;
      }
      const p = listed ? x + (<usize>b << 8) : blockAt(x, n, b);
      clearPart();
      for (let j = 0; j < BLOCK; j++) {
        const i = (b << 6) + j;
        const z = (load<f32>(p + (<usize>j << 2)) - m) * c;
        const e = exp2s(z);
        const at = PART + (<usize>(j & 15) << 2);
        store<f32>(at, load<f32>(at) + e);
        store<f32>(E + (<usize>i << 2), e);
        if (storeZ) store<f32>(Z + (<usize>i << 2), z);
      }
      const mass = partMass();
      store<f64>(BMASS + (<usize>b << 3), mass);
      total += mass;
    }
  }
  return total;
}
