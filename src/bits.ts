// The one place plain JavaScript reads and writes the bits of a float — what the kernels do
// with reinterpret<>() — through a single shared scratch word.
const f32 = new Float32Array(2);
const i32 = new Int32Array(f32.buffer);
const f64 = new Float64Array(1);
const hi64 = new Uint32Array(f64.buffer);

/** The bits of x rounded to float32, as an int32 (reinterpret<i32>(x)). */
export function bitsOf(x: number): number {
  f32[0] = x;
  return i32[0]!;
}

/** The float32 whose bits are b (reinterpret<f32>(b)). */
export function floatOf(b: number): number {
  i32[0] = b;
  return f32[0]!;
}

/** The next float32 above a finite float32 x. */
export function nextUp(x: number): number {
  const b = bitsOf(x);
  return x === 0 ? 2 ** -149 : floatOf(x > 0 ? b + 1 : b - 1);
}

/** The next float32 below a finite float32 x. */
export function nextDown(x: number): number {
  const b = bitsOf(x);
  return x === 0 ? -(2 ** -149) : floatOf(x > 0 ? b - 1 : b + 1);
}

/** The largest float32 ≤ the double t (t in the float32 range). */
export function float32AtMost(t: number): number {
  const f = Math.fround(t);
  return f > t ? nextDown(f) : f;
}

/** The smallest float32 ≥ the double t (t in the float32 range). */
export function float32AtLeast(t: number): number {
  const f = Math.fround(t);
  return f < t ? nextUp(f) : f;
}

/** The unbiased binary exponent of a positive double (floor(log2 x) for normal x). */
export function exponentOf(x: number): number {
  f64[0] = x;
  return ((hi64[1]! >>> 20) & 0x7ff) - 1023;
}
