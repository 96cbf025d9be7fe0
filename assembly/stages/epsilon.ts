// ε-sampling (Hewitt et al. 2022, HF EpsilonLogitsWarper): keep the tokens with p ≥ ε of the
// distribution the stage receives. p = e / mass, so it is a floor on e (floor.ts) at ε·mass;
// when no token reaches it, minKeep's rule keeps the most likely (HF keeps its
// min_tokens_to_keep, 1 by default).
import { ST_EPSILON } from '../abi';
import { param } from '../block';
import { log2d } from '../exp';
import { cutAt } from '../floor';

/** ε's cut over a kept set of mass `mass`. */
export function epsilonCut(mass: f64): f32 {
  const epsilon = param(ST_EPSILON, 0);
  return cutAt(epsilon * mass, log2d(epsilon) + log2d(mass));
}
