// The contract between the kernels and the host, declared once: the parameter block's layout,
// the stage ids and their slots, flags, statuses and modes. Plain integer constants with no
// types, so that asc compiles this file for the kernels and tsc for the wrapper
// (src/ imports it as it is): no offset is ever copied by hand.
//
// The block is PARAMS (layout.ts) in the kernels' memory. The host writes one call's inputs,
// calls run(mode), and reads the results back. Every stage owns one slot of SLOT bytes, four
// float64 values at P_SLOTS + id·SLOT: the host writes a stage's params there as checked
// float64 numbers, the stage's kernel derives what it needs from them (a float32 form, a
// logarithm) with the kernels' own arithmetic, and a stateful stage writes its new state back.

// ---- One call's inputs ----
export const P_N = 0; // i32 tokens
export const P_SRC = 4; // i32 byte offset of the logits (the view, a part of it, or INPUT)
export const P_FLAGS = 8; // i32 F_*
export const P_TOP_N = 12; // i32 top logprobs wanted (F_TOP)
export const P_U = 16; // f64 the uniform in [0, 1) the draw uses
export const P_COIN = 24; // f64 a second uniform, for a stage that flips a coin (XTC)
export const P_ORDER_LEN = 32; // i32 stages listed at P_ORDER
export const P_BIAS_COUNT = 36; // i32 logit-bias entries at BIAS_IDS / BIAS_VALS
export const P_HISTORY_COUNT = 40; // i32 tokens at HISTORY (the penalties' window)
export const P_TOKEN = 44; // i32 the token MODE_PROB asks about
export const P_ORDER = 64; // u8 × MAX_ORDER: the ids of the active stages after the edits, in order
export const MAX_ORDER = 32;

// ---- Results ----
export const R_TOKEN = 128; // i32 the token drawn; on a failure, the offending index or entry
export const R_STATUS = 132; // i32 S_*
export const R_TOP_COUNT = 136; // i32 (token, z) pairs written at TOP
export const R_Z = 140; // f32 z = (x − max)·c of the token drawn
export const R_MASS = 144; // f64 mass of the kept set: the sum of its e = 2^z
export const R_EZ = 152; // f64 Σ e·z over the kept set (F_ENTROPY)
export const R_TEMPERATURE = 160; // f64 the temperature used (dynamic temperature chooses one)
export const R_RAW_MASS = 168; // f64 mass of the untouched logits at temperature 1 (F_RAW)
export const R_RAW_Z = 176; // f32 z of the token drawn under the untouched logits (F_RAW)
export const R_PROB = 180; // f32 MODE_PROB: the probability of P_TOKEN, as probs() would give it

// ---- Stage slots ----
export const P_SLOTS = 256;
export const SLOT = 32;
/** Stage ids run below this; the block holds every slot. */
export const MAX_STAGES = 32;
export const BLOCK_BYTES = 1280;

// ---- Stage ids (a stage's slot is P_SLOTS + id·SLOT) ----
// The chain: stages the caller may order (P_ORDER).
export const ST_TEMPERATURE = 0; // [temperature; with F_DYNAMIC: min, max, exponent]
export const ST_TOP_K = 1; // [k]
export const ST_TOP_P = 2; // [p]
export const ST_MIN_P = 3; // [p]
export const ST_TYPICAL_P = 4; // [p]
export const ST_TOP_N_SIGMA = 5; // [n]
// Reserved for the stages the chain issue adds (their files fill these rows in):
// 6 epsilon, 7 eta, 8 p-less, 9 XTC, 10 minKeep (a setting of the truncations),
// 11 mirostat, 12 adaptive-p.
// Edits, which always run first and in a fixed order (edits.ts): their slots only.
export const ST_PENALTIES = 20; // [repetition, presence, frequency]
// Reserved: 21 sequence bias, 22 DRY, 23 no-repeat n-gram, 24 bad words.

// ---- Flags (P_FLAGS) ----
export const F_MASK = 1; // MASK holds an allowed-token bitmask
export const F_PROBS = 2; // the input holds probabilities, not logits
export const F_ENTROPY = 4; // report Σ e·z of the kept set (R_EZ)
export const F_TOP = 8; // write the P_TOP_N most likely kept tokens at TOP
export const F_RAW = 16; // also report z and the top tokens under the untouched logits
export const F_DYNAMIC = 32; // the temperature slot holds [_, min, max, exponent]

// ---- Modes of run() ----
export const MODE_DRAW = 0; // R_TOKEN, R_Z, R_MASS (and R_EZ, TOP, raw results if asked)
export const MODE_PROBS = 1; // the distribution at OUTPUT
export const MODE_PROB = 2; // R_PROB: the probability of one token (P_TOKEN), nothing drawn

// ---- Statuses (R_STATUS) ----
export const S_OK = 0;
export const S_INVALID = 1; // a logit is NaN or +Infinity (after the edits): R_TOKEN holds its index, or -1
export const S_ALL_MASKED = 2; // no token left to draw
export const S_BAD_PROB = 3; // a probability is negative, NaN or +Infinity: R_TOKEN holds its index
export const S_RAW_INVALID = 4; // the untouched logits hold NaN or +Infinity, or are all masked
export const S_BAD_BIAS = 5; // a logit-bias entry (R_TOKEN) names no token, or is NaN or +Infinity
export const S_EDIT_RANGE = 6; // a bias or penalty pushed the finite logit of token R_TOKEN past the float32 range

// ---- Limits ----
/** Largest vocabulary (and longest logit bias or history window): 2^24 tokens keep the
 *  kernels' whole layout far below the 4 GiB of 32-bit WebAssembly, on every backend alike. */
export const MAX_TOKENS = 16777216;
/** Most top logprobs one call returns. */
export const MAX_TOP_N = 1024;
