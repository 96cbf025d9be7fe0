// The library as one classic script for engines that cannot load an ES module from Node: a
// `vm` context (vm.SourceTextModule needs --experimental-vm-modules), QuickJS and Hermes.
// esbuild bundles the library with test/support/engine-workload.mjs into an IIFE that leaves
// one global, `engine` = { lib, engineWorkload }.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const WORKLOAD = fileURLToPath(new URL('./engine-workload.mjs', import.meta.url));
const ENTRY = 'engine-entry.js';

export interface ScriptOptions {
  /** esbuild target, e.g. 'es2022'. */
  target: string;
  /** What to bundle and where to resolve it from: by default this checkout's dist/browser.js; a
   *  runtime test passes 'logit-sampler' and the folder where the tarball is installed. */
  entry?: string;
  resolveDir?: string;
  /** Package export conditions besides esbuild's own ('import', 'default'). */
  conditions?: string[];
}

/** The script, and the library files esbuild bundled for the entry (through the exports map). */
export async function engineScript(o: ScriptOptions): Promise<{ script: string; libraryFiles: string[] }> {
  const entry = o.entry ?? './dist/browser.js';
  const resolveDir = o.resolveDir ?? REPO;
  if (o.entry === undefined && !existsSync(`${REPO}dist/browser.js`)) {
    throw new Error('dist/browser.js is missing: npm run build');
  }
  const out = await build({
    stdin: {
      contents: `export * as lib from ${JSON.stringify(entry)};\nexport { engineWorkload } from ${JSON.stringify(WORKLOAD)};\n`,
      resolveDir,
      sourcefile: ENTRY,
    },
    absWorkingDir: REPO,
    bundle: true,
    write: false,
    metafile: true,
    format: 'iife',
    globalName: 'engine',
    platform: 'neutral',
    conditions: o.conditions ?? [],
    target: o.target,
    // The library builds its .wasm URLs at load time, `new URL('../build/…', import.meta.url)`,
    // even where it never fetches them. A script has no import.meta: esbuild would leave
    // `undefined` there and `new URL` would throw, so the bundled file's own URL stands in.
    define: { 'import.meta.url': JSON.stringify('file:///logit-sampler/dist/browser.js') },
    logLevel: 'silent',
  });
  // Paths relative to absWorkingDir; the rest is the entry and the workload.
  const libraryFiles = Object.keys(out.metafile.inputs).filter((p) => !p.endsWith(ENTRY) && !p.startsWith('test/'));
  return { script: out.outputFiles[0]!.text, libraryFiles };
}

/**
 * The least `URL` that lets the library load, for engines with none (QuickJS; Hermes without
 * React Native's polyfill): it only records its arguments. Nothing fetches these URLs there:
 * without a WebAssembly global, 'auto' goes straight to the js backend.
 */
export const URL_SHIM =
  'globalThis.URL = function URL(path, base) { this.href = String(base) + " " + String(path); };\n';

/** An expression, to evaluate in the engine, for a promise of the workload's result as JSON
 *  (JSON is what crosses out of every engine alike); a failure comes back as { "error": … }.
 *  `names` and `steps` as engineWorkload takes them (undefined: every case, every step). */
export function workloadCall(names?: string[], steps?: number): string {
  const args = `${names === undefined ? 'undefined' : JSON.stringify(names)}, ${steps}`;
  return (
    `engine.engineWorkload(engine.lib, 'auto', ${args}).then(` +
    'function (r) { return JSON.stringify(r); }, ' +
    // V8 puts the message in e.stack; QuickJS and Hermes give only the frames there.
    'function (e) { return JSON.stringify({ error: String(e) + "\\n" + String(e && e.stack) }); })'
  );
}
