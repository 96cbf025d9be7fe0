// Twin of assembly/softmax.ts: the softmax pass, in blocks of 64 with the SIMD build's order
// of additions — position i of a block feeds float32 partial sum i & 15; the partials combine
// as ((p[l] + p[4 + l]) + (p[8 + l] + p[12 + l])) per lane l, the lanes in float64.
import { exp2 } from './exp.js';
import { BLOCK, EXP_CUTOFF, type Workspace } from './layout.js';

const fround = Math.fround;

/** The mass of one block from its 16 partial sums. */
export function blockMass(p: Float32Array): number {
  const q0 = fround(fround(p[0]! + p[4]!) + fround(p[8]! + p[12]!));
  const q1 = fround(fround(p[1]! + p[5]!) + fround(p[9]! + p[13]!));
  const q2 = fround(fround(p[2]! + p[6]!) + fround(p[10]! + p[14]!));
  const q3 = fround(fround(p[3]! + p[7]!) + fround(p[11]! + p[15]!));
  return q0 + q1 + (q2 + q3);
}

/** The mass of the 64 floats a[start … start+63] (a padded past its data with 0). */
export function sumBlock(p: Float32Array, a: Float32Array, start: number): number {
  p.fill(0);
  for (let j = 0; j < BLOCK; j++) p[j & 15] = fround(p[j & 15]! + a[start + j]!);
  return blockMass(p);
}

/** The mass of the 64 logits from `start`: partial sum i & 15 in 16 locals (array traffic
 *  per element costs more than the polynomial's own frounds). */
function fullBlockMass(x: Float32Array, start: number, m: number, c: number): number {
  let a0 = 0,
    a1 = 0,
    a2 = 0,
    a3 = 0,
    a4 = 0,
    a5 = 0,
    a6 = 0,
    a7 = 0;
  let a8 = 0,
    a9 = 0,
    a10 = 0,
    a11 = 0,
    a12 = 0,
    a13 = 0,
    a14 = 0,
    a15 = 0;
  for (let i = start; i < start + BLOCK; i += 16) {
    a0 = fround(a0 + exp2(fround(fround(x[i]! - m) * c)));
    a1 = fround(a1 + exp2(fround(fround(x[i + 1]! - m) * c)));
    a2 = fround(a2 + exp2(fround(fround(x[i + 2]! - m) * c)));
    a3 = fround(a3 + exp2(fround(fround(x[i + 3]! - m) * c)));
    a4 = fround(a4 + exp2(fround(fround(x[i + 4]! - m) * c)));
    a5 = fround(a5 + exp2(fround(fround(x[i + 5]! - m) * c)));
    a6 = fround(a6 + exp2(fround(fround(x[i + 6]! - m) * c)));
    a7 = fround(a7 + exp2(fround(fround(x[i + 7]! - m) * c)));
    a8 = fround(a8 + exp2(fround(fround(x[i + 8]! - m) * c)));
    a9 = fround(a9 + exp2(fround(fround(x[i + 9]! - m) * c)));
    a10 = fround(a10 + exp2(fround(fround(x[i + 10]! - m) * c)));
    a11 = fround(a11 + exp2(fround(fround(x[i + 11]! - m) * c)));
    a12 = fround(a12 + exp2(fround(fround(x[i + 12]! - m) * c)));
    a13 = fround(a13 + exp2(fround(fround(x[i + 13]! - m) * c)));
    a14 = fround(a14 + exp2(fround(fround(x[i + 14]! - m) * c)));
    a15 = fround(a15 + exp2(fround(fround(x[i + 15]! - m) * c)));
  }
  const q0 = fround(fround(a0 + a4) + fround(a8 + a12));
  const q1 = fround(fround(a1 + a5) + fround(a9 + a13));
  const q2 = fround(fround(a2 + a6) + fround(a10 + a14));
  const q3 = fround(fround(a3 + a7) + fround(a11 + a15));
  return q0 + q1 + (q2 + q3);
}

