// min-p: keep the tokens with p ≥ minP · p_max. Exactly a floor on e = p/p_max (kept.ts) —
// no mass needed — and, when it comes before every stage that needs one, a cut on the logits
// too: x ≥ max + T·ln(minP) is known as soon as the maximum is, so one pass lists its few
// candidates while it finds the maximum (scan.ts) and only those are exponentiated.
import { ST_MIN_P } from '../abi';
import { param } from '../block';
import { log2d } from '../exp';
import { above } from '../kept';
import { filterMinP } from '../scan';

/** The smallest float32 ≥ minP: e ≥ it ⟺ e ≥ minP for a float32 e. */
export function minPFloor(): f32 {
  return above(param(ST_MIN_P, 0));
}

/** log2(minP), exactly: the floor in z for the tokens whose e is flushed (below 2^-53), which
 *  the float32 floor can only round (1.4e-45 for any minP below it). */
export function minPZ(): f64 {
  return log2d(param(ST_MIN_P, 0));
}

/** Lists a superset of min-p's survivors among x[0 .. n) at this c (the exact test is the
 *  floor); returns how many, and leaves their maximum in scan.filterMax. */
export function listMinP(x: usize, n: i32, c: f32): i32 {
  // log2(minP) − 1: no token with a lower z can reach the floor after float32 rounding.
  return filterMinP(x, n, c, <f32>(log2d(param(ST_MIN_P, 0)) - 1));
}
