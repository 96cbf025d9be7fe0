// Speed targets of issue 3 for wasm-simd zero-copy at 128,256 tokens.
// Ratios: vs peers = peer time / ours (higher is better); floor = ours / floor.

export const TARGET_SIZE = 128256;
export const TARGET_CONTENDER = 'wasm-simd zero-copy';

export const TARGETS = {
  temp: { us: 120, vsNaive: 15, vsTj: 150, floor: 15 },
  'topk-topp': { us: 25, vsNaive: 1000, vsTj: 12, floor: 4 },
  'flat-topp': { us: 400, vsNaive: 100, vsTj: 45, floor: 50 },
  greedy: { us: 15, vsNaive: 8, vsTj: 12, floor: 2 },
};

/** One row per configuration that has targets and was measured at TARGET_SIZE. */
export function checkTargets(rowsOf) {
  const out = [];
  for (const [config, t] of Object.entries(TARGETS)) {
    const row = rowsOf(config, TARGET_SIZE).find((r) => r.contender === TARGET_CONTENDER);
    if (!row || row.medianUs == null) continue;
    out.push({
      config,
      medianUs: row.medianUs,
      vsNaive: row.vsNaive,
      vsTj: row.vsTj,
      floorMultiple: row.floorMultiple,
      target: t,
      met: {
        us: row.medianUs <= t.us,
        vsNaive: row.vsNaive != null && row.vsNaive >= t.vsNaive,
        vsTj: row.vsTj != null && row.vsTj >= t.vsTj,
        floor: row.floorMultiple != null && row.floorMultiple <= t.floor,
      },
    });
  }
  return out;
}
