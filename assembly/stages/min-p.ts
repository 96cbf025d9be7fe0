// min-p: keep the tokens with p ≥ minP · p_max. Exactly a floor on e = p/p_max (floor.ts) — no
// mass needed — and, when it comes before every stage that needs one, a cut on the logits too:
// x ≥ max + T·ln(minP) is known as soon as the maximum is, so one pass lists its few candidates
// while it finds the maximum (scan.ts) and only those are exponentiated.
import { ST_MIN_P } from '../abi';
import { param } from '../block';
import { log2d } from '../exp';
import { cutAt } from '../floor';
import { above } from '../kept';
import { filterMinP } from '../scan';

/** min-p's cut, `top` the largest kept e: 1 unless a band or XTC dropped the maximum. */
export function minPCut(top: f32): f32 {
  const minP = param(ST_MIN_P, 0);
  // minP rounded up, then times `top` in float32: exact while top is 1; below a band or XTC's
  // ceiling the product rounds to nearest, within an ulp of minP·top.
  return cutAt(<f64>(above(minP) * top), log2d(minP) + log2d(<f64>top));
}

/** Lists a superset of min-p's survivors among x[0 .. n) at this c (the exact test is the
 *  floor); returns how many, and leaves their maximum in scan.filterMax. */
export function listMinP(x: usize, n: i32, c: f32): i32 {
  // log2(minP) − 1: no token with a lower z can reach the floor after float32 rounding.
  return filterMinP(x, n, c, <f32>(log2d(param(ST_MIN_P, 0)) - 1));
}
