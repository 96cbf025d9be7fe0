// The floor module: both floors in one WASM instance, sharing the memory the logits are
// written into.

export { expEntropy, expSum } from './exp';
export { base, max, maxChecked } from './max';
