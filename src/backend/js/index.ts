// The pure-TypeScript backend: the same algorithm as assembly/, file by file, for runtimes
// without WebAssembly. It reads the caller's Float32Array in place (never writes to it).
import type { Backend } from '../types.js';
import { draw, writeProbs } from './draw.js';
import { cumulate, expHistogram } from './histogram.js';
import { Workspace } from './layout.js';
import { firstIndexOf, scanMax } from './reduce.js';
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

  load(logits: Float32Array): number {
    this.x = logits;
    return scanMax(logits, logits.length);
  }

  argmax(n: number, m: number): number {
    return firstIndexOf(this.x, n, m);
  }

  private prepare(n: number, m: number, c: number, topK: number, topP: number, minP: number): void {
    const w = this.w;
    w.ensure(n);
    let src = this.x;
    this.listed = topK > 0 && topK < n;
    this.len = n;
    if (this.listed) {
      this.len = buildTopK(w, this.x, n, topK);
      src = w.xl;
    }
    const top = expHistogram(w, src, this.len, m, c);
    cut(w, this.len, top, cumulate(w, top), topP, minP, this.cut);
  }

  sample(n: number, m: number, c: number, topK: number, topP: number, minP: number, u: number): number {
    this.prepare(n, m, c, topK, topP, minP);
    const j = draw(this.w, this.len, this.cut, u);
    return this.listed ? this.w.list[j]! : j;
  }

  probs(n: number, m: number, c: number, topK: number, topP: number, minP: number, out: Float32Array): void {
    this.prepare(n, m, c, topK, topP, minP);
    writeProbs(this.w, n, this.len, this.listed ? this.w.list : null, this.cut, out);
  }
}
