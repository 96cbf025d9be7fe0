// The kernels' exports: numbers in, numbers out. The host writes a call's parameters into the
// parameter block (abi.ts, at PARAMS), calls run(), and reads the results back from it. The host
// has validated every parameter and sized memory (layout.ts); the logits are checked here, as a
// by-product of the pass that finds their maximum, and a bad one yields a status (abi.ts S_*)
// from which the host builds its message.
import {
  F_DRAFT,
  F_MASK,
  F_PROBS,
  F_RAW,
  MODE_RESIDUAL,
  P_BIAS_COUNT,
  P_FLAGS,
  P_HISTORY_COUNT,
  P_N,
  P_SEQ_BIAS_COUNT,
  P_SRC,
  P_TOKEN,
  P_TOP_N,
  P_U,
  R_EDIT,
  R_RAW_MASS,
  R_RAW_Z,
  R_STATUS,
  R_TOKEN,
  R_TOP_COUNT,
  S_ALL_MASKED,
  S_BAD_BIAS,
  S_BAD_PROB,
  S_EDIT_RANGE,
  S_INVALID,
  S_OK,
  S_RAW_INVALID,
} from './abi';
import { getF64, getI32, setF32, setF64, setI32 } from './block';
import { greedyFirst, runChain, startsOnList } from './chain';
import { applyEdits, badEdit } from './edits';
import { overflowed, overflowedBy, restore } from './edits/undo';
import { badIndex, materialize } from './input';
import {
  BIAS_IDS,
  BIAS_VALS,
  DRAFT_Q,
  HISTORY,
  INPUT,
  MASK,
  SEQ_ENDS,
  SEQ_TOKENS,
  SEQ_VALS,
  STAGE,
  XL,
} from './layout';
import { drawResidual } from './residual';
import { maskArgmax, maxPass, prepareTail, valid } from './scan';
import { expSum } from './softmax';
import { INVALID, invalidAt, listAllowed, listedLogits, sparseMask } from './sparse-mask';
import { topDense } from './top';

// The one exponential and the logarithms every backend computes with, exported for the tests.
export { exp2d, exp2s, lns, log2d } from './exp';
export { bytesFor, configure, PARAMS, TOP, VIEW } from './layout';

/** 1 in the SIMD build, 0 in the scalar build (and the JavaScript generated from it). */
export function simd(): i32 {
  return ASC_FEATURE_SIMD ? 1 : 0;
}

// Where the host writes a call's arrays, and reads probs()' output: they move when memory is
// laid out again (configure()).
export function biasIdsPtr(): usize {
  return BIAS_IDS;
}
export function biasValsPtr(): usize {
  return BIAS_VALS;
}
export function historyPtr(): usize {
  return HISTORY;
}
export function seqTokensPtr(): usize {
  return SEQ_TOKENS;
}
export function seqEndsPtr(): usize {
  return SEQ_ENDS;
}
export function seqValsPtr(): usize {
  return SEQ_VALS;
}
export function maskPtr(): usize {
  return MASK;
}
/** Where the host copies logits that are not in a view. */
export function inputPtr(): usize {
  return INPUT;
}
/** Where a probs() run leaves its n results. */
export function outputPtr(): usize {
  return XL;
}
/** Where the host leaves the draft's distribution for MODE_RESIDUAL. */
export function draftPtr(): usize {
  return DRAFT_Q;
}

/** Runs one call (abi.ts MODE_*) over the logits at P_SRC; returns its status. */
export function run(mode: i32): i32 {
  const n = getI32(P_N);
  if (mode == MODE_RESIDUAL) {
    const token = drawResidual(n, getF64(P_U), getI32(P_TOKEN), !(getI32(P_FLAGS) & F_DRAFT));
    setI32(R_TOKEN, token);
    return finish(token < 0 ? S_ALL_MASKED : S_OK, token);
  }
  const src = <usize>getI32(P_SRC);
  const flags = getI32(P_FLAGS);
  const dense = (flags & (F_MASK | F_PROBS)) == F_MASK;
  // A mask allowing few tokens becomes the chain's first candidate list instead of a copy.
  const sparse = dense && startsOnList() && sparseMask(n);
  // Greedy from the first stage reads the logits once, for their argmax: it reads them through
  // a dense mask rather than from a masked copy, which costs more than the pass itself. Should
  // that pass raise an alarm, the call starts over from the copy, which tells a broken logit
  // from one an edit pushed to +Infinity where the mask disallows it.
  const fold = dense && !sparse && greedyFirst() && fewEdits(n);
  let status = edited(src, n, mode, flags, sparse, fold);
  if (fold && status == S_INVALID) status = edited(src, n, mode, flags, false, false);
  if (status == S_OK && flags & F_RAW) status = raw(src, n, flags);
  return finish(status, failedAt);
}

