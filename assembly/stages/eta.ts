// η-sampling (Hewitt et al. 2022, HF EtaLogitsWarper): keep the tokens with p ≥ η,
// η = min(ε, √ε·e^−H), H the entropy (nats) of the distribution the stage receives — the formula
// HF's code computes (its docstring's √(ε·e^−H) is not what runs). With p = e/mass and
// H = ln mass − ln 2·Σe·z/mass (z in log2 units), √ε·e^−H·mass is √ε·2^(Σe·z/mass): the floor
// on e (floor.ts) needs no logarithm. √ and 2^ are the kernels' own (exp.ts), the same bits
// everywhere.
import { ST_ETA } from '../abi';
import { param } from '../block';
import { exp2d, log2d, sqrtd } from '../exp';
import { cutAt } from '../floor';

/** η's cut over a kept set of mass `mass` and Σ e·z = ez. */
export function etaCut(mass: f64, ez: f64): f32 {
  const epsilon = param(ST_ETA, 0);
  const l = log2d(epsilon);
  return cutAt(
    min<f64>(epsilon * mass, sqrtd(epsilon) * exp2d(ez / mass)),
    min<f64>(l + log2d(mass), 0.5 * l + ez / mass),
  );
}
