// Locally typical sampling: keep the tokens whose −ln p is closest to the entropy of the
// distribution received, the fewest reaching a mass ≥ typicalP (ties by token). −ln p is closest
// to the entropy exactly when z is closest to the mean z (Σ e·z / Σ e): no logarithm needed.
// Kept as a band on |z − mean| (kept.ts), found by the mass selection (selection.ts).
import { ST_TYPICAL_P } from '../abi';
import { param } from '../block';
import { aimBand, keepBand } from '../kept';
import { KMASS } from '../layout';
import { keptEZ } from '../mass';
import { BY_BAND, cutIndex, cutKey, cutMass, select } from '../selection';

/** Tightens the kept set of `len` positions (of mass `mass`, KMASS per block; Z stored) to
 *  the typical band; returns its mass. */
export function cutTypical(len: i32, mass: f64): f64 {
  const center = <f32>(keptEZ(len) / mass);
  aimBand(center);
  select(BY_BAND, len, KMASS, mass, param(ST_TYPICAL_P, 0) * mass);
  keepBand(center, cutKey, cutIndex);
  return cutMass;
}
