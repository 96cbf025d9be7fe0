// Deterministic test data. The generator lives in bench/logits.mjs, shared with the
// benchmark so that a shape means the same vectors in both.
export { makeLogits, normal, rng, SHAPES, type Shape } from '../../bench/logits.mjs';
