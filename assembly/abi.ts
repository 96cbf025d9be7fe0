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
// The sequence table (SEQ_TOKENS, SEQ_ENDS, SEQ_VALS): the sequence bias's entries first, then
// the bad words, then DRY's sequence breakers, each group this many sequences.
export const P_SEQ_BIAS_COUNT = 48; // i32 sequence-bias entries
export const P_BAD_WORDS_COUNT = 52; // i32 bad-word sequences
export const P_BREAKER_COUNT = 56; // i32 DRY sequence breakers
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
export const R_EDIT = 184; // i32 with S_EDIT_RANGE: the id (ST_*) of the edit that left the range

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
export const ST_EPSILON = 6; // [ε]
export const ST_ETA = 7; // [ε]
export const ST_P_LESS = 8; // []
export const ST_XTC = 9; // [probability, threshold]: applies when P_COIN < probability
/** Not a stage of the order but a setting of every truncation, its slot written every call. */
export const ST_MIN_KEEP = 10; // [minKeep]
// Reserved for the stages the chain issue adds (their files fill these rows in):
// 11 mirostat, 12 adaptive-p.
// Terminal stages: each picks the token itself, after every stage of the order (the host puts it
// last); a draw writes its new state back into its slot (stages/mirostat.ts, adaptive-p.ts).
export const ST_MIROSTAT = 11; // [tau, eta, m (version 1; 0 = version 2), mu]: mu written back
export const ST_ADAPTIVE_P = 12; // [target, decay, weightedSum, totalWeight]: the last two written back
// Edits, which always run first and in a fixed order (edits.ts): their slots only. A window
// counts the latest tokens of HISTORY the edit reads; 0 turns it off.
export const ST_LOGIT_BIAS = 19; // no params (its entries are at BIAS_IDS / BIAS_VALS); names it in R_EDIT
export const ST_PENALTIES = 20; // [repetition, presence, frequency, window]
export const ST_SEQUENCE_BIAS = 21; // no params (P_SEQ_BIAS_COUNT entries of the sequence table)
export const ST_DRY = 22; // [multiplier, base, allowed length, window] (P_BREAKER_COUNT breakers)
export const ST_NO_REPEAT_NGRAM = 23; // [n] (0 = off); reads all of HISTORY
export const ST_BAD_WORDS = 24; // no params (P_BAD_WORDS_COUNT sequences of the sequence table)

// ---- Flags (P_FLAGS) ----
export const F_MASK = 1; // MASK holds an allowed-token bitmask
export const F_PROBS = 2; // the input holds probabilities, not logits
export const F_ENTROPY = 4; // report Σ e·z of the kept set (R_EZ)
export const F_TOP = 8; // write the P_TOP_N most likely kept tokens at TOP
export const F_RAW = 16; // also report z and the top tokens under the untouched logits
export const F_DYNAMIC = 32; // the temperature slot holds [_, min, max, exponent]
export const F_DRAFT = 64; // MODE_RESIDUAL: q is the draft's distribution at DRAFT_Q (else one-hot at P_TOKEN)

// ---- Modes of run() ----
export const MODE_DRAW = 0; // R_TOKEN, R_Z, R_MASS (and R_EZ, TOP, raw results if asked)
export const MODE_PROBS = 1; // the distribution at OUTPUT
export const MODE_PROB = 2; // R_PROB: the probability of one token (P_TOKEN), nothing drawn
/** R_TOKEN drawn with P_U from norm(max(0, p − q)): p at OUTPUT (the last MODE_PROBS run's), q
 *  per F_DRAFT; P_N tokens. Reads nothing else of the block (residual.ts). */
export const MODE_RESIDUAL = 3;

// ---- Statuses (R_STATUS) ----
export const S_OK = 0;
export const S_INVALID = 1; // a logit is NaN or +Infinity (after the edits): R_TOKEN holds its index, or -1
export const S_ALL_MASKED = 2; // no token left to draw
export const S_BAD_PROB = 3; // a probability is negative, NaN or +Infinity: R_TOKEN holds its index
export const S_RAW_INVALID = 4; // the untouched logits hold NaN or +Infinity, or are all masked
export const S_BAD_BIAS = 5; // a logit-bias entry (R_TOKEN) names no token, or is NaN or +Infinity
export const S_EDIT_RANGE = 6; // an edit (R_EDIT) pushed the finite logit of token R_TOKEN past the float32 range

// ---- Limits ----
/** Largest vocabulary (and longest logit bias or history window): 2^24 tokens keep the
 *  kernels' whole layout far below the 4 GiB of 32-bit WebAssembly, on every backend alike. */
export const MAX_TOKENS = 16777216;
/** Most top logprobs one call returns. */
export const MAX_TOP_N = 1024;
