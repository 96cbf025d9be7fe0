// The logit bias: value added to the logit of each listed token (-Infinity bans it).
import { P_BIAS_COUNT } from '../abi';
import { getI32 } from '../block';
import { BIAS_IDS, BIAS_VALS } from '../layout';
import { Undo } from './undo';

/**
 * Adds the bias to x[0 .. n) in place. -1 when done; else the first entry whose id is outside
 * [0, n) or whose value is NaN or +Infinity: the fast form of a bias is the caller's own
 * arrays, checked here in the loop that reads them anyway rather than in a second pass on
 * the host.
 */
export function applyBias(x: usize, n: i32, undo: bool): i32 {
  const count = getI32(P_BIAS_COUNT);
  for (let k = 0; k < count; k++) {
    const id = load<i32>(BIAS_IDS + ((<usize>k) << 2)),
      b = load<f32>(BIAS_VALS + ((<usize>k) << 2));
    if (<u32>id >= <u32>n || b != b || b == Infinity) return k;
    const v = load<f32>(x + ((<usize>id) << 2));
    Undo.put(x, id, v, v + b, b == -Infinity, undo);
  }
  return -1;
}
