// DRY, "Don't Repeat Yourself" (koboldcpp PR #982 by pi6am; llama.cpp's dry sampler): over the
// latest `window` history tokens, a candidate c that would extend a repeat — the longest suffix
// of the window that occurred earlier followed by c, of length L ≥ the allowed length — loses
// multiplier · base^min(L − allowed, ⌊ln(FLT_MAX) / ln base⌋) from its logit. The suffix may not
// reach back over the end of the latest sequence breaker in the window, and a single-token
// breaker is never penalised. O(window + the breakers' tokens): no pass over the vocabulary.
import { P_BREAKER_COUNT, P_HISTORY_COUNT, ST_DRY } from '../abi';
import { getI32, param } from '../block';
import { exp2d, log2d } from '../exp';
import { HISTORY, REPEATS } from '../layout';
import { ensureRepeats, forgetRepeats, repeatAt } from './repeats';
import { BREAKER, NUMBER, seen, setSeen } from './seen';
import { firstBreaker, seqEnd, seqStart, seqToken } from './sequences';
import { Undo } from './undo';

/** ln of the largest float32, as llama.cpp caps the exponent: base^cap stays a float32. */
const LN_FLT_MAX: f64 = 88.7228391;

/** Applies DRY to x; `repeats` is how many latest tokens to compute the repeats over (at least
 *  the window: a later edit may read more of them). */
export function applyDry(x: usize, undo: bool, repeats: i32): void {
  const window = <i32>param(ST_DRY, 3);
  if (window < 2) return;
  const h = getI32(P_HISTORY_COUNT);
  const w = HISTORY + ((<usize>(h - window)) << 2);
  const first = firstBreaker(),
    last = first + getI32(P_BREAKER_COUNT);
  const singles = markSingleBreakers(first, last, true);
  // The latest window position where a breaker ends (-1: none); the repeat may not reach it.
  let end = singles > 0 ? latestSingle(w, window) : -1;
  for (let j = first; j < last; j++) {
    const len = seqEnd(j) - seqStart(j);
    if (len >= 2 && len <= window && end < window - 1) end = latestEnd(j, w, window, end);
  }
  const limit = window - 1 - end,
    allowed = <i32>param(ST_DRY, 2);
  if (limit >= allowed) penalise(x, undo, window, limit, allowed, max<i32>(repeats, window));
  markSingleBreakers(first, last, false);
}

/** A 256-bit filter of the single-token breakers: bit t & 255 set for each breaker t. A window
 *  token whose bit is clear is no breaker — most tokens, with a handful of breakers — and needs
 *  no look-up in SEEN, which spans the vocabulary: there, each look-up is likely a cache miss
 *  (the chain has just swept larger arrays through the cache). */
const FILTER = memory.data(32);

/** The latest window position holding a single-token breaker (-1: none). */
function latestSingle(w: usize, window: i32): i32 {
  for (let i = window - 1; i >= 0; i--) {
    const t = load<i32>(w + ((<usize>i) << 2));
    const bit = t & 255;
    if ((load<u32>(FILTER + ((<usize>(bit >> 5)) << 2)) >>> (bit & 31)) & 1 && seen(t) & BREAKER) return i;
  }
  return -1;
}

function penalise(x: usize, undo: bool, window: i32, limit: i32, allowed: i32, repeats: i32): void {
  const h = getI32(P_HISTORY_COUNT);
  ensureRepeats(repeats);
  // Each candidate's longest repeat in SEEN's number field, then one edit per candidate.
  for (let k = 1; k < window; k++) {
    const L = min<i32>(min<i32>(repeatAt(k), window - k), limit);
    if (L < allowed) continue;
    const c = load<i32>(HISTORY + ((<usize>(h - k)) << 2));
    const mark = seen(c);
    if ((mark & NUMBER) < L) setSeen(c, (mark & ~NUMBER) | L);
  }
  const multiplier = param(ST_DRY, 0),
    lb = log2d(param(ST_DRY, 1));
  // base^e = 2^(e·log2 base); base = 1 gives lb = 0 exactly, and every penalty is the multiplier.
  const cap = lb > 0 ? min<f64>(Math.floor(LN_FLT_MAX / (lb * Math.LN2)), 1e9) : 1e9;
  for (let k = 1; k < window; k++) {
    // Only the candidates the first loop marked: every SEEN access is likely a cache miss.
    if (min<i32>(min<i32>(repeatAt(k), window - k), limit) < allowed) continue;
    const c = load<i32>(HISTORY + ((<usize>(h - k)) << 2));
    const mark = seen(c);
    const L = mark & NUMBER;
    if (L == 0) continue;
    setSeen(c, mark & ~NUMBER);
    if (mark & BREAKER) continue;
    const e = min<f64>(<f64>(L - allowed), cap);
    const penalty = multiplier * (lb > 0 ? exp2d(e * lb) : 1);
    const before = load<f32>(x + ((<usize>c) << 2));
    Undo.put(x, c, before, <f32>(<f64>before - penalty), false, undo);
  }
}

/** Sets (or clears) the BREAKER mark of every single-token breaker, and sets FILTER from them;
 *  returns how many there are. */
function markSingleBreakers(first: i32, last: i32, on: bool): i32 {
  if (on) memory.fill(FILTER, 0, 32);
  let count = 0;
  for (let j = first; j < last; j++) {
    const from = seqStart(j);
    if (seqEnd(j) - from != 1) continue;
    const t = seqToken(from);
    setSeen(t, on ? seen(t) | BREAKER : seen(t) & ~BREAKER);
    const word = FILTER + ((<usize>((t & 255) >> 5)) << 2);
    if (on) store<u32>(word, load<u32>(word) | ((<u32>1) << (t & 31)));
    count++;
  }
  return count;
}

/**
 * The window position where breaker j's latest occurrence inside the window ends, if later than
 * `best`; else best. Knuth–Morris–Pratt over the window read backwards with the breaker
 * reversed, so that the first match found is the latest, stopping once no match could end after
 * best: O(window + its length). Its failure function is kept in REPEATS, free until the repeats
 * are computed (they are forgotten here, to be safe).
 */
function latestEnd(j: i32, w: usize, window: i32, best: i32): i32 {
  const from = seqStart(j),
    m = seqEnd(j) - from;
  const top = from + m - 1; // reversed: q-th token = seqToken(top - q)
  forgetRepeats();
  store<i32>(REPEATS, 0);
  let k = 0;
  for (let q = 1; q < m; q++) {
    const t = seqToken(top - q);
    while (k > 0 && t != seqToken(top - k)) k = load<i32>(REPEATS + ((<usize>(k - 1)) << 2));
    if (t == seqToken(top - k)) k++;
    store<i32>(REPEATS + ((<usize>q) << 2), k);
  }
  // Text position i is window position window − 1 − i; a match there starts at i − m + 1.
  const stop = window - 1 - best;
  let q = 0;
  for (let i = 0; i < window && i - m + 1 < stop; i++) {
    const t = load<i32>(w + ((<usize>(window - 1 - i)) << 2));
    while (q > 0 && t != seqToken(top - q)) q = load<i32>(REPEATS + ((<usize>(q - 1)) << 2));
    if (t == seqToken(top - q)) q++;
    if (q == m) return window - 1 - (i - m + 1);
  }
  return best;
}
