// A mask that allows few tokens (a grammar state such as "a digit" or "a closing brace") turns
// into the candidate list itself: the allowed tokens are read from the mask's set bits, where
// the masked copy (input.ts) writes every logit of the vocabulary to STAGE only for the chain
// to skip all but a handful of them. The logits are still all read once, for validity: a mask
// never hides a broken input.
import { padList } from './candidates';
import { LIST, MASK, XL } from './layout';

/** A mask takes this route when it allows at most n >> SPARSE_SHIFT tokens. Beyond that, a
 *  chain that cuts on the logits (top-k) does better on the dense logits' block maxima than on
 *  a long list (bench/shapes.mjs). */
const SPARSE_SHIFT = 6;

/** listAllowed(): a logit is NaN or +Infinity, at invalidAt; listedLogits(): an edit made one. */
export const INVALID = -2;
export let invalidAt: i32 = -1;

/** Whether the mask over n tokens allows at most n >> SPARSE_SHIFT of them. Stops counting as
 *  soon as the answer is no, so that a mask just past the bound does not pay for a list it
 *  then drops. Bits at n and past it are the caller's slack and do not count. */
export function sparseMask(n: i32): bool {
  const limit = n >> SPARSE_SHIFT;
  const whole = n >> 5;
  let count = 0;
  for (let w = 0; w < whole; w++) {
    count += <i32>popcnt<u32>(load<u32>(MASK + ((<usize>w) << 2)));
    if (count > limit) return false;
  }
  if (n & 31) count += <i32>popcnt<u32>(load<u32>(MASK + ((<usize>whole) << 2)) & ((1 << (n & 31)) - 1));
  return count <= limit;
}

/** Whether token i is allowed by the mask. */
export function allowedByMask(i: i32): bool {
  return ((load<u32>(MASK + ((<usize>(i >> 5)) << 2)) >>> (i & 31)) & 1) != 0;
}

/**
 * One pass over the logits x[0 .. n) a mask word (32 logits) at a time: checks each logit
 * (NaN and +Infinity are invalid, allowed or not) and lists in LIST the tokens the word allows,
 * ascending. Returns how many, or INVALID at the first invalid logit.
 */
export function listAllowed(x: usize, n: i32): i32 {
  const whole = n >> 5;
  let count = 0;
  let w = 0;
  if (ASC_FEATURE_SIMD) {
    const inf = f32x4.splat(Infinity);
    for (; w < whole; w++) {
      const a = x + ((<usize>w) << 7);
      // v < +Infinity is false for NaN and +Infinity alone.
      const ok = v128.and(
        v128.and(
          v128.and(f32x4.lt(v128.load(a), inf), f32x4.lt(v128.load(a, 16), inf)),
          v128.and(f32x4.lt(v128.load(a, 32), inf), f32x4.lt(v128.load(a, 48), inf)),
        ),
        v128.and(
          v128.and(f32x4.lt(v128.load(a, 64), inf), f32x4.lt(v128.load(a, 80), inf)),
          v128.and(f32x4.lt(v128.load(a, 96), inf), f32x4.lt(v128.load(a, 112), inf)),
        ),
      );
      if (!i32x4.all_true(ok)) break; // the loop below finds which
      const bits = load<u32>(MASK + ((<usize>w) << 2));
      if (bits) count = Bits.list(w, bits, count);
    }
  }
  const words = (n + 31) >> 5;
  for (; w < words; w++) {
    const end = min<i32>((w + 1) << 5, n);
    for (let i = w << 5; i < end; i++) {
      if (!(load<f32>(x + ((<usize>i) << 2)) < Infinity)) {
        invalidAt = i;
        return INVALID;
      }
    }
    let bits = load<u32>(MASK + ((<usize>w) << 2));
    if (end & 31) bits &= (1 << (end & 31)) - 1;
    count = Bits.list(w, bits, count);
  }
  return count;
}

/**
 * After the edits (which run on x itself, the mask not applied): XL ← the listed tokens'
 * logits, dropping those now -Infinity (masked by the caller or banned by an edit), the list
 * padded; returns how many remain, or INVALID when an edit left a NaN or +Infinity among them
 * (a penalty of -Infinity on a token already -Infinity: the dense logits' max pass reports
 * the same, and the chain trusts this list).
 */
export function listedLogits(x: usize, count: i32): i32 {
  let kept = 0;
  for (let j = 0; j < count; j++) {
    const i = load<i32>(LIST + ((<usize>j) << 2));
    const v = load<f32>(x + ((<usize>i) << 2));
    if (!(v < Infinity)) return INVALID;
    if (v == -Infinity) continue;
    store<i32>(LIST + ((<usize>kept) << 2), i);
    store<f32>(XL + ((<usize>kept) << 2), v);
    kept++;
  }
  padList(kept);
  return kept;
}

// A static-only class: how AssemblyScript takes @inline.
class Bits {
  /** Appends the tokens of mask word w's set bits to LIST; returns the new count. */
  @inline static list(w: i32, bits: u32, count: i32): i32 {
    while (bits) {
      store<i32>(LIST + ((<usize>count) << 2), (w << 5) + <i32>ctz<u32>(bits));
      count++;
      bits &= bits - 1;
    }
    return count;
  }
}
