// Real vocabulary sizes (Llama 3, Gemma) and a 2^20 one that forces memory growth: probs()
// agrees with float64 at scale, and draws stay in the kept set (parity at scale:
// test/parity/large.test.ts).
import { describe, expect, test } from 'vitest';
import { createSampler } from '../../src/index.js';
import { CHECKED } from '../support/control-suite.js';
import { LARGE_CONFIGS, LARGE_VOCABULARIES, makeLogits } from '../support/data.js';
import { reference } from '../support/reference.js';
import { PROB_TOLERANCE } from '../support/tolerance.js';

describe.each(LARGE_VOCABULARIES)('vocabulary %i', (n) => {
  test('probs agree with float64; tokens are drawn from the kept set', async () => {
    const s = await createSampler({ backend: CHECKED, seed: n });
    for (const [shape, params] of LARGE_CONFIGS) {
      const x = makeLogits(n, shape, n + shape.length);
      const want = reference(x, params);
      const got = s.probs(x, params);
      let worst = 0;
      let disagree = 0;
      let top = 0;
      for (const v of want.p) top = Math.max(top, v);
      const flush = 2 ** -53 * top;
      for (let i = 0; i < n; i++) {
        const w = want.p[i]!,
          g = got[i]!;
        if (w > 4 * flush && g > 0) worst = Math.max(worst, Math.abs(g - w) / w);
        else if (w > 4 * flush || (w < flush / 4 && g > 0)) disagree++;
      }
      // With 10^5 near-equal probabilities, float32 may place the top-p cut one token over.
      expect(disagree).toBeLessThanOrEqual(want.ambiguous ? 2 : 0);
      expect(worst).toBeLessThan(PROB_TOLERANCE);
      for (let k = 0; k < 5; k++) expect(want.p[s.sample(x, params)]).toBeGreaterThan(0);
    }
  });
});
