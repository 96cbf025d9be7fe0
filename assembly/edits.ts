// What happens to the logits before temperature, in this order: probabilities turned into
// logits (ln p), the allowed-token mask, the logit bias, then repetition, presence and
// frequency penalties. A transformation of every logit (mask, probabilities, rescale) writes
// STAGE; a sparse edit (bias, penalties) changes the few logits it names in place — in the
// caller's view too, recording each original in UNDO so that restore() puts it back: the
// caller's array reads the same after the call, and nothing costs O(vocabulary).
import { lns, lnv } from './exp';
import { BIAS_IDS, BIAS_VALS, HISTORY, MASK, SEEN, STAGE, UNDO_IDS, UNDO_VALS } from './layout';
import {
  F_MASK,
  F_PROBS,
  getF32,
  getI32,
  P_BIAS_COUNT,
  P_FREQUENCY,
  P_HISTORY_COUNT,
  P_PRESENCE,
  P_REPETITION,
} from './params';

/** Index of the first invalid probability found by materialize (-1: none). */
export let badIndex: i32 = -1;

/**
 * STAGE[0 .. n) ← the logits the pipeline reads: ln p when F_PROBS, -Infinity where F_MASK
 * disallows a token. False, with badIndex set, at the first probability that is negative, NaN
 * or +Infinity, or the first logit that is NaN or +Infinity (checked here, masked or not).
 * src is never STAGE: the logits a call starts from are only ever restored, never replaced.
 */
export function materialize(src: usize, n: i32, flags: i32): bool {
  const probs = (flags & F_PROBS) != 0,
    masked = (flags & F_MASK) != 0;
  badIndex = -1;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const lanes = i32x4(1, 2, 4, 8),
      inf = f32x4.splat(Infinity),
      zero = f32x4.splat(0);
    for (; i + 4 <= n; i += 4) {
      let v = v128.load(src + ((<usize>i) << 2));
      if (probs) {
        // ge is false for NaN; p < +Infinity rules out the rest.
        const ok = v128.and(f32x4.ge(v, zero), f32x4.lt(v, inf));
        if (!i32x4.all_true(ok)) break; // the scalar loop below finds which
        v = lnv(v);
      } else if (v128.any_true(v128.or(f32x4.ne(v, v), f32x4.eq(v, inf)))) break;
      if (masked) {
        const word = load<u32>(MASK + ((<usize>(i >> 5)) << 2)) >>> (i & 31);
        const allowed = i32x4.ne(v128.and(i32x4.splat(word), lanes), i32x4.splat(0));
        v = v128.bitselect(v, f32x4.splat(-Infinity), allowed);
      }
      v128.store(STAGE + ((<usize>i) << 2), v);
    }
  }
  for (; i < n; i++) {
    let v = load<f32>(src + ((<usize>i) << 2));
    if (probs) {
      if (!(v >= 0 && v < Infinity)) {
        badIndex = i;
        return false;
      }
      v = lns(v);
    } else if (v != v || v == Infinity) {
      badIndex = i;
      return false;
    }
    if (masked && !((load<u32>(MASK + ((<usize>(i >> 5)) << 2)) >>> (i & 31)) & 1)) v = -Infinity;
    store<f32>(STAGE + ((<usize>i) << 2), v);
  }
  return true;
}

/** STAGE[0 .. n) ← x·s for an exact power of two s (x may be STAGE). */
export function rescale(x: usize, n: i32, s: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(s);
    for (; i + 4 <= n; i += 4) v128.store(STAGE + ((<usize>i) << 2), f32x4.mul(v128.load(x + ((<usize>i) << 2)), vs));
  }
  for (; i < n; i++) store<f32>(STAGE + ((<usize>i) << 2), load<f32>(x + ((<usize>i) << 2)) * s);
}

let undone = 0;

function set(x: usize, id: i32, v: f32, undo: bool): void {
  const at = x + ((<usize>id) << 2);
  if (undo) {
    store<i32>(UNDO_IDS + ((<usize>undone) << 2), id);
    store<f32>(UNDO_VALS + ((<usize>undone) << 2), load<f32>(at));
    undone++;
  }
  store<f32>(at, v);
}

/** Applies the logit bias, then the penalties, to x in place (recording originals if undo). */
export function edit(x: usize, undo: bool): void {
  undone = 0;
  const biases = getI32(P_BIAS_COUNT);
  for (let k = 0; k < biases; k++) {
    const id = load<i32>(BIAS_IDS + ((<usize>k) << 2));
    set(x, id, load<f32>(x + ((<usize>id) << 2)) + load<f32>(BIAS_VALS + ((<usize>k) << 2)), undo);
  }
  const h = getI32(P_HISTORY_COUNT);
  if (h == 0) return;
  const rep = getF32(P_REPETITION),
    presence = getF32(P_PRESENCE),
    frequency = getF32(P_FREQUENCY);
  // Count each token's occurrences in SEEN, then edit each distinct token once, at its first
  // occurrence, and clear its count: O(history), and SEEN is all zero again afterwards.
  for (let k = 0; k < h; k++) {
    const at = SEEN + ((<usize>load<i32>(HISTORY + ((<usize>k) << 2))) << 2);
    store<i32>(at, load<i32>(at) + 1);
  }
  for (let k = 0; k < h; k++) {
    const id = load<i32>(HISTORY + ((<usize>k) << 2));
    const at = SEEN + ((<usize>id) << 2);
    const count = load<i32>(at);
    if (count == 0) continue;
    store<i32>(at, 0);
    let v = load<f32>(x + ((<usize>id) << 2));
    if (rep != 1) v = v > 0 ? v / rep : v * rep;
    v = v - (<f32>count * frequency + presence);
    set(x, id, v, undo);
  }
}

/** Puts back every logit edit() changed, newest first. */
export function restore(x: usize): void {
  for (let k = undone - 1; k >= 0; k--) {
    store<f32>(x + ((<usize>load<i32>(UNDO_IDS + ((<usize>k) << 2))) << 2), load<f32>(UNDO_VALS + ((<usize>k) << 2)));
  }
  undone = 0;
}
