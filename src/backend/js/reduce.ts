// Twin of assembly/reduce.ts. max is order-independent, so no lane emulation is needed.

/** Maximum of x[0 .. n); NaN if any is NaN, like f32.max. */
export function scanMax(x: Float32Array, n: number): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) {
    const v = x[i]!;
    if (v > m) m = v;
    else if (v !== v) return NaN;
  }
  return m;
}

/** Lowest index whose logit equals m. */
export function firstIndexOf(x: Float32Array, n: number, m: number): number {
  for (let i = 0; i < n; i++) if (x[i] === m) return i;
  return 0;
}
