// Where every buffer lives in linear memory. Nothing here allocates: the host grows the
// memory (WebAssembly.Memory#grow) to the size configure() asks for, then kernels use these
// fixed regions. Regions start above __heap_base so they never overlap static data.

/** Histogram buckets over the bit pattern of a probability: 32 per octave. Non-zero e lies
 *  in [2^-53.5, 1] (exp.ts flushes below 2^-53), so buckets 0 … 1712 are the real ones. */
export const NB: i32 = 2048;
/** Bits of 1.0f: bucket(e) = (ONE_BITS - bits(e)) >>> BUCKET_SHIFT, so bucket 0 holds e near 1. */
export const ONE_BITS: i32 = 0x3f800000;
export const BUCKET_SHIFT: i32 = 18;
/** Low bits of (ONE_BITS - bits(e)): orders the members of one bucket, descending e. */
export const IN_BUCKET_MASK: i32 = (1 << BUCKET_SHIFT) - 1;
/** Logits sampled to estimate a top-k pivot before the filtering pass. */
export const SAMPLE: i32 = 1024;
/** Radix digit: 9 bits sort an in-bucket key (18 bits) in two stable passes. */
export const DIGIT_BITS: i32 = 9;
export const DIGITS: i32 = 1 << DIGIT_BITS;

export let CAP: i32 = 0;
export let X: usize = 0; // logits, CAP + 16 f32 (tail padded with -Infinity to a multiple of 16)
export let E: usize = 0; // unnormalised probabilities exp2(z), per list position
export let XL: usize = 0; // logits gathered for the top-k list; reused as the probs() output
export let LIST: usize = 0; // i32 token index per list position (top-k only)
export let KEYS: usize = 0; // u32 scratch: selection keys, then in-bucket sort keys
export let KEYS2: usize = 0; // u32 ping-pong buffer of the radix sort; live-block list of expHistogram
export let POS: usize = 0; // i32 list positions of the cut bucket, sorted
export let POS2: usize = 0; // i32 ping-pong buffer of the radix sort; live-vector list of expHistogram
export let HIST: usize = 0; // 4 × NB f64 bucket masses, one copy per SIMD lane; all zero between calls
export let BMAX: usize = 0; // f32x4 per 16 logits: their lane-wise maximum (scanBlocks)
export let ALIVE: usize = 0; // u8 per 16 positions: 0 when expHistogram found them all 0
export let CUM: usize = 0; // NB f64 running mass after each bucket
export let COUNTS: usize = 0; // DIGITS u32 radix counters
export let SAMPLES: usize = 0; // SAMPLE u32 keys of the pivot sample

// @ts-ignore: decorator
@inline function align(p: usize): usize {
  return (p + 63) & ~(<usize>63);
}

/**
 * Lays out every region for vocabularies up to `capacity` tokens and returns the number of
 * bytes of linear memory that layout needs. The host must grow memory to at least that.
 */
export function configure(capacity: i32): usize {
  const cap = (capacity + 3) & ~3;
  const vec = (<usize>cap + 16) << 2;
  let p = align(__heap_base);
  X = p; p = align(p + vec);
  E = p; p = align(p + vec);
  XL = p; p = align(p + vec);
  LIST = p; p = align(p + vec);
  KEYS = p; p = align(p + vec);
  KEYS2 = p; p = align(p + vec);
  POS = p; p = align(p + vec);
  POS2 = p; p = align(p + vec);
  HIST = p; p = align(p + (<usize>NB << 5));
  BMAX = p; p = align(p + <usize>cap + 16);
  ALIVE = p; p = align(p + (<usize>cap >> 4) + 1);
  CUM = p; p = align(p + (<usize>NB << 3));
  COUNTS = p; p = align(p + (<usize>DIGITS << 2));
  SAMPLES = p; p = align(p + (<usize>SAMPLE << 2));
  CAP = cap;
  return p;
}
