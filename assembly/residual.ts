// Speculative decoding's residual draw: at the first rejected draft, the token comes from
// norm(max(0, p − q)), p the target's processed distribution and q the draft's (one-hot at the
// draft token when the draft is deterministic). Both are whole distributions of n floats: p at
// OUTPUT (XL, a MODE_PROBS run's result) and q at DRAFT_Q, where the host copied the draft's.
//
// The weights are float64 differences of float32 probabilities. Each block of 64 is summed in
// four running sums (position & 3; the SIMD build's f64x2 lanes hold the same sums), so that the
// adds do not wait on one another; the blocks are then added in order. The draw walks the block
// sums to the block where the running total passes u·total, then that block's weights one by
// one. Every build does the same float64 operations in the same order: the same token.
import { BLOCK, BMASS, DRAFT_Q, XL } from './layout';

/**
 * The token drawn with u from max(0, p − q) over n positions, normalised (q at DRAFT_Q, or
 * one-hot at `token` when `oneHot`). When nothing is left over (p = q within rounding), from p
 * itself: the target's distribution is then exact. -1 when p is all 0 too.
 */
export function drawResidual(n: i32, u: f64, token: i32, oneHot: bool): i32 {
  const q = DRAFT_Q;
  if (oneHot) {
    memory.fill(q, 0, (<usize>n) << 2);
    store<f32>(q + ((<usize>token) << 2), 1);
  }
  let total = blockSums(n, q);
  if (!(total > 0)) {
    // Nothing over: p itself, as max(0, p − 0).
    memory.fill(q, 0, (<usize>n) << 2);
    total = blockSums(n, q);
    if (!(total > 0)) return -1;
  }
  return walk(n, q, u * total);
}

class Residual {
  /** max(0, p − q) at position i, in float64. */
  @inline static weight(q: usize, i: i32): f64 {
    const at = (<usize>i) << 2;
    return max<f64>(<f64>load<f32>(XL + at) - <f64>load<f32>(q + at), 0);
  }
}

/** BMASS[b] ← the weight of block b (four running sums, by position & 3, combined as
 *  (s0 + s1) + (s2 + s3)); returns their total, added block by block. */
function blockSums(n: i32, q: usize): f64 {
  const full = n >> 6;
  let total: f64 = 0;
  for (let b = 0; b < full; b++) {
    const p0 = XL + ((<usize>b) << 8),
      q0 = q + ((<usize>b) << 8);
    let s: f64;
    if (ASC_FEATURE_SIMD) {
      const zero = f64x2.splat(0);
      let a = zero, // positions ≡ 0, 1 (mod 4)
        c = zero; // positions ≡ 2, 3
      for (let o: usize = 0; o < 256; o += 16) {
        const pv = v128.load(p0 + o),
          qv = v128.load(q0 + o);
        const lo = f64x2.sub(f64x2.promote_low_f32x4(pv), f64x2.promote_low_f32x4(qv));
        const hi = f64x2.sub(
          f64x2.promote_low_f32x4(v128.shuffle<f32>(pv, pv, 2, 3, 0, 1)),
          f64x2.promote_low_f32x4(v128.shuffle<f32>(qv, qv, 2, 3, 0, 1)),
        );
        a = f64x2.add(a, f64x2.pmax(zero, lo));
        c = f64x2.add(c, f64x2.pmax(zero, hi));
      }
      s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1) + (f64x2.extract_lane(c, 0) + f64x2.extract_lane(c, 1));
    } else {
      let s0: f64 = 0,
        s1: f64 = 0,
        s2: f64 = 0,
        s3: f64 = 0;
      const i0 = b << 6;
      for (let j = 0; j < BLOCK; j += 4) {
        s0 += Residual.weight(q, i0 + j);
        s1 += Residual.weight(q, i0 + j + 1);
        s2 += Residual.weight(q, i0 + j + 2);
        s3 += Residual.weight(q, i0 + j + 3);
      }
      s = s0 + s1 + (s2 + s3);
    }
    store<f64>(BMASS + ((<usize>b) << 3), s);
    total += s;
  }
  if (n & (BLOCK - 1)) {
    // The last partial block, one by one in position order on every build.
    let s: f64 = 0;
    for (let i = full << 6; i < n; i++) s += Residual.weight(q, i);
    store<f64>(BMASS + ((<usize>full) << 3), s);
    total += s;
  }
  return total;
}

/** The position where the running weight passes goal: block by block, then one by one. */
function walk(n: i32, q: usize, goal: f64): i32 {
  const blocks = (n + BLOCK - 1) >> 6;
  let cum: f64 = 0;
  let last = -1; // the last block with weight
  for (let b = 0; b < blocks; b++) {
    const s = load<f64>(BMASS + ((<usize>b) << 3));
    if (s == 0) continue;
    if (cum + s > goal) return within(n, q, b, cum, goal);
    cum += s;
    last = b;
  }
  // Rounding kept the running total at or below goal: the last position with weight.
  return within(n, q, last, 0, Infinity);
}

/** In block b, whose predecessors weigh cum: the position where cum plus the weights so far
 *  passes goal, else (rounding) the block's last position with weight. */
function within(n: i32, q: usize, b: i32, cum: f64, goal: f64): i32 {
  let at = -1;
  const end = min<i32>(n, (b + 1) << 6);
  for (let i = b << 6; i < end; i++) {
    const w = Residual.weight(q, i);
    if (w <= 0) continue;
    at = i;
    cum += w;
    if (cum > goal) return i;
  }
  return at;
}
