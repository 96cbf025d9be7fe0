// A test page's result: what the page leaves in window.result, with its errors on failure.
// The browser itself comes from test/support/chromium.ts.
import type { BrowserContext } from 'playwright-core';

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
