// minKeep (llama.cpp min_keep, HF min_tokens_to_keep): no truncation stage leaves fewer than
// max(minKeep, 1) of the tokens it receives. A setting of every truncation rather than a stage
// of the order. On the logits (top-k, top-nσ) it raises k; on the kept set, a stage whose rule
// keeps too few starts again from what it received (kept.saveRule) and keeps the first minKeep
// in its own order — probability descending then token, or for typical-p closeness to the
// entropy then token — so the one kept record stays a prefix (or a band).
import { MAX_TOKENS, ST_MIN_KEEP } from '../abi';
import { param } from '../block';
import { aimBand, banded, capped, floor, keepBand, keepPrefix, ONE_BITS, restoreRule } from '../kept';
import {
  BY_BAND,
  BY_E,
  cutKeys,
  cutLast,
  cutWhole,
  gatherKept,
  keepTopFlushed,
  keptAtLeast,
  kthLargestE,
} from '../mass';

/** The minimum each truncation keeps (0 and 1 alike: every stage keeps a token). */
export function minKeep(): i32 {
  return <i32>min<f64>(param(ST_MIN_KEEP, 0), MAX_TOKENS);
}

/**
 * After a stage tightened the kept set of `len` positions (saveRule() before it): when fewer
 * than `least` positions are kept, puts back what the stage received and keeps its first
 * `least` positions in prefix order — or with `center`, in typical-p's order, closeness of z to
 * it. Returns whether it did (the kept mass is then to be summed again).
 */
export function holdAtLeast(len: i32, least: i32, byBand: bool = false, center: f32 = 0): bool {
  if (least <= 0) return false;
  // Without a band or a ceiling, the maximum (e = 1) is kept while the floor allows it.
  if (least == 1 && !banded && !capped && floor <= 1) return false;
  if (keptAtLeast(len, least)) return false;
  restoreRule();
  if (byBand) aimBand(center);
  // A prefix of the order (no band, no ceiling) keeps the `least` largest e of all: only e at or
  // above a bound on the least-th largest need be gathered — a few blocks, not the vocabulary.
  let from: f32 = byBand || banded || capped ? 0 : kthLargestE(len, least);
  let count = gatherKept(len, byBand ? BY_BAND : BY_E, from);
  if (count < least && from > 0) {
    // Fewer kept than the bound promised (they lie above the rule's floor): gather them all.
    from = 0;
    count = gatherKept(len, BY_E);
  }
  // No more than `least` with a stored e: they all stay, and the flushed ones the rule kept
  // make up the rest, most likely first (none when the stored ones are enough). That is
  // typical-p's order too: a flushed z lies further below the centre (a mean z, above −20
  // for any vocabulary up to 2^24) than the top's 0 lies above it. A ceiling (XTC) sits at a
  // stored e, above them all; only an earlier band keeps none of them (keepTopFlushed).
  if (count <= least && from == 0) {
    keepTopFlushed(len, least - count);
    return true;
  }
  const key = cutKeys(count, least);
  if (byBand) keepBand(center, key, cutLast);
  else keepPrefix(reinterpret<f32>(ONE_BITS - key), cutLast, cutWhole);
  return true;
}
