// Hugging Face's no_repeat_ngram_size: a token is banned when it would complete an n-gram the
// history already holds — when the history's last n − 1 tokens occurred before, followed by it
// (n = 1: every token of the history). Read off the repeats (repeats.ts): O(history).
import { P_HISTORY_COUNT, ST_NO_REPEAT_NGRAM } from '../abi';
import { getI32, param } from '../block';
import { HISTORY } from '../layout';
import { ensureRepeats, repeatAt } from './repeats';
import { Undo } from './undo';

export function applyNoRepeatNgram(x: usize, undo: bool): void {
  const size = <i32>param(ST_NO_REPEAT_NGRAM, 0);
  if (size == 0) return;
  const h = getI32(P_HISTORY_COUNT);
  if (size == 1) {
    for (let k = 0; k < h; k++) Undo.ban(x, load<i32>(HISTORY + ((<usize>k) << 2)), undo);
    return;
  }
  ensureRepeats(h);
  for (let k = 1; k < h; k++) {
    if (repeatAt(k) >= size - 1) Undo.ban(x, load<i32>(HISTORY + ((<usize>(h - k)) << 2)), undo);
  }
}
