// Module hooks that let plain Node 20 import the library's TypeScript source
// (Node 20 has no type stripping). Each .ts file is transpiled on its own with
// the installed esbuild and keeps its real URL, so the library's
// `new URL('../build/…wasm', import.meta.url)` style paths resolve exactly as
// they do in the published package. Registered by bench/lib/library.mjs.

import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { transform } from 'esbuild';

const isTs = (url) => url.startsWith('file:') && /\.m?ts$/.test(new URL(url).pathname);

// TS sources conventionally import './x.js' for './x.ts', or leave the
// extension off; try those spellings when the literal one does not exist.
export async function resolve(specifier, context, next) {
  try {
    return await next(specifier, context);
  } catch (err) {
    const fromTs = context.parentURL && isTs(context.parentURL);
    const relative = specifier.startsWith('.') || specifier.startsWith('/');
    if (!fromTs || !relative || err?.code !== 'ERR_MODULE_NOT_FOUND') throw err;
    const candidates = specifier.endsWith('.js')
      ? [specifier.replace(/\.js$/, '.ts')]
      : [`${specifier}.ts`, `${specifier}/index.ts`];
    for (const candidate of candidates) {
      try {
        return await next(candidate, context);
      } catch {
        // try the next spelling
      }
    }
    throw err;
  }
}

export async function load(url, context, next) {
  if (!isTs(url)) return next(url, context);
  const path = fileURLToPath(url);
  const { code } = await transform(await readFile(path, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: path,
    sourcemap: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
