// SEEN: one i32 per token that the edits mark and clear again, so that it is all zero between
// calls (configure() zeroes it once). Marking a per-token table is what keeps the edits at
// O(what they name): counting a token's occurrences, or finding whether it is a breaker, never
// scans the vocabulary. The low bits hold a number (the penalties' count of a token, DRY's
// longest repeat before it), cleared by whoever set it; the flags live above them.
import { SEEN } from '../layout';

/** The number field: counts and lengths up to MAX_TOKENS (2^24) fit. */
export const NUMBER: i32 = 0x01ffffff;
/** DRY: the token is a single-token sequence breaker (never penalised). */
export const BREAKER: i32 = 1 << 29;

export function seen(id: i32): i32 {
  return load<i32>(SEEN + ((<usize>id) << 2));
}

export function setSeen(id: i32, v: i32): void {
  store<i32>(SEEN + ((<usize>id) << 2), v);
}
