// The edits, always before the chain and in this order: the allowed-token mask and probability
// input (input.ts: a copy to STAGE), the logit bias, the sequence bias, the penalties, DRY, then
// the bans (bad words, no-repeat n-grams). Each changes only the logits it names, in place, and
// restore() (edits/undo.ts) puts them back.
import {
  P_HISTORY_COUNT,
  ST_BAD_WORDS,
  ST_DRY,
  ST_LOGIT_BIAS,
  ST_NO_REPEAT_NGRAM,
  ST_PENALTIES,
  ST_SEQUENCE_BIAS,
} from './abi';
import { getI32, param } from './block';
import { applyBadWords } from './edits/bad-words';
import { applyBias } from './edits/bias';
import { applyDry } from './edits/dry';
import { applyNoRepeatNgram } from './edits/no-repeat-ngram';
import { applyPenalties } from './edits/penalties';
import { forgetRepeats } from './edits/repeats';
import { applySequenceBias } from './edits/sequence-bias';
import { beginEdit, beginEdits } from './edits/undo';

/** The first logit-bias entry applyEdits() refused (-1: none). */
export let badEdit: i32 = -1;

/** Applies every edit to x[0 .. n) in place (recording originals if undo). False, with badEdit
 *  set, at a logit-bias entry that names no token or is NaN or +Infinity. `maskAfter`: the
 *  allowed-token mask is applied after the edits (sparse-mask.ts), not yet in x. */
export function applyEdits(x: usize, n: i32, undo: bool, maskAfter: bool): bool {
  beginEdits(maskAfter, undo);
  forgetRepeats();
  beginEdit(ST_LOGIT_BIAS);
  badEdit = applyBias(x, n, undo);
  if (badEdit >= 0) return false;
  beginEdit(ST_SEQUENCE_BIAS);
  applySequenceBias(x, undo);
  beginEdit(ST_PENALTIES);
  applyPenalties(x, undo);
  beginEdit(ST_DRY);
  // DRY and the n-gram ban read the same repeats: computed once, over what the longer needs.
  applyDry(x, undo, param(ST_NO_REPEAT_NGRAM, 0) > 1 ? getI32(P_HISTORY_COUNT) : 0);
  beginEdit(ST_BAD_WORDS);
  applyBadWords(x, undo);
  beginEdit(ST_NO_REPEAT_NGRAM);
  applyNoRepeatNgram(x, undo);
  return true;
}
