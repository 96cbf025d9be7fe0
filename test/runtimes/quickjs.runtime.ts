// QuickJS on the packed tarball: the golden cases that test/engines/quickjs.test.ts leaves out
// for their cost, their first 8 steps and probs() at the first (support/engines.ts), so that
// between the two every golden case runs in QuickJS. The package is bundled as a bundler with neither a 'browser' nor a 'node'
// condition sees it: its exports map must give dist/browser.js.
import { describe, expect, inject, it } from 'vitest';
import { engineScript } from '../support/engine-script.js';
import { COSTLY_CASES, COSTLY_STEPS, expectEngineRun, nodeReference } from '../support/engines.js';
import { runInQuickJS } from '../support/quickjs.js';

const { consumer } = inject('runtimes');

describe('QuickJS', () => {
  it("the tarball's browser bundle: 'auto' picks js, golden sequences and probs() as Node's js", async () => {
    const { script, libraryFiles } = await engineScript({
      target: 'es2022',
      entry: 'logit-sampler',
      resolveDir: consumer,
    });
    expect(libraryFiles).toEqual([expect.stringMatching(/node_modules\/logit-sampler\/dist\/browser\.js$/)]);
    const steps = COSTLY_STEPS;
    const json = await runInQuickJS(script, COSTLY_CASES, 100_000, steps);
    expectEngineRun(json, await nodeReference(COSTLY_CASES, steps), 'undefined', steps);
  });
});
