// The allowed-token mask as what to subtract from four logits: x − 0 = x where a token is allowed
// (−0 stays −0), x − ∞ = -Infinity where not — and NaN for a NaN or +Infinity there, so that a
// mask never hides a broken logit from the NaN watch that follows. Greedy's masked argmax
// (scan.ts) and the masked copy of probabilities (input.ts) read it; the masked copy of logits
// builds its lanes from the bits instead (input.ts maskedCopy says why).
import { allowedByMask } from './sparse-mask';

const INF = 0x7f800000;

/** Row k (16 bytes) holds, lane by lane, what to subtract from the four logits whose mask bits
 *  are the nibble k. A row costs one load, where building it from the bits (an and, a compare
 *  and an andnot per vector) cost three vector operations, and V8 keeps a v128.const in a loop
 *  as several instructions per use. */
// biome-ignore format: one row per nibble
export const NIBBLE_OFFSETS = memory.data<u32>(
  [
    INF, INF, INF, INF,
    0, INF, INF, INF,
    INF, 0, INF, INF,
    0, 0, INF, INF,
    INF, INF, 0, INF,
    0, INF, 0, INF,
    INF, 0, 0, INF,
    0, 0, 0, INF,
    INF, INF, INF, 0,
    0, INF, INF, 0,
    INF, 0, INF, 0,
    0, 0, INF, 0,
    INF, INF, 0, 0,
    0, INF, 0, 0,
    INF, 0, 0, 0,
    0, 0, 0, 0,
  ],
  16,
);

/** Logit v of token i with the mask applied, as a masked copy holds it. */
export function maskedLogit(v: f32, i: i32): f32 {
  return allowedByMask(i) ? v : v - Infinity;
}
