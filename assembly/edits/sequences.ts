// The sequence table the host copied in: token sequences one after another in SEQ_TOKENS,
// where each ends in SEQ_ENDS, and a value per sequence in SEQ_VALS. The sequence bias's
// entries come first, then the bad words, then DRY's sequence breakers (abi.ts P_*_COUNT).
import { P_BAD_WORDS_COUNT, P_HISTORY_COUNT, P_SEQ_BIAS_COUNT } from '../abi';
import { getI32 } from '../block';
import { HISTORY, SEQ_ENDS, SEQ_TOKENS, SEQ_VALS } from '../layout';

/** Where sequence j's tokens start and end in SEQ_TOKENS. */
export function seqStart(j: i32): i32 {
  return j == 0 ? 0 : load<i32>(SEQ_ENDS + ((<usize>(j - 1)) << 2));
}
export function seqEnd(j: i32): i32 {
  return load<i32>(SEQ_ENDS + ((<usize>j) << 2));
}
export function seqToken(k: i32): i32 {
  return load<i32>(SEQ_TOKENS + ((<usize>k) << 2));
}
export function seqValue(j: i32): f32 {
  return load<f32>(SEQ_VALS + ((<usize>j) << 2));
}

/** The first sequence of each group. */
export function firstBadWord(): i32 {
  return getI32(P_SEQ_BIAS_COUNT);
}
export function firstBreaker(): i32 {
  return getI32(P_SEQ_BIAS_COUNT) + getI32(P_BAD_WORDS_COUNT);
}

/** Whether the history ends with sequence j's tokens but the last: the last one is what the
 *  next token would complete (always, for a one-token sequence). O(its length). */
export function completes(j: i32): bool {
  const from = seqStart(j),
    last = seqEnd(j) - 1;
  const h = getI32(P_HISTORY_COUNT);
  const need = last - from;
  if (need > h) return false;
  const at = HISTORY + ((<usize>(h - need)) << 2);
  for (let k = 0; k < need; k++) {
    if (load<i32>(at + ((<usize>k) << 2)) != seqToken(from + k)) return false;
  }
  return true;
}
