// The logit bias: value added to the logit of each listed token (-Infinity bans it).
import { P_BIAS_COUNT } from '../abi';
import { getI32 } from '../block';
import { BIAS_IDS, BIAS_VALS } from '../layout';
import { Undo } from './undo';

/**
 * Adds the bias to x[0 .. n) in place. -1 when done; else the first entry whose id is outside
 * [0, n) or whose value is NaN or +Infinity: the fast form of a bias is the caller's own
 * arrays, checked here rather than in a second pass on the host.
 *
 * The entries are checked first, in order and four at a time, and then applied by a loop that
 * does little else: each entry reaches a random logit, and the fewer instructions an entry
 * costs, the more of those reads the processor keeps in flight (5,000 entries took 21 µs with
 * the checks inside the loop, 4 µs in a scratch loop with none).
 */
export function applyBias(x: usize, n: i32, undo: bool): i32 {
  const count = getI32(P_BIAS_COUNT);
  const bad = firstBad(n, count);
  if (bad >= 0) return bad;
  const ids = BIAS_IDS,
    vals = BIAS_VALS;
  if (undo) {
    for (let k = 0; k < count; k++) {
      const id = load<i32>(ids + ((<usize>k) << 2));
      const v = load<f32>(x + ((<usize>id) << 2)),
        b = load<f32>(vals + ((<usize>k) << 2));
      Undo.putFirst(x, id, v, v + b, b == -Infinity);
    }
  } else {
    for (let k = 0; k < count; k++) {
      const id = load<i32>(ids + ((<usize>k) << 2));
      const v = load<f32>(x + ((<usize>id) << 2)),
        b = load<f32>(vals + ((<usize>k) << 2));
      Undo.put(x, id, v, v + b, b == -Infinity, false);
    }
  }
  return -1;
}

/** The first entry that names no token of [0, n) or holds NaN or +Infinity (-1: none). */
function firstBad(n: i32, count: i32): i32 {
  let k = 0;
  if (ASC_FEATURE_SIMD) {
    const vn = i32x4.splat(n),
      inf = f32x4.splat(Infinity);
    for (; k + 4 <= count; k += 4) {
      // An id as unsigned is below n only in [0, n); b < +Infinity is false for NaN too.
      const ok = v128.and(
        i32x4.lt_u(v128.load(BIAS_IDS + ((<usize>k) << 2)), vn),
        f32x4.lt(v128.load(BIAS_VALS + ((<usize>k) << 2)), inf),
      );
      if (!i32x4.all_true(ok)) break; // the loop below finds which
    }
  }
  for (; k < count; k++) {
    const id = load<i32>(BIAS_IDS + ((<usize>k) << 2)),
      b = load<f32>(BIAS_VALS + ((<usize>k) << 2));
    if (<u32>id >= <u32>n || !(b < Infinity)) return k;
  }
  return -1;
}
