// The pure-TypeScript backend: the same algorithm as assembly/, file by file, for runtimes
// without WebAssembly. It reads the caller's Float32Array in place (never writes to it).
import type { Backend } from '../types.js';
import { draw, writeProbs } from './draw.js';
import { cumulate, expHistogram } from './histogram.js';
import { Workspace } from './layout.js';
import { argmax, scanMax } from './reduce.js';
import { buildTopK, Cut, cut } from './select.js';

export class JsBackend implements Backend {
  readonly name = 'js' as const;
  private readonly w = new Workspace();
  private readonly cut = new Cut();
  private x: Float32Array<ArrayBufferLike> = new Float32Array(0);
  private own = new Float32Array(0);
  private len = 0;
  private listed = false;

  get memoryBytes(): number {
    return this.w.bytes + this.own.byteLength;
  }

  view(n: number): Float32Array {
    if (this.own.length < n) this.own = new Float32Array(Math.max(n, 4096));
    return this.own.subarray(0, n);
  }

  isDetached(): boolean {
    return false;
  }

  load(logits: Float32Array): void {
    this.x = logits;
  }

  max(n: number): number {
    return scanMax(this.x, n);
  }

  /** Twin of prepare() in assembly/index.ts. */
  private prepare(n: number, c: number, topK: number, topP: number, minP: number): boolean {
    const w = this.w;
    w.ensure(n);
    this.listed = topK > 0 && topK < n;
    let m: number;
    if (this.listed) {
      this.len = buildTopK(w, this.x, n, topK);
      m = w.seenMax;
    } else {
      this.len = n;
      m = scanMax(this.x, n);
    }
    if (!(m > -Infinity && m < Infinity)) return false;
    const top = expHistogram(w, this.listed ? w.xl : this.x, this.len, m, c);
    cut(w, this.len, top, cumulate(w, top), topP, minP, this.cut);
    return true;
  }

  sample(n: number, c: number, topK: number, topP: number, minP: number, u: number): number {
    if (c === 0) return argmax(this.x, n);
    if (!this.prepare(n, c, topK, topP, minP)) return -1;
    const j = draw(this.w, this.len, this.cut, u);
    return this.listed ? this.w.list[j]! : j;
  }

  probs(n: number, c: number, topK: number, topP: number, minP: number, out: Float32Array): boolean {
    if (c === 0) {
      const at = argmax(this.x, n);
      if (at < 0) return false;
      out.fill(0, 0, n);
      out[at] = 1;
      return true;
    }
    if (!this.prepare(n, c, topK, topP, minP)) return false;
    writeProbs(this.w, n, this.len, this.listed ? this.w.list : null, this.cut, out);
    return true;
  }
}
