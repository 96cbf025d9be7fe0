// Inverse-CDF draw over the kept set, in the same order the masses were summed: whole
// buckets (found by binary search on CUM), then one bucket scanned in position order, or the
// sorted prefix of the cut bucket. Every fallback returns a kept token: float rounding may
// leave a scan a hair short of the target, never outside the kept set.
import { aliveValid, bucketHits, bucketOf, deadBlock, searchCum } from "./histogram";
import { ALIVE, CUM, E, LIST, POS, XL } from "./layout";
import { base, cutBucket, keep, kept } from "./select";

/** Position drawn with u ∈ [0, 1) among len positions. */
export function draw(len: i32, u: f64): i32 {
  const target = u * kept;
  const q = searchCum(cutBucket - 1, target, false);
  if (q < cutBucket) return drawInBucket(len, q, target);
  let acc = base;
  for (let r = 0; r < keep; r++) {
    const j = load<i32>(POS + (<usize>r << 2));
    acc += <f64>load<f32>(E + (<usize>j << 2));
    if (acc > target) return j;
  }
  return load<i32>(POS + (<usize>(keep - 1) << 2));
}

function drawInBucket(len: i32, q: i32, target: f64): i32 {
  let acc: f64 = q > 0 ? load<f64>(CUM + (<usize>(q - 1) << 3)) : 0;
  let last = -1;
  if (ASC_FEATURE_SIMD) {
    const vq = i32x4.splat(q);
    for (let i = 0; i < len; i += 16) {
      if (deadBlock(i)) continue;
      let hit = bucketHits(i, vq);
      while (hit) {
        const j = i + ctz<i32>(hit);
        if (j >= len) return last;
        acc += <f64>load<f32>(E + (<usize>j << 2));
        if (acc > target) return j;
        last = j;
        hit &= hit - 1;
      }
    }
  } else {
    for (let j = 0; j < len; j++) {
      const v = load<f32>(E + (<usize>j << 2));
      if (bucketOf(v) == q) {
        acc += <f64>v;
        if (acc > target) return j;
        last = j;
      }
    }
  }
  return last;
}

/** Writes the normalised kept distribution over n tokens to XL (the probs() output). */
export function writeProbs(n: i32, len: i32, listed: bool): void {
  const out = XL, e = E, s = kept, q = cutBucket;
  if (!listed) {
    for (let i = 0; i < n; i++) {
      const v: f32 = aliveValid && !load<u8>(ALIVE + (<usize>i >> 4)) ? 0 : load<f32>(e + (<usize>i << 2));
      store<f32>(out + (<usize>i << 2), bucketOf(v) < q ? <f32>(<f64>v / s) : 0);
    }
  } else {
    memory.fill(out, 0, <usize>n << 2);
    for (let j = 0; j < len; j++) {
      const v = load<f32>(e + (<usize>j << 2));
      if (bucketOf(v) < q) store<f32>(out + (<usize>load<i32>(LIST + (<usize>j << 2)) << 2), <f32>(<f64>v / s));
    }
  }
  for (let r = 0; r < keep; r++) {
    const j = load<i32>(POS + (<usize>r << 2));
    const t = listed ? load<i32>(LIST + (<usize>j << 2)) : j;
    store<f32>(out + (<usize>t << 2), <f32>(<f64>load<f32>(e + (<usize>j << 2)) / s));
  }
}
