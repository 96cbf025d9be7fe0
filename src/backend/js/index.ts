// The pure-TypeScript backend: the same pipeline as assembly/index.ts, function for function,
// for runtimes without WebAssembly. It reads the caller's Float32Array in place; the sparse
// edits it makes there (bias, penalties) are undone before a call returns.

import { exponentOf } from '../../bits.js';
import { F_MASK, F_PROBS, type Resolved } from '../../params.js';
import {
  type Backend,
  F_ENTROPY,
  F_RAW,
  F_TOP,
  MODE_DRAW,
  MODE_PROBS,
  MODE_STATS,
  Results,
  S_ALL_MASKED,
  S_BAD_BIAS,
  S_BAD_PROB,
  S_INVALID,
  S_OK,
  S_RAW_INVALID,
} from '../types.js';
import { drawKept, keptEZ, keptMass, keptTop, listedZ, topPairs, writeProbsKept } from './draw.js';
import { edit, materialize, rescale, restore } from './edits.js';
import { MAX_TOP_N, Workspace } from './layout.js';
import { argmax, F32_MAX, filterMinP, maxPass, unmaskedCount } from './scan.js';
import { buildTopK, cutTopP, cutTypical, resetRules, topCandidates } from './select.js';
import { drawBlocks, expStore, expSum, writeProbsDense } from './softmax.js';

const fround = Math.fround;
/** Rescale the logits when the temperature is this high (c below it) or the largest logit
 *  this small (assembly/index.ts has the reasons). */
export const C_HUGE_T = 2 ** -120;
export const M_TINY = 2 ** -100;
const LOG2E_F32 = fround(Math.LOG2E);

export class JsBackend implements Backend {
  readonly name = 'js' as const;
  private w = new Workspace();
  private readonly r = new Results();
  private view_ = new Float32Array(0);
  private src: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private out = new Float32Array(0);
  private disposed = false;

  get memoryBytes(): number {
    return this.disposed ? 0 : this.w.bytes + this.view_.byteLength + this.out.byteLength;
  }

  reserve(n: number, edits: number): void {
    this.w.ensure(n, edits);
    if (this.out.length < n) this.out = new Float32Array(this.w.capacity);
  }

  view(n: number): Float32Array {
    if (this.view_.length < n) {
      const grown = new Float32Array(Math.max(n, 1024));
      grown.set(this.view_);
      this.view_ = grown;
    }
    return this.view_.subarray(0, n);
  }

  isDetached(): boolean {
    return false;
  }

  input(n: number): Float32Array {
    return this.w.input.subarray(0, n);
  }

  place(x: Float32Array): void {
    // Shared memory could show another thread the transient edits: work on a copy.
    if (typeof SharedArrayBuffer !== 'undefined' && x.buffer instanceof SharedArrayBuffer) {
      this.w.input.set(x);
      this.src = this.w.input;
    } else this.src = x;
  }

  output(n: number): Float32Array {
    return this.out.subarray(0, n);
  }

  topToken(i: number): number {
    return this.w.topTokens[i]!;
  }

  topZ(i: number): number {
    return this.w.topZ[i]!;
  }

  dispose(): void {
    this.disposed = true;
    this.w = new Workspace();
    this.view_ = this.src = this.out = new Float32Array(0);
  }

  /** Twin of run() in assembly/index.ts. */
  run(mode: number, p: Resolved, n: number, u: number, flags: number, topN: number): Results {
    const w = this.w,
      r = this.r,
      src = this.src;
    flags |= p.flags;
    r.token = -1;
    let x = src;
    if (flags & (F_MASK | F_PROBS)) {
      if (!materialize(w, src, n, p, (flags & F_PROBS) !== 0)) {
        r.status = flags & F_PROBS ? S_BAD_PROB : S_INVALID;
        r.token = w.badIndex;
        return r;
      }
      x = w.stage;
    }
    // The logits themselves (the caller's array, or our converted copy) are edited in place
    // and restored: a call never changes them. The stage is ours.
    const undo = x !== w.stage;
    try {
      if (edit(w, x, n, p, undo)) r.status = this.pipeline(x, n, mode, flags, p, u, topN);
      else {
        r.status = S_BAD_BIAS;
        r.token = w.badEdit;
      }
    } finally {
      if (undo) restore(w, x);
    }
    if (r.status === S_OK && flags & F_RAW) r.status = this.raw(src, n, flags, topN);
    return r;
  }

