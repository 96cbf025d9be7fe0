// The parameter block at PARAMS: the host writes one call's parameters here, the kernels
// read them and leave their results in the second half. src/backend/wasm-block.ts writes the
// same offsets (a test compares the two lists); the js backend's twin is a plain object.
import { PARAMS } from './layout';

// Inputs.
export const P_N: usize = 0; // i32 tokens
export const P_SRC: usize = 4; // i32 byte offset of the logits (VIEW, a part of it, or INPUT)
export const P_FLAGS: usize = 8; // i32 bit set of F_*
export const P_TOP_K: usize = 12; // i32; 0 = off
export const P_C: usize = 16; // f32 log2(e)/temperature; 0 = greedy
export const P_MIN_P: usize = 20; // f32 smallest float32 ≥ min-p; 0 = off
export const P_TOP_P: usize = 24; // f64; 1 = off
export const P_TYPICAL_P: usize = 32; // f64; 1 = off
export const P_U: usize = 40; // f64 the uniform in [0, 1) a draw uses
export const P_MIN_P_Z: usize = 48; // f32 log2(min-p) - 1: no token with a lower z survives min-p
export const P_REPETITION: usize = 52; // f32 repetition penalty; 1 = off
export const P_PRESENCE: usize = 56; // f32 presence penalty; 0 = off
export const P_FREQUENCY: usize = 60; // f32 frequency penalty; 0 = off
export const P_BIAS_COUNT: usize = 64; // i32 entries at BIAS_IDS / BIAS_VALS
export const P_HISTORY_COUNT: usize = 68; // i32 tokens at HISTORY
export const P_TOP_N: usize = 72; // i32 top logprobs wanted (F_TOP)
export const P_C64: usize = 80; // f64 log2(e)/temperature unclamped (may exceed the float32 range)

// Outputs.
export const R_TOKEN: usize = 128; // i32 the token drawn
export const R_STATUS: usize = 132; // i32 what went wrong (S_*), for the host's message
export const R_MASS: usize = 136; // f64 mass of the kept set: the sum of its e
export const R_EZ: usize = 144; // f64 Σ e·z over the kept set (F_ENTROPY)
export const R_Z: usize = 152; // f32 z of the token drawn
export const R_COUNT: usize = 156; // i32 tokens kept (or non-masked, for stats())
export const R_TOP_COUNT: usize = 160; // i32 (token, z) pairs written at TOP
export const R_MAX: usize = 164; // f32 the maximum logit after edits
export const R_RAW_MASS: usize = 168; // f64 mass of the untouched logits at temperature 1 (F_RAW)
export const R_RAW_Z: usize = 176; // f32 z of the token drawn under the untouched logits
export const R_RAW_MAX: usize = 180; // f32 maximum of the untouched logits

// Flags.
export const F_MASK: i32 = 2; // MASK holds an allowed-token bitmask
export const F_PROBS: i32 = 4; // SRC holds probabilities, not logits
export const F_ENTROPY: i32 = 8; // report Σ e·z of the kept set
export const F_TOP: i32 = 16; // write the P_TOP_N most likely kept tokens at TOP
export const F_RAW: i32 = 32; // also report the token's z and the top tokens under the untouched logits

// Statuses.
export const S_OK: i32 = 0;
export const S_INVALID: i32 = 1; // a logit is NaN or +Infinity (after edits)
export const S_ALL_MASKED: i32 = 2; // no token left to draw
export const S_BAD_PROB: i32 = 3; // a probability is negative, NaN or +Infinity
export const S_RAW_INVALID: i32 = 4; // the untouched logits hold NaN or +Infinity

export function getI32(at: usize): i32 {
  return load<i32>(PARAMS + at);
}
export function getF32(at: usize): f32 {
  return load<f32>(PARAMS + at);
}
export function getF64(at: usize): f64 {
  return load<f64>(PARAMS + at);
}
export function setI32(at: usize, v: i32): void {
  store<i32>(PARAMS + at, v);
}
export function setF32(at: usize, v: f32): void {
  store<f32>(PARAMS + at, v);
}
export function setF64(at: usize, v: f64): void {
  store<f64>(PARAMS + at, v);
}
