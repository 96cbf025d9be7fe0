// A floor stage (min-p, ε, η, p-less) keeps the tokens whose e reaches a threshold t that it
// measures from the kept set (stages/…). Its one function states t and log2 t; this turns them
// into the two tests the kept set applies (kept.ts, mass.ts). A stored e is float32: e ≥ above(t)
// exactly when e ≥ t. A flushed one (below 2^-53 of the top, stored as 0) is judged by its z
// against log2 t, which float32 can only round (to 1.4e-45 at least) and which the stage computes
// from its terms' logarithms, since t itself may have lost its bits or underflowed.
import { log2d } from './exp';
import { above } from './kept';
import { FLUSHED_E } from './mass';

/** What a flushed token is judged by under the latest cut: log2 t where the float32 floor lies
 *  below 2^-53; above it, that floor's log2 (no flushed token reaches it, and a list of
 *  candidates bounded by it holds the stored e it keeps). */
export let cutZ: f64 = -Infinity;

/** A floor stage's cut at t, log2t its exact log2 (-Infinity: every token stays): returns the
 *  float32 floor on e, and leaves in cutZ what a flushed token is judged by. */
export function cutAt(t: f64, log2t: f64): f32 {
  const least = above(t);
  cutZ = least >= FLUSHED_E ? log2d(<f64>least) : log2t;
  return least;
}
