// top-k: keep every token whose logit is ≥ the k-th largest (ties at the boundary kept), k
// raised to minKeep. A cut on the logits, so it lists its candidates (candidates.ts) before any
// exponential is taken.
import { ST_TOP_K } from '../abi';
import { param } from '../block';
import { buildTopK, topKOfList } from '../candidates';
import { minKeep } from './min-keep';

export function topK(): i32 {
  return max<i32>(<i32>param(ST_TOP_K, 0), minKeep());
}

/** Lists the top k of the dense logits x[0 .. n) (BMAX from maxPass); returns how many. */
export function listTopK(x: usize, n: i32): i32 {
  return buildTopK(x, n, topK());
}

/** Keeps the top k of the `count` listed candidates; returns how many. */
export function narrowTopK(count: i32): i32 {
  return topKOfList(count, topK());
}
