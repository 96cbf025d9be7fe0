// p-less sampling (ICLR 2026; llama.cpp PR #26035, mlx-vlm): keep the tokens with
// p ≥ Σp² − 1e-5 over the distribution the stage receives. Σp² is the collision probability:
// the chance two draws agree, which no token's p can all fall short of (Σp² ≤ max p), so the
// most likely token always stays; the 1e-5 keeps ties such as a uniform distribution whole
// despite rounding. With p = e/mass the floor on e (floor.ts) is Σe²/mass − 1e-5·mass.
import { log2d } from '../exp';
import { cutAt } from '../floor';
import { above, LEAST_POSITIVE } from '../kept';

/** Below this margin under the collision probability a token is still kept. */
const MARGIN: f64 = 1e-5;

/** p-less's cut over a kept set of mass `mass` and Σ e² = squares. */
export function pLessCut(mass: f64, squares: f64): f32 {
  // Below 2^-53 of the top the floor is the difference of two terms near 1e-5·mass, each with
  // the float32 e's relative error (1e-7, exp.ts): unlike min-p's, ε's and η's it has no exact
  // value to judge flushed tokens by. They are judged by its float32 rounding (the least
  // positive one keeps them all).
  const least = max<f32>(above(squares / mass - MARGIN * mass), 0);
  return cutAt(<f64>least, least > LEAST_POSITIVE ? log2d(<f64>least) : -Infinity);
}
