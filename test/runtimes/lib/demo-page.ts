// Driving the temperature explorer (demo/) in a browser: a page that records every console
// error, page error, failed request and request to anywhere but the page's own server, and
// reads back what the page shows.
import type { BrowserContext, Page } from 'playwright-core';

/** A page of the explorer and the problems seen on it so far. */
export interface DemoPage {
  page: Page;
  /** Console errors, uncaught errors, failed or refused requests: must stay empty. */
  problems: string[];
}

/** Opens the explorer at `origin` and waits until it has drawn its first distribution. */
export async function openDemo(
  ctx: BrowserContext,
  origin: string,
  viewport: { width: number; height: number },
): Promise<DemoPage> {
  const problems: string[] = [];
  const page = await ctx.newPage();
  await page.setViewportSize(viewport);
  // Anything not from the page's own server (a CDN, a font service, a model hub) is refused
  // and reported: the page must work offline.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`)) return route.continue();
    problems.push(`request outside ${origin}: ${url}`);
    return route.abort('blockedbyclient');
  });
  page.on('console', (m) => void (m.type() === 'error' && problems.push(`console error: ${m.text()}`)));
  page.on('pageerror', (e) => problems.push(`page error: ${e.stack ?? e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} (${r.failure()?.errorText})`));
  page.on('response', (r) => void (r.status() >= 400 && problems.push(`HTTP ${r.status()}: ${r.url()}`)));
  await page.goto(`${origin}/`, { timeout: 30_000 });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30_000 }).catch((e: unknown) => {
    throw new Error(`the page never became ready: ${String(e)}\n${problems.join('\n')}`);
  });
  return { page, problems };
}

/** Sets a slider (fires `input`, as a drag does) and waits for the redraw with `expected`. */
export async function setSliders(page: Page, values: Record<string, number>, expected: object): Promise<void> {
  for (const [id, v] of Object.entries(values)) await page.locator(`#${id}`).fill(String(v));
  await waitRendered(page, expected);
}

/** Waits until the page has drawn the distribution for exactly these sampling params. */
export async function waitRendered(page: Page, expected: object): Promise<void> {
  await page.waitForFunction((want) => document.body.dataset.rendered === want, JSON.stringify(expected), {
    timeout: 10_000,
  });
}

/** A row of the distribution table: token id, the exact probs() value shown, kept or cut. */
export interface ShownRow {
  token: number;
  label: string;
  p: number;
  kept: boolean;
}

export function distributionRows(page: Page): Promise<ShownRow[]> {
  return page.$$eval('#dist-table tbody tr[data-token]', (rows) =>
    rows.map((r) => ({
      token: Number((r as HTMLElement).dataset.token),
      label: r.children[0]!.textContent ?? '',
      p: Number((r.children[4] as HTMLElement).dataset.p),
      kept: (r as HTMLElement).dataset.kept === 'true',
    })),
  );
}

/** Screenshot of the sliders, the distribution and the curves (the page's top half). */
export async function screenshotCharts(page: Page, path: string): Promise<void> {
  const box = await page.evaluate(() => {
    const top = document.getElementById('controls')!.getBoundingClientRect().top + window.scrollY;
    const bottom = document.getElementById('curves')!.getBoundingClientRect().bottom + window.scrollY;
    return { top, height: bottom - top, width: document.documentElement.clientWidth };
  });
  await page.screenshot({ path, fullPage: true, clip: { x: 0, y: box.top, width: box.width, height: box.height } });
}
