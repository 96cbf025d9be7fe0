// The residual draw of verifyDraft() (assembly/residual.ts) over a vocabulary of many blocks
// and a partial last one, where test/sequences/verify-draft.test.ts's 64 tokens are one block.
// A draft token the target gives probability 0 is always rejected, so every call draws from
// norm(max(0, p − q)): its tokens must follow that distribution, computed here in float64 from
// probs(), and be the same on every build. With a deterministic draft (q one-hot at t), a
// rejection draws from p without t.
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { BACKENDS, samplers } from '../support/backends.js';
import { normal, rng } from '../support/data.js';
import { chiSquare, criticalZ } from '../support/stats.js';

const V = 1000; // 15 blocks of 64 and 40 more
const BANNED = 777; // -Infinity in the target row: p = 0 there

function rows(seed: number) {
  const r = rng(seed);
  const target = new Float32Array(2 * V);
  const draft = new Float32Array(V);
  // The draft is a poor guess: different logits, and sharper.
  for (let j = 0; j < V; j++) {
    target[j] = 2 * normal(r);
    draft[j] = 3 * normal(r);
  }
  target[BANNED] = -Infinity;
  draft[BANNED] = 4; // the draft's favourite: its proposal is always rejected
  // Heavy residual weight at the edges of blocks, the last partial one's last token included.
  for (const j of [0, 63, 64, 959, 960, V - 1]) {
    target[j] = 5;
    draft[j] = -3;
  }
  return { target, draft };
}

/** max(0, p − q), normalised, in float64. */
function residual(p: Float32Array, q: Float32Array | undefined, t: number): Float64Array {
  const w = Float64Array.from(p, (pj, j) => Math.max(0, pj - (q ? q[j]! : j === t ? 1 : 0)));
  const total = w.reduce((a, b) => a + b, 0);
  return w.map((x) => x / total);
}

describe('the residual draw', () => {
  test.each(BACKENDS)('rejected drafts follow norm(max(0, p − q)) over 1,000 tokens (%s)', async (backend) => {
    const s = await createSampler({ backend, seed: 5 });
    const { target, draft } = rows(11);
    const p = s.probs(target.subarray(0, V));
    const q = s.probs(draft);
    expect(p[BANNED]).toBe(0);
    const want = residual(p, q, BANNED);
    const counts = new Float64Array(V);
    const trials = 12000;
    const st = s.stream(3);
    for (let n = 0; n < trials; n++) {
      const r = s.verifyDraft({ target, draft, draftTokens: [BANNED], vocabSize: V, stream: st });
      expect(r.accepted).toBe(0);
      counts[r.token]!++;
    }
    for (let j = 0; j < V; j++) if (want[j] === 0) expect(counts[j], `token ${j}`).toBe(0);
    const fit = chiSquare(counts, want, trials);
    expect(fit.z, `chi2 ${fit.chi2.toFixed(1)} on ${fit.df} df`).toBeLessThan(criticalZ(1e-3 / BACKENDS.length));
  });

  test('a rejected deterministic draft draws from p without its token', async () => {
    const s = await createSampler({ backend: 'wasm-simd', seed: 6 });
    const { target } = rows(12);
    const p = s.probs(target.subarray(0, V));
    // The target's most likely token: accepted with probability p(t), else the residual.
    const t = p.indexOf(Math.max(...p));
    const want = residual(p, undefined, t);
    const counts = new Float64Array(V);
    const st = s.stream(4);
    let rejected = 0;
    for (let n = 0; n < 12000; n++) {
      const r = s.verifyDraft({ target, draftTokens: [t], vocabSize: V, stream: st });
      if (r.accepted === 1) continue;
      rejected++;
      expect(r.token).not.toBe(t);
      counts[r.token]!++;
    }
    expect(rejected).toBeGreaterThan(2000);
    const fit = chiSquare(counts, want, rejected);
    expect(fit.z, `chi2 ${fit.chi2.toFixed(1)} on ${fit.df} df`).toBeLessThan(criticalZ(1e-3));
  });

  test('every build draws the same residual tokens', async () => {
    const { target, draft } = rows(13);
    const runs = (await samplers(21)).map((s) => {
      const st = s.stream(8);
      return Array.from({ length: 300 }, (_, i) => {
        const withDraft = i % 2 === 0;
        return s.verifyDraft({
          target,
          draft: withDraft ? draft : undefined,
          draftTokens: [withDraft ? BANNED : i % V],
          vocabSize: V,
          stream: st,
        });
      });
    });
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[2]).toEqual(runs[0]);
  });
});
