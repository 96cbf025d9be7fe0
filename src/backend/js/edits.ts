// Twin of assembly/edits.ts: probabilities turned into logits, the allowed mask, the logit bias
// and the penalties. Sparse edits change the input in place, recording each original so that
// restore() puts it back.
import type { Resolved } from '../../params.js';
import { ln } from './exp.js';
import type { Workspace } from './layout.js';

const fround = Math.fround;

/** w.stage[0 .. n) ← ln p (probs) and/or −Infinity where the mask disallows; false (with
 *  w.badIndex) at the first invalid probability, or NaN/+Infinity logit. */
export function materialize(w: Workspace, src: Float32Array, n: number, p: Resolved, probs: boolean): boolean {
  const out = w.stage,
    mask = p.mask;
  w.badIndex = -1;
  for (let i = 0; i < n; i++) {
    let v = src[i]!;
    if (probs) {
      if (!(v >= 0 && v < Infinity)) {
        w.badIndex = i;
        return false;
      }
      v = ln(v);
    } else if (v !== v || v === Infinity) {
      w.badIndex = i;
      return false;
    }
    if (mask !== null && !((mask[i >>> 5]! >>> (i & 31)) & 1)) v = -Infinity;
    out[i] = v;
  }
  return true;
}

/** w.stage[0 .. n) ← x·s (x may be the stage). */
export function rescale(w: Workspace, x: Float32Array, n: number, s: number): void {
  const out = w.stage;
  for (let i = 0; i < n; i++) out[i] = x[i]! * s;
}

function set(w: Workspace, x: Float32Array, id: number, v: number, undo: boolean): void {
  if (undo) {
    w.undoIds[w.undone] = id;
    w.undoValues[w.undone] = x[id]!;
    w.undone++;
  }
  x[id] = v;
}

/** Applies the logit bias, then the penalties, to x in place (recording originals if undo). */
export function edit(w: Workspace, x: Float32Array, p: Resolved, undo: boolean): void {
  w.undone = 0;
  const ids = p.biasIds,
    values = p.biasValues;
  for (let k = 0; k < p.biasCount; k++) {
    const id = ids[k]!;
    set(w, x, id, fround(x[id]! + values[k]!), undo);
  }
  const h = p.historyCount;
  if (h === 0) return;
  const history = p.history,
    seen = w.seen;
  const rep = p.repetition,
    presence = p.presence,
    frequency = p.frequency;
  for (let k = 0; k < h; k++) seen[history[k]!]!++;
  for (let k = 0; k < h; k++) {
    const id = history[k]!;
    const count = seen[id]!;
    if (count === 0) continue;
    seen[id] = 0;
    let v = x[id]!;
    if (rep !== 1) v = v > 0 ? fround(v / rep) : fround(v * rep);
    v = fround(v - fround(fround(count * frequency) + presence));
    set(w, x, id, v, undo);
  }
}

/** Puts back every logit edit() changed, newest first. */
export function restore(w: Workspace, x: Float32Array): void {
  for (let k = w.undone - 1; k >= 0; k--) x[w.undoIds[k]!] = w.undoValues[k]!;
  w.undone = 0;
}
