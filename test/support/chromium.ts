// Headless Chromium from npm, driven by playwright-core, for any test that needs a browser.
// The browser is the headless shell that @sparticuz/chromium ships inside its tarball
// (brotli-compressed, x86-64 Linux, with the NSS/NSPR libraries it links against), so
// `npm ci` is all a machine needs: nothing is downloaded, nothing comes from the system but
// glibc. playwright-core itself never downloads a browser. CHROMIUM_EXECUTABLE points the
// tests at another Chromium instead (e.g. /usr/bin/chromium on a machine that is not
// x86-64 Linux).
import { execFileSync } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync, createBrotliDecompress } from 'node:zlib';
import { type BrowserContext, chromium } from 'playwright-core';

/** How to start the browser: its path and what its environment needs on top of ours. */
export interface ChromiumExecutable {
  path: string;
  env: Record<string, string>;
}

/** A running browser with a fresh profile; `close()` ends it and removes the profile. */
export interface LaunchedChromium {
  context: BrowserContext;
  close: () => Promise<void>;
}

/** Headless, and nothing that reaches beyond loopback: on a closed network every background
 *  request (updates, sync, safe browsing) would fail, and slowly. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const PACKAGE = '@sparticuz/chromium';
const REPO = fileURLToPath(new URL('../../', import.meta.url));

let unpacked: Promise<ChromiumExecutable> | undefined;

/** The browser to launch: CHROMIUM_EXECUTABLE if set, else the npm one, unpacked on first use
 *  (≈ 3 s, 210 MB) into node_modules/.cache, where `npm ci` starts it afresh. */
export function chromiumExecutable(): Promise<ChromiumExecutable> {
  const own = process.env.CHROMIUM_EXECUTABLE;
  if (own) return Promise.resolve({ path: own, env: {} });
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    return Promise.reject(
      new Error(
        `${PACKAGE} ships Chromium for x86-64 Linux only, this is ${process.platform}-${process.arch}: ` +
          'run the tests with CHROMIUM_EXECUTABLE=/path/to/chromium',
      ),
    );
  }
  unpacked ??= unpack();
  return unpacked;
}

async function unpack(): Promise<ChromiumExecutable> {
  const root = packageRoot(createRequire(import.meta.url).resolve(PACKAGE));
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  const dir = join(REPO, 'node_modules', '.cache', 'logit-sampler-chromium', version);
  if (!existsSync(dir)) {
    // Unpacked next to its final place and renamed: test files running in parallel either
    // see the whole directory or none of it.
    await mkdir(dirname(dir), { recursive: true });
    const part = await mkdtemp(`${dir}.part-`);
    try {
      const bin = join(root, 'bin');
      await pipeline(
        createReadStream(join(bin, 'chromium.br')),
        createBrotliDecompress(),
        createWriteStream(join(part, 'chromium'), { mode: 0o755 }),
      );
      untar(join(bin, 'al2023.tar.br'), part); // lib/: libnss3, libnspr4, libexpat, …
      await mkdir(join(part, 'fonts'));
      untar(join(bin, 'fonts.tar.br'), join(part, 'fonts')); // fonts/Open_Sans/*.ttf
      // Text renders the same on every machine: the shipped fonts only, never the system's.
      await writeFile(
        join(part, 'fonts.conf'),
        `<?xml version="1.0"?>\n<fontconfig>\n  <dir>${dir}/fonts</dir>\n  <cachedir>${dir}/fonts-cache</cachedir>\n</fontconfig>\n`,
      );
      await rename(part, dir).catch((e: NodeJS.ErrnoException) => {
        if (!existsSync(dir)) throw e; // another test file finished first: use its copy
      });
    } finally {
      await rm(part, { recursive: true, force: true });
    }
  }
  const libs = [join(dir, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  return { path: join(dir, 'chromium'), env: { LD_LIBRARY_PATH: libs, FONTCONFIG_FILE: join(dir, 'fonts.conf') } };
}

/** The folder holding bin/: the package's exports map offers only its JS entry, so walk up
 *  from that to the package.json. */
function packageRoot(entry: string): string {
  for (let dir = dirname(entry); dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'bin', 'chromium.br'))) return dir;
  }
  throw new Error(`no bin/chromium.br above ${entry}: is ${PACKAGE} installed (npm ci)?`);
}

/** Extracts a brotli-compressed tar file (a few MB) with the system's tar, there on every Linux. */
function untar(file: string, into: string): void {
  execFileSync('tar', ['-x', '-f', '-', '-C', into], { input: brotliDecompressSync(readFileSync(file)) });
}

/** Starts headless Chromium with a fresh, empty profile. */
export async function launchChromium(): Promise<LaunchedChromium> {
  const exe = await chromiumExecutable();
  const profile = await mkdtemp(join(tmpdir(), 'logit-sampler-chromium-'));
  try {
    // A persistent context is how playwright takes a --user-data-dir.
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: exe.path,
      env: { ...process.env, ...exe.env },
      headless: true,
      args: CHROMIUM_FLAGS,
      timeout: 60_000,
    });
    return {
      context,
      close: async () => {
        try {
          await context.close();
        } finally {
          await rm(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (e) {
    await rm(profile, { recursive: true, force: true });
    throw e;
  }
}

/** Runs `fn` in a fresh browser; the browser and its profile are always removed. */
export async function withChromium<T>(fn: (ctx: BrowserContext) => Promise<T>): Promise<T> {
  const browser = await launchChromium();
  try {
    return await fn(browser.context);
  } finally {
    await browser.close();
  }
}
