// adaptive-p (llama.cpp PR #17927): a terminal stage, last after every stage of the order, that
// favours the tokens whose probability is near a target which a moving average of the chosen
// tokens' probabilities adapts. The slot is [target, decay, weightedSum, totalWeight].
//  - adapted = clamp(2·target − weightedSum/totalWeight, 0, 1) (target itself while the total
//    weight is 0);
//  - every kept token, p its probability renormalised over the kept set, gets the logit
//    5 − 10·d²/(1 + d) with d = |p − adapted| / 0.3, and the token is drawn from their softmax;
//  - the draw then sets weightedSum ← p(token) + decay·weightedSum and
//    totalWeight ← 1 + decay·totalWeight, p the token's probability before the transform.
// The new logits lie in [5 − 25.6, 5], so e = 2^((y − 5)·log2 e) ≥ 2^−37: no kept token is
// flushed to 0, and no maximum needs finding. A token whose own e was flushed (p < 2^−53 of the
// top) takes part wherever the kept set keeps it (by its z, mass.ts) — every one when nothing
// before has truncated — with p = 0, which gives it the new logit its true p would, to float32:
// far from negligible, which is why llama.cpp advises a min-p before this stage.
import { ST_ADAPTIVE_P } from '../abi';
import { param, setParam } from '../block';
import { exp2s, exp2v } from '../exp';
import { flushLast, flushTop, KEEP_ALL, keptAt, keptLanes, reset, untouched } from '../kept';
import { BLOCK, BMASS, E, EMAX, Z } from '../layout';
import { flushedFloor, flushedKept, keptMass } from '../mass';
import { blockAt } from '../scan';

/** 1/width, width 0.3: d = |p − adapted|·INV_WIDTH. */
const INV_WIDTH: f32 = <f32>(1.0 / 0.3);
/** −sharpness·log2(e), sharpness 10: z = (y − 5)·log2(e) = K·d²/(1 + d). */
const K: f32 = <f32>(-10.0 * Math.LOG2E);

/**
 * Replaces the kept set of `len` positions (mass `mass`, over the candidates' logits at v: the
 * dense logits, or XL when `listed`) by the transformed distribution: E and Z of each kept
 * position ← its new e and z, 0 elsewhere, and the kept set becomes every e > 0. Returns the new
 * mass. Every lane does the same float32 operations in the same order in both builds.
 */
