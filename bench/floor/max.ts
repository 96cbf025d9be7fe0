// The benchmark's read floor: one SIMD pass that only reads the logits (their
// max). No sampler can do less than touch every logit once, so configurations
// whose kept tokens follow from the max alone (greedy, min-p, top-k chains) are
// reported as a multiple of this. Compiled by bench/lib/floor.mjs with the
// installed asc, with the exp floor (exp.ts) that starts with this same pass.

// Where the host writes the logits: 16-byte aligned, just above the static data.
export function base(): usize {
  return (__heap_base + 15) & ~15;
}

// Max of n f32 at ptr (16-byte aligned). Four independent accumulators hide
// the latency of the max, so the loop is limited by loads, as a floor should be.
// pmax (one maxps on x86) instead of max (NaN-propagating, several instructions
// there): the floor should cost the read and nothing else; logits reaching a
// sampler are checked to be NaN-free anyway.
export function max(ptr: usize, n: i32): f32 {
  let m0 = f32x4.splat(-Infinity);
  let m1 = m0;
  let m2 = m0;
  let m3 = m0;
  let p = ptr;
  const end16 = ptr + ((<usize>n & ~15) << 2);
  while (p < end16) {
    m0 = f32x4.pmax(m0, v128.load(p));
    m1 = f32x4.pmax(m1, v128.load(p, 16));
    m2 = f32x4.pmax(m2, v128.load(p, 32));
    m3 = f32x4.pmax(m3, v128.load(p, 48));
    p += 64;
  }
  m0 = f32x4.pmax(f32x4.pmax(m0, m1), f32x4.pmax(m2, m3));
  let m = Mathf.max(
    Mathf.max(f32x4.extract_lane(m0, 0), f32x4.extract_lane(m0, 1)),
    Mathf.max(f32x4.extract_lane(m0, 2), f32x4.extract_lane(m0, 3)),
  );
  const end = ptr + ((<usize>n) << 2);
  while (p < end) {
    m = Mathf.max(m, load<f32>(p));
    p += 4;
  }
  return m;
}

// The checked read floor: max()'s pass that also adds the logits up, lane-wise, and returns
// NaN when the sum is NaN. A sampler that must reject a NaN anywhere (greedy does) needs one
// NaN-propagating operation per vector on top of the read, and an add is the cheapest found
// that raises no false alarm on masked (-Infinity) logits: a product is cheaper on x86 but
// turns -Infinity · 0 into NaN, and pmax drops a NaN in its second operand.
export function maxChecked(ptr: usize, n: i32): f32 {
  let m0 = f32x4.splat(-Infinity);
  let m1 = m0;
  let s0 = f32x4.splat(0);
  let s1 = s0;
  let p = ptr;
  const end16 = ptr + ((<usize>n & ~15) << 2);
  while (p < end16) {
    const v0 = v128.load(p);
    const v1 = v128.load(p, 16);
    const v2 = v128.load(p, 32);
    const v3 = v128.load(p, 48);
    m0 = f32x4.pmax(m0, f32x4.pmax(v0, v1));
    m1 = f32x4.pmax(m1, f32x4.pmax(v2, v3));
    s0 = f32x4.add(s0, f32x4.add(v0, v1));
    s1 = f32x4.add(s1, f32x4.add(v2, v3));
    p += 64;
  }
  m0 = f32x4.pmax(m0, m1);
  s0 = f32x4.add(s0, s1);
  let m = Mathf.max(
    Mathf.max(f32x4.extract_lane(m0, 0), f32x4.extract_lane(m0, 1)),
    Mathf.max(f32x4.extract_lane(m0, 2), f32x4.extract_lane(m0, 3)),
  );
  let s = f32x4.extract_lane(s0, 0) + f32x4.extract_lane(s0, 1) + f32x4.extract_lane(s0, 2) + f32x4.extract_lane(s0, 3);
  const end = ptr + ((<usize>n) << 2);
  while (p < end) {
    const v = load<f32>(p);
    m = Mathf.max(m, v);
    s += v;
    p += 4;
  }
  return s != s ? NaN : m;
}