  private pipeline(x: Float32Array, n: number, mode: number, flags: number, p: Resolved, u: number, topN: number) {
    const w = this.w,
      r = this.r;
    let c = p.c;
    if (c === 0) return this.greedy(x, n, mode, flags, topN);
    const { topK, topP, minP, typicalP: typical } = p;
    const listed = mode !== MODE_STATS && ((topK > 0 && topK < n) || (minP > 0 && topP >= 1));
    let len = n;
    let m: number;
    if (!listed) m = maxPass(w, x, n);
    else if (topK > 0 && topK < n) {
      m = maxPass(w, x, n);
      len = buildTopK(w, x, n, topK);
    } else {
      len = filterMinP(w, x, n, c, p.minPZ);
      m = w.filterMax;
    }
    if (!w.valid) return S_INVALID;
    if (m === -Infinity) return S_ALL_MASKED;
    const s = scaleFor(c, p.c64, m);
    if (s !== 1) {
      if (listed) for (let j = 0; j < len; j++) w.xl[j] = w.xl[j]! * s;
      else {
        rescale(w, x, n, s);
        x = w.stage;
        maxPass(w, x, n);
      }
      m = fround(m * s); // a float32 product, as the rescaled logits are (a halved subnormal rounds)
      c = s === 0.5 ? c * 2 : fround(Math.min(p.c64 / s, F32_MAX));
    }

    if (mode === MODE_STATS) {
      r.mass = expSum(w, x, n, m, c, true);
      r.ez = w.sumEZ;
      r.count = unmaskedCount(x, n);
      return S_OK;
    }

    if (!listed && topP >= 1 && typical >= 1) {
      const total = expSum(w, x, n, m, c, (flags & F_ENTROPY) !== 0);
      r.mass = total;
      r.ez = w.sumEZ;
      if (mode === MODE_DRAW) {
        const t = drawBlocks(w, x, n, m, c, u * total);
        r.token = t;
        r.z = fround(fround(x[t]! - m) * c);
      } else writeProbsDense(x, n, m, c, total, this.out);
      if (flags & F_TOP) r.topCount = this.topDense(x, n, m, c, topN);
      return S_OK;
    }

    const v = listed ? w.xl : x;
    const needZ = typical < 1 || (flags & (F_ENTROPY | F_TOP)) !== 0;
    let mass = expStore(w, v, len, listed, m, c, needZ);
    resetRules(w, minP);
    if (topP < 1) {
      cutTopP(w, len, topP * mass, mass);
      mass = w.cutMass;
    }
    if (minP > 0 || typical < 1) mass = keptMass(w, len);
    if (typical < 1) {
      cutTypical(w, len, fround(keptEZ(w, len) / mass), typical * mass, mass);
      mass = w.cutMass;
    }
    r.mass = mass;
    if (flags & F_ENTROPY) r.ez = keptEZ(w, len);
    if (mode === MODE_DRAW) {
      const i = drawKept(w, len, u * mass);
      r.token = listed ? w.list[i]! : i;
      r.z = fround(fround(v[i]! - m) * c);
    } else writeProbsKept(w, len, listed, n, mass, this.out);
    if (flags & F_TOP) r.topCount = keptTop(w, len, listed, topN);
    return S_OK;
  }

  private greedy(x: Float32Array, n: number, mode: number, flags: number, topN: number): number {
    const w = this.w,
      r = this.r;
    const t = argmax(w, x, n);
    if (!w.valid) return S_INVALID;
    if (t < 0) return S_ALL_MASKED;
    r.token = t;
    r.z = 0;
    r.mass = 1;
    r.ez = 0;
    r.count = 1;
    if (mode === MODE_PROBS) {
      this.out.fill(0, 0, n);
      this.out[t] = 1;
    }
    if (flags & F_TOP) {
      w.topTokens[0] = t;
      w.topZ[0] = 0;
      r.topCount = topN > 0 ? 1 : 0;
    }
    return S_OK;
  }

  /** Twin of topDense() in assembly/index.ts. */
  private topDense(x: Float32Array, n: number, m: number, c: number, want: number): number {
    const w = this.w;
    if (want <= 0) return 0;
    if (want > MAX_TOP_N) want = MAX_TOP_N;
    const count = topCandidates(w, x, n, want, m, c);
    const zs = new Float32Array(w.ak.buffer, 0, count);
    listedZ(w, count, m, c, zs);
    return topPairs(w, w.list, zs, count, want);
  }

  private raw(src: Float32Array, n: number, flags: number, topN: number): number {
    const w = this.w,
      r = this.r;
    let x = src;
    if (flags & F_PROBS) {
      materialize(w, src, n, NO_MASK, true);
      x = w.stage;
    }
    const m = maxPass(w, x, n);
    if (!w.valid || m === -Infinity) return S_RAW_INVALID;
    r.rawMass = expSum(w, x, n, m, LOG2E_F32, false);
    r.rawZ = fround(fround(x[r.token]! - m) * LOG2E_F32);
    if (topN > 0) r.topCount = this.topDense(x, n, m, LOG2E_F32, topN);
    return S_OK;
  }
}

/** Twin of scaleFor() in assembly/index.ts. */
function scaleFor(c: number, c64: number, m: number): number {
  if (c < C_HUGE_T) return 0.5;
  if (c64 > F32_MAX) {
    const k = Math.min(exponentOf(c64) - 126, 126);
    const s = 2 ** k;
    return Math.abs(m) * s <= F32_MAX ? s : 1;
  }
  if (!(Math.abs(m) < M_TINY)) return 1;
  const k = Math.min(64, exponentOf(c64) + 126);
  return k > 0 ? 2 ** k : 1;
}
const NO_MASK = { mask: null } as Resolved;