export function reshapeAdaptive(v: usize, len: i32, listed: bool, mass: f64): f64 {
  const inv = <f32>(1 / mass);
  const target = <f32>adapted();
  // The z the flushed positions the rule keeps reach (+Infinity: none of them); with no
  // ceiling or minKeep's choice among them either, every one with a finite logit (XTC's usual
  // case, vectorised below).
  const zFloor = flushedFloor();
  const everyFlushed = zFloor == -Infinity && flushTop == Infinity && flushLast == KEEP_ALL;
  const all = untouched && everyFlushed;
  const flushed = !all && zFloor != Infinity;
  const blocks = (len + BLOCK - 1) >> 6;
  for (let b = 0; b < blocks; b++) {
    // A block of mass 0 has no e stored: its tokens have p ≈ 0.
    const dead = load<f64>(BMASS + ((<usize>b) << 3)) == 0;
    if (dead && !all && !flushed) continue;
    const q = listed ? v + ((<usize>b) << 8) : blockAt(v, len, b);
    const out = (<usize>b) << 8;
    let live: bool = false;
    if (ASC_FEATURE_SIMD) {
      const zero = f32x4.splat(0);
      let any = zero,
        top = zero;
      for (let o: usize = 0; o < 256; o += 16) {
        const e = dead ? zero : v128.load(E + out + o);
        const i = (b << 6) + <i32>(o >> 2);
        const finite = f32x4.ne(v128.load(q + o), f32x4.splat(-Infinity));
        let kept = all ? finite : keptLanes(i, e);
        if (flushed) {
          const none = f32x4.eq(e, zero);
          if (everyFlushed) kept = v128.or(kept, v128.and(none, finite));
          else if (v128.any_true(none)) kept = v128.or(kept, flushedLanes(i, e, q + o, zFloor));
        }
        const d = f32x4.abs(
          f32x4.mul(f32x4.sub(f32x4.mul(e, f32x4.splat(inv)), f32x4.splat(target)), f32x4.splat(INV_WIDTH)),
        );
        const z = f32x4.mul(f32x4.div(f32x4.mul(d, d), f32x4.add(f32x4.splat(1), d)), f32x4.splat(K));
        const e2 = v128.and(exp2v(z), kept);
        v128.store(E + out + o, e2);
        v128.store(Z + out + o, v128.and(z, kept));
        any = v128.or(any, kept);
        top = f32x4.pmax(top, e2);
      }
      // The kept-mass walk skips a block by its EMAX: it must describe the new e.
      v128.store(EMAX + ((<usize>b) << 4), top);
      live = v128.any_true(any);
    } else {
      for (let j = 0; j < BLOCK; j++) {
        const i = (b << 6) + j;
        const at = (<usize>i) << 2;
        const e: f32 = dead ? 0 : load<f32>(E + at);
        const x = load<f32>(q + ((<usize>j) << 2));
        const kept = all ? x != -Infinity : keptAt(i, e) || (flushed && e == 0 && flushedKept(i, x, zFloor));
        const d = abs<f32>((e * inv - target) * INV_WIDTH);
        const z = ((d * d) / (1 + d)) * K;
        store<f32>(E + at, kept ? exp2s(z) : 0);
        store<f32>(Z + at, kept ? z : 0);
        if (kept) live = true;
      }
    }
    // Only whether a block holds mass counts from here on (the passes skip those that do not).
    store<f64>(BMASS + ((<usize>b) << 3), live ? 1 : 0);
  }
  reset(0);
  return keptMass(len);
}

/** Which of the positions i … i + 3 (logits at q) have a flushed e the rule keeps, as a lane
 *  mask: a rare lane, after a cut below 2^-53, so one at a time. */
function flushedLanes(i: i32, e: v128, q: usize, zFloor: f64): v128 {
  let lanes = f32x4.splat(0);
  if (f32x4.extract_lane(e, 0) == 0 && flushedKept(i, load<f32>(q), zFloor)) lanes = i32x4.replace_lane(lanes, 0, -1);
  if (f32x4.extract_lane(e, 1) == 0 && flushedKept(i + 1, load<f32>(q, 4), zFloor))
    lanes = i32x4.replace_lane(lanes, 1, -1);
  if (f32x4.extract_lane(e, 2) == 0 && flushedKept(i + 2, load<f32>(q, 8), zFloor))
    lanes = i32x4.replace_lane(lanes, 2, -1);
  if (f32x4.extract_lane(e, 3) == 0 && flushedKept(i + 3, load<f32>(q, 12), zFloor))
    lanes = i32x4.replace_lane(lanes, 3, -1);
  return lanes;
}

/** After a draw of a token whose probability before the transform was p. */
export function adaptiveDrawn(p: f64): void {
  const decay = param(ST_ADAPTIVE_P, 1);
  setParam(ST_ADAPTIVE_P, 2, p + decay * param(ST_ADAPTIVE_P, 2));
  setParam(ST_ADAPTIVE_P, 3, 1 + decay * param(ST_ADAPTIVE_P, 3));
}

/** The target this call aims at: clamp(2·target − weightedSum/totalWeight, 0, 1). */
function adapted(): f64 {
  const target = param(ST_ADAPTIVE_P, 0),
    weight = param(ST_ADAPTIVE_P, 3);
  const t = weight == 0 ? target : 2 * target - param(ST_ADAPTIVE_P, 2) / weight;
  return min<f64>(1, max<f64>(0, t));
}
