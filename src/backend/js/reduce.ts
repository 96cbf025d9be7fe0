// Twin of assembly/reduce.ts. max is order-independent, so no lane emulation is needed.

/** Maximum of x[0 .. n); NaN if any is NaN, like f32.max. */
export function scanMax(x: Float32Array, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (!(v <= m)) {
      if (v !== v) return NaN;
      m = v;
    }
  }
  return m;
}

/** Lowest index holding the maximum, or -1 when the logits are invalid (NaN or +Infinity
 *  present, or all -Infinity). The WASM build finds max, then its first index, in two vector
 *  passes; in plain JS one scalar pass tracking both is faster, and the answer is the same. */
export function argmax(x: Float32Array, n: number): number {
  let m = -Infinity;
  let at = -1;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    // One test on the hot path: true for a new maximum and for NaN alike.
    if (!(v <= m)) {
      if (v !== v) return -1;
      m = v;
      at = i;
    }
  }
  return m < Infinity ? at : -1;
}
