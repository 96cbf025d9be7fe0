// Repeats of the history's latest tokens, for DRY and the no-repeat n-gram ban: REPEATS[k] is how
// many tokens the history up to k tokens before its end has in common, at its end, with the whole
// history — the longest suffix of the history that occurred before, ending k tokens earlier. The
// token after that earlier occurrence, HISTORY[h − k], is what the next token would repeat.
// That is the Z-function of the reversed history (Gusfield's Z-algorithm), O(length).
import { P_HISTORY_COUNT } from '../abi';
import { getI32 } from '../block';
import { HISTORY, REPEATS } from '../layout';

/** How many of the latest history tokens REPEATS describes this call (0: none yet). */
let ready = 0;

/** Before a call's edits, and after REPEATS served as scratch. */
export function forgetRepeats(): void {
  ready = 0;
}

/** The repeat length k tokens before the end (1 ≤ k < the length ensureRepeats() was given),
 *  counted within that many latest tokens. */
export function repeatAt(k: i32): i32 {
  return load<i32>(REPEATS + ((<usize>k) << 2));
}

/** Fills REPEATS for the latest `len` history tokens, unless it already describes as many. A
 *  consumer that reads a shorter window w clamps repeatAt(k) to w − k: the Z-function of the
 *  shorter reversed window is exactly that. */
export function ensureRepeats(len: i32): void {
  if (ready >= len) return;
  const end = HISTORY + ((<usize>(getI32(P_HISTORY_COUNT) - 1)) << 2);
  // r(i) = the i-th token from the end; [l, r) is the rightmost match of a prefix of r found.
  let l = 0,
    r = 0;
  for (let k = 1; k < len; k++) {
    let z = 0;
    if (k < r) z = min<i32>(r - k, repeatAt(k - l));
    while (k + z < len && load<i32>(end - ((<usize>z) << 2)) == load<i32>(end - ((<usize>(k + z)) << 2))) z++;
    store<i32>(REPEATS + ((<usize>k) << 2), z);
    if (k + z > r) {
      l = k;
      r = k + z;
    }
  }
  ready = len;
}
