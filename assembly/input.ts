// What the chain reads, when it is not the caller's logits as they are: probabilities turned
// into logits (ln p), the allowed-token mask applied, or logits rescaled by a power of two. Each
// is a transformation of every logit, written to STAGE; the caller's array is only ever read.
// Why the mask is a copy and not in place like the edits: a grammar mask that lets 90% of
// the tokens through still touches a third of the vectors, in no pattern the branches can
// learn; masking those in place and putting them back measured 4x slower than one copy.
import { F_MASK, F_PROBS } from './abi';
import { lnd, lns, lnv } from './exp';
import { MASK, STAGE } from './layout';
import { maskedLogit, NIBBLE_OFFSETS } from './mask-lanes';

/** Index of the first invalid probability found by materialize (-1: none). */
export let badIndex: i32 = -1;

/** Lane i of vector j holds bit 4j + i of a mask word; then +Infinity (see maskedCopy). */
const LANE_BITS = memory.data<u32>([
  1,
  2,
  4,
  8,
  1 << 4,
  2 << 4,
  4 << 4,
  8 << 4,
  1 << 8,
  2 << 8,
  4 << 8,
  8 << 8,
  1 << 12,
  2 << 12,
  4 << 12,
  8 << 12,
  1 << 16,
  2 << 16,
  4 << 16,
  8 << 16,
  1 << 20,
  2 << 20,
  4 << 20,
  8 << 20,
  1 << 24,
  2 << 24,
  4 << 24,
  8 << 24,
  1 << 28,
  2 << 28,
  4 << 28,
  8 << 28,
  0x7f800000,
  0x7f800000,
  0x7f800000,
  0x7f800000,
]);

/**
 * STAGE[0 .. n) ← the logits the chain reads: ln p when F_PROBS, -Infinity where F_MASK
 * disallows a token. False, with badIndex set, at the first probability that is negative, NaN
 * or +Infinity. A mask never hides a broken logit: a disallowed NaN or +Infinity becomes NaN,
 * which the chain's passes find as they find any. src is never STAGE: the logits a call
 * starts from are only ever restored, never replaced.
 */
export function materialize(src: usize, n: i32, flags: i32): bool {
  const probs = (flags & F_PROBS) != 0,
    masked = (flags & F_MASK) != 0;
  badIndex = -1;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    if (!probs) i = maskedCopy(src, n);
    else {
      const inf = f32x4.splat(Infinity),
        zero = f32x4.splat(0);
      for (; i + 4 <= n; i += 4) {
        let v = v128.load(src + ((<usize>i) << 2));
        // ge is false for NaN; p < +Infinity rules out the rest.
        if (!i32x4.all_true(v128.and(f32x4.ge(v, zero), f32x4.lt(v, inf)))) break; // the loop below finds which
        v = lnv(v);
        if (masked) {
          const word = <usize>(load<u32>(MASK + ((<usize>(i >> 5)) << 2)) >>> (i & 31));
          v = f32x4.sub(v, v128.load(NIBBLE_OFFSETS + ((word << 4) & 0xf0)));
        }
        v128.store(STAGE + ((<usize>i) << 2), v);
      }
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
    }
    // A NaN or +Infinity logit is copied as the vector part copies it, not refused here: the
    // edits then run before the chain finds it, as they do without a mask, and an edit's
    // overflow is the error on every build wherever the broken logit sits.
    if (masked) v = maskedLogit(v, i);
    store<f32>(STAGE + ((<usize>i) << 2), v);
  }
  return true;
}

/**
 * The vector part of masking logits into STAGE, a word of the mask (eight vectors) at a time;
 * returns where it stopped, at the tail. Its constants are loaded from memory, once: V8 rebuilds a
 * v128.const inside a loop on every use (several instructions each), and that made this copy
 * three times slower than the copy alone. A row of mask-lanes.ts's table per vector (one load
 * instead of three vector operations, as greedy's masked argmax reads the mask) made this copy
 * 1.03-1.07× slower: the copy is bound by its loads and stores, and the table adds a load.
 */
