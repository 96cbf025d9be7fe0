// The floor module: both floors in one WASM instance, sharing the memory the logits are
// written into.
export { base, max } from './max';
export { expSum } from './exp';
