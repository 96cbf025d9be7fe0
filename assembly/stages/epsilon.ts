// ε-sampling (Hewitt et al. 2022, HF EpsilonLogitsWarper): keep the tokens with p ≥ ε of the
// distribution the stage receives. p = e / mass, so it is a floor on e (kept.ts) at ε·mass;
// when no token reaches it, minKeep's rule keeps the most likely (HF keeps its
// min_tokens_to_keep, 1 by default).
import { ST_EPSILON } from '../abi';
import { param } from '../block';
import { log2d } from '../exp';
import { above } from '../kept';

/** The floor on e for a kept set of mass `mass`. */
export function epsilonFloor(mass: f64): f32 {
  return above(param(ST_EPSILON, 0) * mass);
}

/** log2 of ε·mass, exactly: the floor for the tokens whose e is flushed (below 2^-53), which
 *  the float32 floor can only round. */
export function epsilonZ(mass: f64): f64 {
  return log2d(param(ST_EPSILON, 0)) + log2d(mass);
}