/** Whether greedy reading the mask beats the copy: it leaves the edits on the logits in place,
 *  where each edited token is recorded and put back, as on the copy it is not. Greedy with the
 *  benchmark's controls (a 90% mask, 5,000 bias entries, 256 tokens of history) took 1.07-1.08×
 *  as long through the mask as from the copy at 128,256 tokens; with the mask alone, 0.72×. */
function fewEdits(n: i32): bool {
  return getI32(P_BIAS_COUNT) + getI32(P_HISTORY_COUNT) + getI32(P_SEQ_BIAS_COUNT) <= n >> 5;
}

/** The first invalid logit or refused edit of the last edited() (-1: none, or not known). */
let failedAt = -1;

/** Edits the logits, runs the chain over them and restores them; returns a status (failedAt
 *  set). The mask is a candidate list when `sparse`, read by greedy's argmax when `fold`, else
 *  a copy. */
function edited(src: usize, n: i32, mode: i32, flags: i32, sparse: bool, fold: bool): i32 {
  let x = src;
  failedAt = -1;
  let allowed = 0;
  if (sparse) {
    allowed = listAllowed(src, n);
    if (allowed == INVALID) {
      failedAt = invalidAt;
      return S_INVALID;
    }
  }
  if (!sparse && !fold && flags & (F_MASK | F_PROBS)) {
    if (!materialize(src, n, flags)) {
      failedAt = badIndex;
      return S_BAD_PROB; // logits are never refused there: the chain finds a broken one
    }
    x = STAGE;
  }
  // The logits themselves (a view, or the host's copy) are edited in place and restored: a
  // call never changes them, so the caller's array — and a second run over the same input —
  // reads the same. STAGE is the kernels' own.
  const undo = x == src;
  let status = S_BAD_BIAS;
  if (!applyEdits(x, n, undo, sparse || fold)) failedAt = badEdit;
  else if (overflowed >= 0) {
    status = S_EDIT_RANGE;
    failedAt = overflowed;
    setI32(R_EDIT, overflowedBy);
  } else {
    const listed = sparse ? listedLogits(x, allowed) : -1; // -1: the dense logits
    maskArgmax(fold);
    status = listed == INVALID ? S_INVALID : runChain(x, n, mode, flags, listed);
    maskArgmax(false);
  }
  if (undo) restore(x);
  return status;
}

function finish(status: i32, at: i32): i32 {
  setI32(R_STATUS, status);
  if (status != S_OK) setI32(R_TOKEN, at);
  return status;
}

/** Results under the untouched logits at temperature 1 (src read again, after restore()). */
function raw(src: usize, n: i32, flags: i32): i32 {
  let x = src;
  if (flags & F_PROBS) {
    materialize(src, n, F_PROBS);
    x = STAGE;
  }
  prepareTail(x, n);
  const m = maxPass(x, n);
  if (!valid || m == -Infinity) return S_RAW_INVALID;
  const c = <f32>Math.LOG2E;
  setF64(R_RAW_MASS, expSum(x, n, m, c, false));
  setF32(R_RAW_Z, (load<f32>(x + ((<usize>getI32(R_TOKEN)) << 2)) - m) * c);
  if (getI32(P_TOP_N) > 0) setI32(R_TOP_COUNT, topDense(x, n, m, c, getI32(P_TOP_N), -F32.MAX_VALUE));
  return S_OK;
}
