// Many sequences on the three builds: sampleRows() over a [rows × V] block draws the same
// tokens, and verifyDraft() accepts and emits the same ones (test/sequences/ checks them on
// wasm-simd).
import { expect, test } from 'vitest';
import { samplers } from '../support/backends.js';
import { block, DRAFT_V, model, PARAMS, V } from '../support/sequences-data.js';

test('sampleRows: the same tokens for a batch of six rows, each with its own params and stream', async () => {
  const all = await samplers(8);
  const results = all.map((s) =>
    Array.from(
      s.sampleRows(
        block,
        V,
        PARAMS,
        [1, 2, 3, 4, 5, 6].map((seed) => s.stream(seed)),
      ),
    ),
  );
  expect(results[1]).toEqual(results[0]);
  expect(results[2]).toEqual(results[0]);
});

test('verifyDraft: the same accepted counts and tokens over 40 drafts', async () => {
  const m = model(4, 95);
  const runs = (await samplers(36)).map((s) =>
    Array.from({ length: 40 }, (_, i) =>
      s.verifyDraft({ target: m.target, draft: m.draft, draftTokens: [i % DRAFT_V, 1, 2, 3], vocabSize: DRAFT_V }),
    ),
  );
  expect(runs[1]).toEqual(runs[0]);
  expect(runs[2]).toEqual(runs[0]);
});
