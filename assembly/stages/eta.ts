// η-sampling (Hewitt et al. 2022, HF EtaLogitsWarper): keep the tokens with p ≥ η,
// η = min(ε, √ε·e^−H), H the entropy (nats) of the distribution the stage receives — the formula
// HF's code computes (its docstring's √(ε·e^−H) is not what runs). With p = e/mass and
// H = ln mass − ln 2·Σe·z/mass (z in log2 units), √ε·e^−H·mass is √ε·2^(Σe·z/mass): the floor
// on e needs no logarithm. √ and 2^ are the kernels' own (exp.ts), the same bits everywhere.
import { ST_ETA } from '../abi';
import { param } from '../block';
import { exp2d, log2d, sqrtd } from '../exp';
import { above } from '../kept';

/** The floor on e for a kept set of mass `mass` and Σ e·z = ez. */
export function etaFloor(mass: f64, ez: f64): f32 {
  const epsilon = param(ST_ETA, 0);
  return above(min<f64>(epsilon * mass, sqrtd(epsilon) * exp2d(ez / mass)));
}

/** log2 of etaFloor(mass, ez), exactly: log2 of min(ε·mass, √ε·2^(Σez/mass)). The floor for
 *  the tokens whose e is flushed (below 2^-53), which the float32 floor can only round. */
export function etaZ(mass: f64, ez: f64): f64 {
  const l = log2d(param(ST_ETA, 0));
  return min<f64>(l + log2d(mass), 0.5 * l + ez / mass);
}
