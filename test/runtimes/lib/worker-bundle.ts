// Bundles a Worker the way wrangler does: esbuild (through tsup) with the workerd/worker
// conditions, and every `.wasm` import left as an import of a separate module, which workerd
// compiles at load time and hands over as a WebAssembly.Module.
import { copyFile, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { build } from 'tsup';

type Plugin = NonNullable<Parameters<typeof build>[0]['esbuildPlugins']>[number];

function wasmModules(outDir: string, found: string[]): Plugin {
  return {
    name: 'wasm-modules',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, async (args) => {
        if (args.pluginData === 'inner') return undefined;
        const r = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: 'inner',
        });
        if (r.errors.length) return { errors: r.errors };
        const name = basename(r.path);
        if (!found.includes(name)) {
          found.push(name);
          await copyFile(r.path, join(outDir, name));
        }
        return { path: `./${name}`, external: true };
      });
    },
  };
}

/** Writes outDir/worker.js and the .wasm files it imports; tells which package file it used. */
export async function bundleWorker(entry: string, outDir: string): Promise<{ wasm: string[]; packageEntry: string[] }> {
  const wasm: string[] = [];
  await build({
    config: false,
    silent: true,
    entry: { worker: entry },
    outDir,
    format: ['esm'],
    platform: 'neutral',
    target: 'es2022',
    splitting: false,
    noExternal: [/.*/],
    metafile: true,
    esbuildPlugins: [wasmModules(outDir, wasm)],
    esbuildOptions(o) {
      o.conditions = ['workerd', 'worker', 'browser'];
    },
  });
  const meta = JSON.parse(await readFile(join(outDir, 'metafile-esm.json'), 'utf8')) as {
    inputs: Record<string, unknown>;
  };
  const packageEntry = Object.keys(meta.inputs).filter((p) => p.includes('node_modules/logit-sampler/'));
  return { wasm, packageEntry };
}
