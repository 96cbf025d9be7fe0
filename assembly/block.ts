// Reads and writes of the parameter block (abi.ts) at PARAMS.
import { P_ORDER, P_ORDER_LEN, P_SLOTS, SLOT } from './abi';
import { PARAMS } from './layout';

export function getI32(at: usize): i32 {
  return load<i32>(PARAMS + at);
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

/** Param i (0 … 3) of stage `id`'s slot. */
export function param(id: i32, i: i32): f64 {
  return load<f64>(PARAMS + P_SLOTS + <usize>(id * SLOT + (i << 3)));
}
/** Writes param i of stage `id`'s slot: a stateful stage's new state, for the host to read. */
export function setParam(id: i32, i: i32, v: f64): void {
  store<f64>(PARAMS + P_SLOTS + <usize>(id * SLOT + (i << 3)), v);
}

/** How many stages the chain runs, and the j-th one's id: -1 past either end, where the block
 *  holds whatever an earlier call's longer order left (a mirostat read there ran mirostat on a
 *  call that had none). */
export function orderLength(): i32 {
  return getI32(P_ORDER_LEN);
}
export function orderAt(j: i32): i32 {
  return <u32>j < <u32>orderLength() ? load<u8>(PARAMS + P_ORDER + <usize>j) : -1;
}
