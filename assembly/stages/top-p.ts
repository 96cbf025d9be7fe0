// top-p (nucleus): keep the smallest prefix, by probability descending then token ascending,
// whose mass reaches topP of the distribution it receives; at least one token. The prefix is
// found by the mass selection (selection.ts) on the stored e, and kept as a threshold on e plus
// the tied tokens up to a position (kept.ts).
import { ST_TOP_P } from '../abi';
import { param } from '../block';
import { KEEP_ALL, keepPrefix, ONE_BITS, untouched } from '../kept';
import { BMASS, KMASS } from '../layout';
import { BY_KEPT_MASS, BY_MASS, cutComplete, cutIndex, cutKey, cutMass, select } from '../selection';

/** Tightens the kept set of `len` positions (of mass `mass`) to the nucleus; returns its mass.
 *  KMASS must hold the kept mass per block unless the set is untouched. */
export function cutTopP(len: i32, mass: f64): f64 {
  const p = param(ST_TOP_P, 0);
  if (untouched) select(BY_MASS, len, BMASS, mass, p * mass);
  else select(BY_KEPT_MASS, len, KMASS, mass, p * mass);
  if (cutKey == KEEP_ALL) return cutMass;
  keepPrefix(reinterpret<f32>(ONE_BITS - cutKey), cutIndex, cutComplete);
  return cutMass;
}
