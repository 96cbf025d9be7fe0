// Headless Chromium from Debian, driven by playwright-core. playwright-core never downloads a
// browser; a missing /usr/bin/chromium fails the test with the command that installs it.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const EXECUTABLE = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Runs `fn` with a fresh browser profile; the browser and profile are always removed. */
export async function withChromium<T>(fn: (ctx: BrowserContext) => Promise<T>): Promise<T> {
  if (!existsSync(EXECUTABLE)) {
    throw new Error(`${EXECUTABLE} is missing: apt-get update && apt-get install -y chromium (.ci/run does this)`);
  }
  const profile = await mkdtemp(join(tmpdir(), 'logit-sampler-chromium-'));
  try {
    // A persistent context is how playwright takes a --user-data-dir: a fresh one per run.
    const ctx = await chromium.launchPersistentContext(profile, {
      executablePath: EXECUTABLE,
      headless: true,
      args: FLAGS,
      timeout: 60_000,
    });
    try {
      return await fn(ctx);
    } finally {
      await ctx.close();
    }
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

/** Opens `url` and waits for the page to set window.result (the workload's output). */
export async function pageResult<T>(ctx: BrowserContext, url: string): Promise<T> {
  const page = await ctx.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => void (m.type() === 'error' && errors.push(m.text())));
  page.on(
    'response',
    (r) => void (r.status() >= 400 && !r.url().endsWith('/favicon.ico') && errors.push(`${r.status()} ${r.url()}`)),
  );
  try {
    await page.goto(url, { timeout: 30_000 });
    const handle = await page
      .waitForFunction(() => (window as unknown as { result?: unknown }).result, null, { timeout: 30_000 })
      .catch((e: unknown) => {
        throw new Error(`${url} produced no result: ${String(e)}\npage errors:\n${errors.join('\n')}`);
      });
    return (await handle.jsonValue()) as T;
  } finally {
    await page.close();
  }
}
