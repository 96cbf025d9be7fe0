// Sparse edits of the logits in place — in the caller's view too — each original recorded so
// that restore() puts it back: the caller's array reads the same after the call, and no edit
// costs O(vocabulary).
import { RECORDED, UNDO_IDS, UNDO_VALS } from '../layout';
import { allowedByMask } from '../sparse-mask';

let undone = 0;
/** The edit (abi.ts ST_*) whose put()s follow: named when one leaves the float32 range. */
let current = 0;

/** The first token an edit pushed past the float32 range (-1: none): a finite logit that a
 *  finite bias or a penalty turned into ±Infinity. A ban is -Infinity on purpose; an overflow
 *  would silently ban (or break) a token, so the host reports it instead. */
export let overflowed: i32 = -1;
/** The edit (ST_*) that did. */
export let overflowedBy: i32 = -1;

/** Whether the edits run on logits whose mask was not applied (a sparse mask: sparse-mask.ts). */
let unmasked: bool = false;

/** Whether this call edits the caller's logits in place (recording originals for restore()),
 *  rather than the kernels' own copy. A stage that bans tokens later (XTC) edits the same way. */
export let inPlace: bool = false;

/** Before a call's edits; `maskAfter`: the allowed-token mask was left to the chain; `undo`:
 *  they are in place. */
export function beginEdits(maskAfter: bool, undo: bool): void {
  unmasked = maskAfter;
  inPlace = undo;
  undone = 0;
  overflowed = -1;
  overflowedBy = -1;
}

/** Before edit `id`'s put()s. */
export function beginEdit(id: i32): void {
  current = id;
}

// Inlined into every edit's loop (a static-only class, as AssemblyScript takes @inline): as a
// function of its own it was a call per entry, and 5,000 logit-bias entries with penalties
// (the benchmark's controls) took 1.05× the time.
export class Undo {
  /** Logit `id` of x becomes v, an edit of its value `before` (`ban`: the edit masks on purpose). */
  @inline static put(x: usize, id: i32, before: f32, v: f32, ban: bool, undo: bool): void {
    // One test on the common path: every edit loop reaches random logits, and each instruction
    // an entry costs leaves fewer of those reads in flight.
    if (abs<f32>(v) == Infinity) infinite(id, before, ban);
    const at = x + ((<usize>id) << 2);
    // Only a token's first edit of the call after the bias is recorded. So the record holds at
    // most one entry per token those edits name, besides one per bias entry (layout.ts sizes
    // it so), however many edits change the same token. "Recorded" is a bit per token (RECORDED), not a
    // flag in SEEN: 5,000 bias entries reached 5,000 scattered words of SEEN (512 KiB at 128,256
    // tokens, out of the caches); the bits fit in 16 KiB.
    if (undo) {
      const word = RECORDED + ((<usize>(id >> 5)) << 2);
      const bits = load<u32>(word);
      const bit: u32 = 1 << (id & 31);
      if (!(bits & bit)) {
        store<u32>(word, bits | bit);
        store<i32>(UNDO_IDS + ((<usize>undone) << 2), id);
        store<f32>(UNDO_VALS + ((<usize>undone) << 2), before);
        undone++;
      }
    }
    store<f32>(at, v);
  }

  /** put() for the edit that runs first (the logit bias), in place: records every entry, with
   *  no RECORDED bit. restore() runs backwards, so a token's earliest record — its original —
   *  is put back last, duplicates and later edits' records of the same token included. A bias
   *  names thousands of random tokens; the bit's read-modify-write cost a third of each. */
  @inline static putFirst(x: usize, id: i32, before: f32, v: f32, ban: bool): void {
    if (abs<f32>(v) == Infinity) infinite(id, before, ban);
    store<i32>(UNDO_IDS + ((<usize>undone) << 2), id);
    store<f32>(UNDO_VALS + ((<usize>undone) << 2), before);
    undone++;
    store<f32>(x + ((<usize>id) << 2), v);
  }

  /** Bans logit `id` of x: adds -Infinity, as a -Infinity bias does, so that a NaN stays NaN
   *  and +Infinity becomes NaN — a ban never hides a broken logit from the passes after it. */
  @inline static ban(x: usize, id: i32, undo: bool): void {
    const before = load<f32>(x + ((<usize>id) << 2));
    Undo.put(x, id, before, before + -Infinity, true, undo);
  }
}

/** An edit made token id ±Infinity (rare: out of the inlined put()): an overflow unless it was
 *  ±Infinity already or the edit bans it. */
function infinite(id: i32, before: f32, ban: bool): void {
  if (overflowed < 0 && !ban && abs<f32>(before) != Infinity) overflow(id);
}

/** An edit pushed token id past the float32 range. */
function overflow(id: i32): void {
  // A token the mask disallows would be -Infinity already, as in the masked copy: never named.
  if (unmasked && !allowedByMask(id)) return;
  overflowed = id;
  overflowedBy = current;
}

/** Puts back every logit put() changed, latest record first, and clears their RECORDED bits. */
export function restore(x: usize): void {
  for (let k = undone - 1; k >= 0; k--) {
    const id = load<i32>(UNDO_IDS + ((<usize>k) << 2));
    store<f32>(x + ((<usize>id) << 2), load<f32>(UNDO_VALS + ((<usize>k) << 2)));
    store<u32>(RECORDED + ((<usize>(id >> 5)) << 2), 0); // its every set bit is restored here
  }
  undone = 0;
}
