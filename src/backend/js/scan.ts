// Twin of assembly/scan.ts: the passes that read the logits once. Plain JS needs no tail
// buffer (it simply stops at n) and finds NaN exactly, element by element; the results are
// the kernels' (max is order-independent; the filters keep the same positions in order).
import { float32AtMost } from '../../bits.js';
import { BLOCK, type Workspace } from './layout.js';

/** True when no logit is NaN or +Infinity. */
export function validate(x: Float32Array, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v !== v || v === Infinity) return false;
  }
  return true;
}

/** Twin of unmaskedCount() in assembly/scan.ts: how many logits are above -Infinity. */
export function unmaskedCount(x: Float32Array, n: number): number {
  let count = 0;
  for (let i = 0; i < n; i++) if (x[i] !== -Infinity) count++;
  return count;
}

/** Maximum of x[0 .. n), each block's maximum in w.bmax; sets w.valid. */
export function maxPass(w: Workspace, x: Float32Array, n: number): number {
  const bmax = w.bmax;
  let m = -Infinity;
  let ok = true;
  for (let start = 0, b = 0; start < n; start += BLOCK, b++) {
    const end = Math.min(n, start + BLOCK);
    let t = -Infinity;
    let i = start;
    // Four at a time, one test for the four: a new maximum (or a NaN, which fails v <= t
    // too) is rare after the first few.
    for (; i + 4 <= end; i += 4) {
      const a = x[i]!,
        b2 = x[i + 1]!,
        c = x[i + 2]!,
        d = x[i + 3]!;
      if (a <= t && b2 <= t && c <= t && d <= t) continue;
      for (let j = i; j < i + 4; j++) {
        const v = x[j]!;
        if (!(v <= t)) {
          if (v !== v) ok = false;
          else t = v;
        }
      }
    }
    for (; i < end; i++) {
      const v = x[i]!;
      if (!(v <= t)) {
        if (v !== v) ok = false;
        else t = v;
      }
    }
    bmax[b] = t;
    if (t > m) m = t;
  }
  w.valid = ok && m !== Infinity;
  return m;
}

/** The argmax, lowest index on ties; −1 when every logit is −Infinity. Sets w.valid. */
export function argmax(w: Workspace, x: Float32Array, n: number): number {
  let best = -Infinity;
  let at = -1;
  let ok = true;
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const a = x[i]!,
      b = x[i + 1]!,
      c = x[i + 2]!,
      d = x[i + 3]!;
    if (a <= best && b <= best && c <= best && d <= best) continue;
    for (let j = i; j < i + 4; j++) {
      const v = x[j]!;
      if (!(v <= best)) {
        if (v !== v) ok = false;
        else {
          best = v;
          at = j;
        }
      }
    }
  }
  for (; i < n; i++) {
    const v = x[i]!;
    if (!(v <= best)) {
      if (v !== v) ok = false;
      else {
        best = v;
        at = i;
      }
    }
  }
  w.valid = ok && best !== Infinity;
  return at;
}

/** The min-p filter: the maximum and every logit that can survive min-p, with the threshold
 *  raised once per block, before that block's hits are collected. */
export function filterMinP(w: Workspace, x: Float32Array, n: number, c: number, zBound: number): number {
  const list = w.list,
    xl = w.xl;
  let count = 0;
  let m = -Infinity;
  let t = -F32_MAX;
  let ok = true;
  for (let start = 0; start < n; start += BLOCK) {
    const end = Math.min(n, start + BLOCK);
    let top = -Infinity;
    for (let i = start; i < end; i++) {
      const v = x[i]!;
      if (!(v <= top)) {
        if (v !== v) ok = false;
        else top = v;
      }
    }
    if (top >= t) {
      if (top > m) {
        m = top;
        t = minPThreshold(m, c, zBound);
      }
      for (let i = start; i < end; i++) {
        const v = x[i]!;
        if (v >= t) {
          list[count] = i;
          xl[count] = v;
          count++;
        }
      }
    }
  }
  w.filterMax = m;
  w.valid = ok && m !== Infinity;
  return count;
}

export const F32_MAX = 3.4028234663852886e38;
export function minPThreshold(m: number, c: number, zBound: number): number {
  const t = m + zBound / c;
  const f = Math.max(t, -F32_MAX) === t ? float32AtMost(t) : -F32_MAX;
  return f < -F32_MAX || f !== f ? -F32_MAX : f;
}
