// Runs once before the runtime tests: packs the built package, installs the tarball into a
// fresh consumer folder next to a copy of the fixture, and records the Node reference result.
import { existsSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { FIXTURE, REPO } from './lib/paths.js';
import { run } from './lib/proc.js';
import type { Workload } from './lib/same-as-node.js';

export interface RuntimesContext {
  /** Temporary folder holding everything below; removed at the end. */
  work: string;
  /** The `npm pack` tarball. */
  tarball: string;
  /** Files of the tarball, as `npm pack` lists them. */
  files: string[];
  /** A project with the tarball installed and the fixture copied in. */
  consumer: string;
  /** The workload run by Node on this checkout's build (dist/index.js), with a module. */
  reference: Workload & { resolved: string };
}

declare module 'vitest' {
  export interface ProvidedContext {
    runtimes: RuntimesContext;
  }
}

const BUILT = [
  'dist/index.js',
  'dist/index.cjs',
  'dist/browser.js',
  'dist/workerd.js',
  'build/logit-sampler.simd.wasm',
  'build/logit-sampler.wasm',
];

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const missing = BUILT.filter((f) => !existsSync(join(REPO, f)));
  if (missing.length) throw new Error(`not built: ${missing.join(', ')}; run npm run build first`);

  const work = await mkdtemp(join(tmpdir(), 'logit-sampler-runtimes-'));
  try {
    // Inside the repository, 'logit-sampler' resolves to this checkout itself (self-reference):
    // the Node reference runs while the tarball is packed and installed.
    const referenceRun = run(process.execPath, [join(FIXTURE, 'cli.mjs'), '--module'], { cwd: REPO });
    referenceRun.catch(() => {}); // awaited below; a failure before then is reported by the pack's
    // --ignore-scripts: prepack would rebuild what `npm test` has just built.
    const packed = JSON.parse(
      await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: REPO }),
    ) as {
      filename: string;
      files: { path: string }[];
    }[];
    const tarball = join(work, packed[0]!.filename);
    const consumer = join(work, 'consumer');
    await cp(FIXTURE, consumer, { recursive: true });
    await writeFile(
      join(consumer, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module' }),
    );
    // The package has no dependencies, so this needs no registry: --offline guarantees it.
    await run('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-package-lock', tarball], {
      cwd: consumer,
    });
    const reference = JSON.parse(await referenceRun);
    project.provide('runtimes', { work, tarball, files: packed[0]!.files.map((f) => f.path), consumer, reference });
  } catch (e) {
    await rm(work, { recursive: true, force: true });
    throw e;
  }
  return () => rm(work, { recursive: true, force: true });
}
