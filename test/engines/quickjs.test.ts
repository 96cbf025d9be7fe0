// The built browser bundle in QuickJS: an interpreter with no JIT and no WebAssembly, as on
// the devices the js backend is for. The cheap golden cases run here (see support/engines.ts);
// test/runtimes/quickjs.runtime.ts runs the rest on the packed tarball.
import { expect, test } from 'vitest';
import { engineScript } from '../support/engine-script.js';
import { CHEAP_CASES, expectEngineRun, nodeReference } from '../support/engines.js';
import { runInQuickJS } from '../support/quickjs.js';

test("QuickJS: 'auto' picks js and draws the golden sequences; probs() is Node's js bit for bit", async () => {
  // QuickJS has BigInt, class fields and private names: it takes the bundle's own syntax.
  const { script, libraryFiles } = await engineScript({ target: 'es2022' });
  expect(libraryFiles).toEqual(['dist/browser.js']);
  const json = await runInQuickJS(script, CHEAP_CASES, 60_000);
  expectEngineRun(json, await nodeReference(CHEAP_CASES), 'undefined');
});
