// p-less sampling (ICLR 2026; llama.cpp PR #26035, mlx-vlm): keep the tokens with
// p ≥ Σp² − 1e-5 over the distribution the stage receives. Σp² is the collision probability:
// the chance two draws agree, which no token's p can all fall short of (Σp² ≤ max p), so the
// most likely token always stays; the 1e-5 keeps ties such as a uniform distribution whole
// despite rounding. With p = e/mass the floor on e is Σe²/mass − 1e-5·mass.
import { above } from '../kept';

/** Below this margin under the collision probability a token is still kept. */
const MARGIN: f64 = 1e-5;

/** The floor on e for a kept set of mass `mass` and Σ e² = squares (0: keep every one). */
export function pLessFloor(mass: f64, squares: f64): f32 {
  return max<f32>(above(squares / mass - MARGIN * mass), 0);
}
