// The edits, always before the chain and in this order: the allowed-token mask and probability
// input (input.ts: a copy to STAGE), the logit bias, then the penalties. Each changes only the
// logits it names, in place, and restore() (edits/undo.ts) puts them back.
import { applyBias } from './edits/bias';
import { applyPenalties } from './edits/penalties';
import { beginEdits } from './edits/undo';

/** The first logit-bias entry applyEdits() refused (-1: none). */
export let badEdit: i32 = -1;

/** Applies every edit to x[0 .. n) in place (recording originals if undo). False, with badEdit
 *  set, at a logit-bias entry that names no token or is NaN or +Infinity. */
export function applyEdits(x: usize, n: i32, undo: bool): bool {
  beginEdits();
  badEdit = applyBias(x, n, undo);
  if (badEdit >= 0) return false;
  applyPenalties(x, undo);
  return true;
}
