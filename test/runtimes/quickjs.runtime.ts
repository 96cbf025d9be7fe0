// QuickJS on the packed tarball: the golden cases that test/engines/quickjs.test.ts leaves out
// for their cost, their first 8 steps and probs() at the first (support/quickjs.ts), so that
// between the two every golden case runs in QuickJS. The package is bundled as a bundler with neither a 'browser' nor a 'node'
// condition sees it: its exports map must give dist/browser.js.
import { describe, expect, inject, it } from 'vitest';
import { engineScript } from '../support/engine-script.js';
import { expectEngineRun, nodeReference } from '../support/engines.js';
import { QUICKJS_RUNTIME_CASES, QUICKJS_RUNTIME_STEPS, runInQuickJS } from '../support/quickjs.js';

const { consumer } = inject('runtimes');

describe('QuickJS', () => {
  it("the tarball's browser bundle: 'auto' picks js, golden sequences and probs() as Node's js", async () => {
    const { script, libraryFiles } = await engineScript({
      target: 'es2022',
      entry: 'logit-sampler',
      resolveDir: consumer,
    });
    expect(libraryFiles).toEqual([expect.stringMatching(/node_modules\/logit-sampler\/dist\/browser\.js$/)]);
    const steps = QUICKJS_RUNTIME_STEPS;
    const json = await runInQuickJS(script, QUICKJS_RUNTIME_CASES, 100_000, steps);
    expectEngineRun(json, await nodeReference(QUICKJS_RUNTIME_CASES, steps), 'undefined', steps);
  });
});
