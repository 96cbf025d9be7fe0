// Sparse edits of the logits in place — in the caller's view too — each original recorded so
// that restore() puts it back: the caller's array reads the same after the call, and no edit
// costs O(vocabulary).
import { UNDO_IDS, UNDO_VALS } from '../layout';
import { allowedByMask } from '../sparse-mask';
import { RECORDED, seen, setSeen } from './seen';

let undone = 0;
/** The edit (abi.ts ST_*) whose put()s follow: named when one leaves the float32 range. */
let current = 0;

/** The first token an edit pushed past the float32 range (-1: none): a finite logit that a
 *  finite bias or a penalty turned into ±Infinity. A ban is -Infinity on purpose; an overflow
 *  would silently ban (or break) a token, so the host reports it instead. */
export let overflowed: i32 = -1;
/** The edit (ST_*) that did. */
export let overflowedBy: i32 = -1;

/** Whether the edits run on logits whose mask was not applied (a sparse mask: sparse-mask.ts). */
let unmasked: bool = false;

/** Before a call's edits; `maskAfter`: the allowed-token mask was left to the chain. */
export function beginEdits(maskAfter: bool): void {
  unmasked = maskAfter;
  undone = 0;
  overflowed = -1;
  overflowedBy = -1;
}

/** Before edit `id`'s put()s. */
export function beginEdit(id: i32): void {
  current = id;
}

/** Logit `id` of x becomes v, an edit of its value `before` (`ban`: the edit masks on purpose). */
export function put(x: usize, id: i32, before: f32, v: f32, ban: bool, undo: bool): void {
  // A token the mask disallows would be -Infinity already, as in the masked copy: never named.
  if (
    overflowed < 0 &&
    !ban &&
    abs<f32>(v) == Infinity &&
    abs<f32>(before) != Infinity &&
    (!unmasked || allowedByMask(id))
  ) {
    overflowed = id;
    overflowedBy = current;
  }
  const at = x + ((<usize>id) << 2);
  // Only a token's first edit of the call is recorded: its value then is the original. So the
  // record holds at most one entry per token the call's edits name (layout.ts sizes it so),
  // however many edits change the same token.
  if (undo) {
    const mark = seen(id);
    if (!(mark & RECORDED)) {
      setSeen(id, mark | RECORDED);
      store<i32>(UNDO_IDS + ((<usize>undone) << 2), id);
      store<f32>(UNDO_VALS + ((<usize>undone) << 2), before);
      undone++;
    }
  }
  store<f32>(at, v);
}

/** Puts back every logit put() changed, and clears their marks. */
export function restore(x: usize): void {
  for (let k = 0; k < undone; k++) {
    const id = load<i32>(UNDO_IDS + ((<usize>k) << 2));
    store<f32>(x + ((<usize>id) << 2), load<f32>(UNDO_VALS + ((<usize>k) << 2)));
    setSeen(id, seen(id) & ~RECORDED);
  }
  undone = 0;
}