function maskedCopy(src: usize, n: i32): i32 {
  const m0 = v128.load(LANE_BITS),
    m1 = v128.load(LANE_BITS, 16),
    m2 = v128.load(LANE_BITS, 32),
    m3 = v128.load(LANE_BITS, 48),
    m4 = v128.load(LANE_BITS, 64),
    m5 = v128.load(LANE_BITS, 80),
    m6 = v128.load(LANE_BITS, 96),
    m7 = v128.load(LANE_BITS, 112),
    inf = v128.load(LANE_BITS, 128);
  let i = 0;
  for (; i + 32 <= n; i += 32) {
    const w = i32x4.splat(load<u32>(MASK + (<usize>i >> 3)));
    const a = src + ((<usize>i) << 2),
      b = STAGE + ((<usize>i) << 2);
    // x − (allowed ? 0 : +Infinity): x where allowed (−0 stays −0), else -Infinity — or NaN
    // for a NaN or +Infinity there, which the chain's NaN watch then reports as it would any.
    v128.store(b, f32x4.sub(v128.load(a), v128.andnot(inf, i32x4.eq(v128.and(w, m0), m0))));
    v128.store(b, f32x4.sub(v128.load(a, 16), v128.andnot(inf, i32x4.eq(v128.and(w, m1), m1))), 16);
    v128.store(b, f32x4.sub(v128.load(a, 32), v128.andnot(inf, i32x4.eq(v128.and(w, m2), m2))), 32);
    v128.store(b, f32x4.sub(v128.load(a, 48), v128.andnot(inf, i32x4.eq(v128.and(w, m3), m3))), 48);
    v128.store(b, f32x4.sub(v128.load(a, 64), v128.andnot(inf, i32x4.eq(v128.and(w, m4), m4))), 64);
    v128.store(b, f32x4.sub(v128.load(a, 80), v128.andnot(inf, i32x4.eq(v128.and(w, m5), m5))), 80);
    v128.store(b, f32x4.sub(v128.load(a, 96), v128.andnot(inf, i32x4.eq(v128.and(w, m6), m6))), 96);
    v128.store(b, f32x4.sub(v128.load(a, 112), v128.andnot(inf, i32x4.eq(v128.and(w, m7), m7))), 112);
  }
  return i;
}

/** dst[0 .. n) ← x·s for an exact power of two s (dst may be x). */
export function rescale(dst: usize, x: usize, n: i32, s: f32): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(s);
    for (; i + 4 <= n; i += 4) v128.store(dst + ((<usize>i) << 2), f32x4.mul(v128.load(x + ((<usize>i) << 2)), vs));
  }
  for (; i < n; i++) store<f32>(dst + ((<usize>i) << 2), load<f32>(x + ((<usize>i) << 2)) * s);
}

/**
 * ln Σp of the caller's probabilities src[0 .. n) (already checked by materialize(): finite and
 * ≥ 0), 0 when they sum to 0: what an edit whose result depends on their scale needs to act on
 * ln(p/Σp) (edits/penalties.ts). A pass of its own, so that only such an edit pays for it.
 * Float64, position i adding to partial sum i & 3 in the same order in the vector loop (lanes
 * of two f64x2 sums) as in the scalar one, so every build gets the same bits.
 */
export function logMass(src: usize, n: i32): f64 {
  let s0: f64 = 0,
    s1: f64 = 0,
    s2: f64 = 0,
    s3: f64 = 0;
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    let lo = f64x2.splat(0),
      hi = f64x2.splat(0);
    for (; i + 4 <= n; i += 4) {
      const v = v128.load(src + ((<usize>i) << 2));
      lo = f64x2.add(lo, f64x2.promote_low_f32x4(v));
      hi = f64x2.add(hi, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 2, 3)));
    }
    s0 = f64x2.extract_lane(lo, 0);
    s1 = f64x2.extract_lane(lo, 1);
    s2 = f64x2.extract_lane(hi, 0);
    s3 = f64x2.extract_lane(hi, 1);
  }
  for (; i + 4 <= n; i += 4) {
    const at = src + ((<usize>i) << 2);
    s0 += <f64>load<f32>(at);
    s1 += <f64>load<f32>(at, 4);
    s2 += <f64>load<f32>(at, 8);
    s3 += <f64>load<f32>(at, 12);
  }
  // The last n & 3 positions: lanes 0, 1, 2 in turn.
  if (i < n) s0 += <f64>load<f32>(src + ((<usize>i) << 2));
  if (i + 1 < n) s1 += <f64>load<f32>(src + ((<usize>(i + 1)) << 2));
  if (i + 2 < n) s2 += <f64>load<f32>(src + ((<usize>(i + 2)) << 2));
  const mass = s0 + s1 + (s2 + s3);
  return mass > 0 ? lnd(mass) : 0;
}