function partialBlockMass(p: Float32Array, x: Float32Array, start: number, end: number, m: number, c: number) {
  p.fill(0);
  for (let i = start; i < end; i++) {
    const k = i & 15;
    p[k] = fround(p[k]! + exp2(fround(fround(x[i]! - m) * c)));
  }
  return blockMass(p);
}

function dead(w: Workspace, b: number, m: number, c: number): boolean {
  return fround(fround(w.bmax[b]! - m) * c) < EXP_CUTOFF;
}

/** The mass of every logit (w.bcum[b] ← blocks 0 … b); with `entropy`, also w.sumEZ and
 *  w.unmasked. */
export function expSum(w: Workspace, x: Float32Array, n: number, m: number, c: number, entropy: boolean): number {
  const p = w.part,
    bcum = w.bcum;
  let cum = 0;
  let ez = 0;
  let live = 0;
  for (let start = 0, b = 0; start < n; start += BLOCK, b++) {
    const end = Math.min(n, start + BLOCK);
    if (entropy) for (let i = start; i < end; i++) if (x[i] !== -Infinity) live++;
    if (!dead(w, b, m, c)) {
      cum += end - start === BLOCK ? fullBlockMass(x, start, m, c) : partialBlockMass(p, x, start, end, m, c);
      if (entropy) {
        p.fill(0);
        for (let i = start; i < end; i++) {
          const z = fround(fround(x[i]! - m) * c);
          const k = i & 15;
          p[k] = fround(p[k]! + fround(exp2(z) * Math.max(z, EXP_CUTOFF)));
        }
        ez += blockMass(p);
      }
    }
    bcum[b] = cum;
  }
  w.sumEZ = ez;
  w.unmasked = live;
  return cum;
}

/** The token drawn for target = u·total: the first block whose cumulative mass exceeds the
 *  target, then its logits in position order. */
export function drawBlocks(w: Workspace, x: Float32Array, n: number, m: number, c: number, target: number): number {
  const bcum = w.bcum;
  let lo = 0;
  let hi = Math.ceil(n / BLOCK) - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (bcum[mid]! > target) hi = mid;
    else lo = mid + 1;
  }
  let acc = lo > 0 ? bcum[lo - 1]! : 0;
  let last = -1;
  const end = Math.min(n, (lo + 1) * BLOCK);
  for (let i = lo * BLOCK; i < end; i++) {
    const e = exp2(fround(fround(x[i]! - m) * c));
    if (e !== 0) {
      acc += e;
      last = i;
      if (acc > target) return i;
    }
  }
  return last;
}

/** out[0 .. n) ← e/total of every logit. */
export function writeProbsDense(
  x: Float32Array,
  n: number,
  m: number,
  c: number,
  total: number,
  out: Float32Array,
): void {
  for (let i = 0; i < n; i++) out[i] = exp2(fround(fround(x[i]! - m) * c)) / total;
}

/** w.e (and w.z) ← e (z) of every position of v[0 .. n), w.bmass ← each block's mass; returns
 *  the total. Dense input skips dead blocks (their e stays 0, as the kernels' mass does). */
export function expStore(
  w: Workspace,
  v: Float32Array,
  n: number,
  listed: boolean,
  m: number,
  c: number,
  storeZ: boolean,
): number {
  const p = w.part,
    e = w.e,
    zs = w.z,
    bmass = w.bmass;
  let total = 0;
  const blocks = Math.ceil(n / BLOCK);
  e.fill(0, n, blocks * BLOCK);
  for (let b = 0; b < blocks; b++) {
    const start = b * BLOCK,
      end = Math.min(n, start + BLOCK);
    if (!listed && dead(w, b, m, c)) {
      e.fill(0, start, end);
      bmass[b] = 0;
      continue;
    }
    p.fill(0);
    for (let i = start; i < end; i++) {
      const z = fround(fround(v[i]! - m) * c);
      const ei = exp2(z);
      const k = i & 15;
      p[k] = fround(p[k]! + ei);
      e[i] = ei;
      if (storeZ) zs[i] = z;
    }
    const mass = blockMass(p);
    bmass[b] = mass;
    total += mass;
  }
  return total;
}
