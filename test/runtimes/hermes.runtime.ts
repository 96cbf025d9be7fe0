// Hermes, React Native's engine: no JIT and no WebAssembly. hermes-engine-cli 0.12.0 is the
// last Hermes VM published to npm with desktop binaries; it runs the packed tarball's browser
// bundle, prepared the way a React Native build prepares code for that Hermes:
// - bundled with the 'react-native' condition (Metro's), which reaches dist/react-native.js: no
//   .wasm URL, no import.meta, nothing but the js backend;
// - classes lowered to functions. Hermes 0.12 has no `class` statement ("invalid statement
//   encountered") and no private names; React Native's Babel preset lowers both. Here
//   TypeScript does it (target ES5): it keeps BigInt literals, which this Hermes does have.
//   It also turns `**` into Math.pow, the same operation by the specification.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, inject, it } from 'vitest';
import { engineScript, workloadCall } from '../support/engine-script.js';
import { CHEAP_CASES, COSTLY_CASES, COSTLY_STEPS, expectEngineRun, nodeReference } from '../support/engines.js';
import { REPO } from './lib/paths.js';
import { run } from './lib/proc.js';

const { consumer, work } = inject('runtimes');

/** The binary for this machine; the package ships Linux x64, macOS and Windows ones. */
const BINARIES: Record<string, string> = {
  'linux-x64': 'linux64-bin/hermes',
  'darwin-x64': 'osx-bin/hermes',
  'darwin-arm64': 'osx-bin/hermes',
  'win32-x64': 'win64-bin/hermes.exe',
};
const HERMES = BINARIES[`${process.platform}-${process.arch}`];

/** Classes, arrow functions and the rest of ES2015+ syntax as ES5, as Babel would for Hermes. */
function lowerToEs5(script: string): string {
  // Parsed as JavaScript (a .js name): as TypeScript, `(a|0)<(b|0)&(c|0)>(b|0)` in the generated
  // kernels reads as a call with type arguments, and lowering drops the comparisons.
  const out = ts.transpileModule(script, {
    fileName: 'hermes-engine.js',
    compilerOptions: {
      target: ts.ScriptTarget.ES5,
      module: ts.ModuleKind.CommonJS,
      downlevelIteration: true,
      allowJs: true,
    },
    reportDiagnostics: true,
  });
  const errors = (out.diagnostics ?? []).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  if (errors.length) throw new Error(`lowering for Hermes: ${errors.join('; ')}`);
  return out.outputText;
}

describe('Hermes', () => {
  it.skipIf(HERMES === undefined)(
    "hermes 0.12: 'auto' picks js, golden sequences and probs() as Node's js",
    async () => {
      const bundled = await engineScript({
        target: 'es2020',
        entry: 'logit-sampler',
        resolveDir: consumer,
        conditions: ['react-native'],
      });
      expect(bundled.libraryFiles).toEqual([
        expect.stringMatching(/node_modules\/logit-sampler\/dist\/react-native\.js$/),
      ]);
      const file = join(work, 'hermes-engine.js');
      // No URL shim: the entry needs none (Hermes has no URL without React Native's polyfill).
      // `print` is its console. The cheap golden cases whole, the costly ones' first steps
      // (support/engines.ts): an interpreter takes 11 s over all of them here.
      const both = `Promise.all([${workloadCall(CHEAP_CASES)}, ${workloadCall(COSTLY_CASES, COSTLY_STEPS)}])`;
      await writeFile(
        file,
        `${lowerToEs5(bundled.script)}\n${both}.then(function (r) { print(JSON.stringify(r)); });\n`,
      );
      // -gc-max-heap: a memory budget, as QuickJS gets; run() kills it after the time budget.
      const json = await run(`${REPO}node_modules/hermes-engine-cli/${HERMES}`, ['-gc-max-heap=512MiB', file], {
        cwd: work,
        timeoutMs: 90_000,
      });
      const [cheap, costly] = JSON.parse(json) as [string, string];
      expectEngineRun(cheap, await nodeReference(CHEAP_CASES), 'undefined');
      expectEngineRun(costly, await nodeReference(COSTLY_CASES, COSTLY_STEPS), 'undefined', COSTLY_STEPS);
    },
  );
});
