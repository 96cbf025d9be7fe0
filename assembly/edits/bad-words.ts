// Bad words (vLLM's bad_words, Hugging Face's NoBadWordsLogitsProcessor): a sequence's last
// token is banned when the history ends with the rest of it (a one-token sequence: always).
import { P_BAD_WORDS_COUNT } from '../abi';
import { getI32 } from '../block';
import { completes, firstBadWord, seqEnd, seqToken } from './sequences';
import { Undo } from './undo';

export function applyBadWords(x: usize, undo: bool): void {
  const from = firstBadWord(),
    to = from + getI32(P_BAD_WORDS_COUNT);
  for (let j = from; j < to; j++) {
    if (!completes(j)) continue;
    Undo.ban(x, seqToken(seqEnd(j) - 1), undo);
  }
}
