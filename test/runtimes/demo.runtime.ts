// The temperature explorer (demo/), as a visitor gets it: built by Vite from the packed
// package, served by demo/serve.mjs (what `npm run demo` runs), opened in headless Chromium.
// The sliders must show exactly probs() of the package in Node, "Draw N" the same tokens as
// Node's sampler with that seed, "Generate" the same text as the Node decode loop with
// onnxruntime-node; the benchmark must produce numbers. Any console error, failed request or
// request to another origin fails the test. Screenshots go to test-artifacts/demo/
// (DEMO_SCREENSHOT=1 also writes the README's demo/screenshot.png).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { chiSquareFit } from '../../demo/src/chi-square.js';
import { NOTEBOOK_LOGITS, NOTEBOOK_WORDS } from '../../demo/src/notebook-004.js';
import { generate, loadTinyModel } from '../../examples/onnx-generate.mjs';
import type * as Lib from '../../src/index.js';
import { type LaunchedChromium, launchChromium } from '../support/chromium.js';
import { softmax } from '../support/reference.js';
import {
  type DemoPage,
  distributionRows,
  openDemo,
  screenshotCharts,
  setSliders,
  waitRendered,
} from './lib/demo-page.js';
import { bin, REPO } from './lib/paths.js';
import { run, start } from './lib/proc.js';

const { consumer, work } = inject('runtimes');
const PACKAGE = join(consumer, 'node_modules/logit-sampler');
const ARTIFACTS = join(REPO, 'test-artifacts/demo');
const DESKTOP = { width: 1200, height: 1000 };
const PHONE = { width: 390, height: 844 };
const logits = Float32Array.from(NOTEBOOK_LOGITS);

let lib: typeof Lib;
let server: ReturnType<typeof start>;
let origin: string;
let browser: LaunchedChromium;
let demo: DemoPage;

beforeAll(async () => {
  lib = (await import(pathToFileURL(join(PACKAGE, 'dist/index.js')).href)) as typeof Lib;
  const out = join(work, 'demo-dist');
  await run(
    process.execPath,
    [bin('vite'), 'build', '--config', 'demo/vite.config.ts', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'],
    { cwd: REPO, env: { DEMO_PACKAGE: PACKAGE } },
  );
  server = start(process.execPath, ['demo/serve.mjs', out, '--port', '0'], { cwd: REPO });
  for (let i = 0; i < 100 && !/http:\/\/\S+/.test(server.log()); i++) await new Promise((r) => setTimeout(r, 100));
  const url = /(http:\/\/\S+?)\/?$/m.exec(server.log());
  if (!url) throw new Error(`demo/serve.mjs printed no URL:\n${server.log()}`);
  origin = url[1]!;
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchChromium();
  demo = await openDemo(browser.context, origin, DESKTOP);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** probs() of the package in Node, as numbers. */
async function nodeProbs(params: Lib.SamplingParams): Promise<number[]> {
  const s = await lib.createSampler({ seed: 0 });
  return Array.from(s.probs(logits, params));
}

describe('the temperature explorer', () => {
  it('shows probs() of the notebook-004 example as the temperature slider moves', async () => {
    const { page, problems } = demo;
    for (const T of [0.2, 1, 2]) {
      await setSliders(page, { temperature: T }, { temperature: T });
      const rows = await distributionRows(page);
      expect(rows.map((r) => r.label)).toEqual(NOTEBOOK_WORDS);
      const want = await nodeProbs({ temperature: T });
      // Bit for bit: the page's sampler (wasm-simd in Chromium) and Node's agree exactly.
      expect(rows.map((r) => r.p)).toEqual(want);
      // And both are the float64 softmax, to float32 precision.
      const exact = softmax(NOTEBOOK_LOGITS, T);
      for (const [i, r] of rows.entries()) expect(Math.abs(r.p - exact[i]!)).toBeLessThan(1e-6);
      expect(rows.every((r) => r.kept)).toBe(true);
      const summary = (await page.textContent('#dist-summary')) ?? '';
      const H = -exact.reduce((h, p) => h + p * Math.log(p), 0);
      expect(Number(/entropy ([\d.]+) nats/.exec(summary)?.[1])).toBeCloseTo(H, 3);
      expect(summary).toContain(`ln V = ${Math.log(20).toFixed(3)}`);
      await screenshotCharts(page, join(ARTIFACTS, `T-${T}.png`));
    }
    expect(problems).toEqual([]);
  });

  it('highlights the kept set of top-k, top-p and min-p, applied after temperature', async () => {
    const { page, problems } = demo;
    for (const [sliders, params] of [
      [
        { temperature: 1, 'top-k': 3 },
        { temperature: 1, topK: 3 },
      ],
      [
        { 'top-k': 0, 'top-p': 0.6 },
        { temperature: 1, topP: 0.6 },
      ],
      [{ temperature: 2.5 }, { temperature: 2.5, topP: 0.6 }],
      [
        { 'top-p': 1, 'min-p': 0.3 },
        { temperature: 2.5, minP: 0.3 },
      ],
    ] as const) {
      await setSliders(page, sliders, params);
      const rows = await distributionRows(page);
      const want = await nodeProbs(params);
      expect(rows.map((r) => r.p)).toEqual(want);
      expect(rows.filter((r) => r.kept).map((r) => r.token)).toEqual(want.flatMap((p, i) => (p > 0 ? [i] : [])));
    }
    // The same top-p keeps more tokens at a higher temperature: temperature comes first.
    await setSliders(page, { 'min-p': 0, temperature: 1, 'top-p': 0.6 }, { temperature: 1, topP: 0.6 });
    const cool = (await distributionRows(page)).filter((r) => r.kept).length;
    await setSliders(page, { temperature: 2.5 }, { temperature: 2.5, topP: 0.6 });
    const hot = (await distributionRows(page)).filter((r) => r.kept).length;
    expect(hot).toBeGreaterThan(cool);
    await page.click('#params-reset');
    await waitRendered(page, { temperature: 1 });
    expect(problems).toEqual([]);
  });

  it('moves its sliders from the keyboard', async () => {
    const { page, problems } = demo;
    await page.focus('#temperature');
    await page.keyboard.press('ArrowRight');
    await waitRendered(page, { temperature: 1.01 });
    expect(await page.textContent('#temperature-out')).toBe('1.01');
    await page.keyboard.press('Home');
    await waitRendered(page, { temperature: 0 });
    const greedy = await distributionRows(page);
    expect(greedy.filter((r) => r.kept).map((r) => r.label)).toEqual(['the']);
    await page.keyboard.press('Tab'); // to top-k
    await page.keyboard.press('ArrowRight');
    await waitRendered(page, { temperature: 0, topK: 1 });
    await page.click('#params-reset');
    await waitRendered(page, { temperature: 1 });
    expect(problems).toEqual([]);
  });

  it('draws N seeded tokens: the same as Node draws with that seed, with a chi-square p-value', async () => {
    const { page, problems } = demo;
    const N = 1000;
    await page.selectOption('#draw-n', String(N));
    await page.fill('#draw-seed', '42');
    await page.click('#draw-run');
    await page.waitForFunction(() => document.getElementById('draw-result')?.dataset.p !== undefined);
    const counts = await page.$$eval('#draw-table tbody tr', (rows) =>
      rows.map((r) => Number((r as HTMLElement).dataset.count)),
    );
    const sampler = await lib.createSampler({ seed: 42 });
    const want = new Array<number>(20).fill(0);
    for (let i = 0; i < N; i++) want[sampler.sample(logits, { temperature: 1 })]!++;
    expect(counts).toEqual(want);
    const p = Number(await page.getAttribute('#draw-result', 'data-p'));
    expect(p).toBeGreaterThan(0);
    expect(p).toBeLessThanOrEqual(1);
    expect(p).toBe(chiSquareFit(want, await nodeProbs({ temperature: 1 })).p);
    expect(await page.textContent('#draw-result')).toMatch(/χ² = [\d.]+, df = \d+ .*p-value = 0\.\d{4}/);
    expect(problems).toEqual([]);
  });

  it('generates text with the tiny model in onnxruntime-web: streamed, and replayed by its seed', async () => {
    const { page, problems } = demo;
    // Streaming: the text grows while it runs, and Stop stops it.
    await page.selectOption('#gen-pace', '30');
    await page.click('#gen-run');
    await page.waitForFunction(
      () => (document.querySelector('#gen-output span:nth-child(2)')?.textContent ?? '').length >= 3,
      null,
      {
        timeout: 30_000,
      },
    );
    const early = (await page.textContent('#gen-output span:nth-child(2)'))!.length;
    await page.waitForFunction(
      (n) => (document.querySelector('#gen-output span:nth-child(2)')?.textContent ?? '').length > n,
      early,
    );
    await page.click('#gen-run'); // now "Stop"
    await page.waitForSelector('#gen-output[data-state="stopped"]');

    await setSliders(page, { temperature: 0.8 }, { temperature: 0.8 });
    await page.fill('#gen-seed', '7');
    await page.selectOption('#gen-length', '100');
    await page.selectOption('#gen-pace', '0');
    const texts: string[] = [];
    const tokens: number[][] = [];
    for (let i = 0; i < 2; i++) {
      await page.click('#gen-run');
      await page.waitForFunction(() => document.getElementById('gen-output')?.dataset.state === 'done');
      texts.push((await page.textContent('#gen-output'))!);
      tokens.push(JSON.parse((await page.getAttribute('#gen-output', 'data-tokens'))!));
      await page.waitForFunction(() => document.getElementById('gen-run')?.textContent === 'Generate');
      // Reset the state marker so the second run is waited for, not the first.
      await page.evaluate(() => delete document.getElementById('gen-output')!.dataset.state);
    }
    expect(tokens[0]).toHaveLength(100);
    expect(tokens[1]).toEqual(tokens[0]);
    expect(texts[1]).toBe(texts[0]);
    expect(await page.textContent('#gen-status')).toContain('Seed 7');
    // The Node decode loop (onnxruntime-node, the package's sampler, same seed) writes the same.
    const model = await loadTinyModel();
    const node = await generate({
      session: model.session,
      sampler: await lib.createSampler({ seed: 7 }),
      prompt: model.encode('A temperatura '),
      maxNewTokens: 100,
      params: { temperature: 0.8 },
    });
    expect(tokens[0]).toEqual(node.tokens);
    expect(texts[0]).toBe(`A temperatura ${model.decode(node.tokens)}`);
    await page.click('#params-reset');
    await waitRendered(page, { temperature: 1 });
    expect(problems).toEqual([]);
  });

  it('benchmarks the backends in the browser and says which one auto chose', async () => {
    const { page, problems } = demo;
    expect(await page.getAttribute('#bench-auto', 'data-backend')).toBe('wasm-simd');
    expect(await page.textContent('#bench-auto')).toContain('hasWasmSimd() is true');
    await page.uncheck('input[name="bench-v"][value="128256"]');
    await page.uncheck('input[name="bench-v"][value="256000"]');
    await page.selectOption('#bench-time', '150');
    await page.click('#bench-run');
    expect(await page.isVisible('#bench-progress')).toBe(true);
    await page.waitForSelector('#bench-status[data-state="done"]', { timeout: 30_000 });
    expect(await page.isVisible('#bench-progress')).toBe(false);
    const tps = await page.$$eval('#bench-table td', (tds) =>
      tds.map((td) => [(td as HTMLElement).dataset.backend, Number((td as HTMLElement).dataset.tps)]),
    );
    expect(tps.map(([b]) => b)).toEqual(['wasm-simd', 'wasm', 'js', 'naive JS']);
    for (const [, x] of tps) expect(x).toBeGreaterThan(0);
    expect(problems).toEqual([]);
  });

  it('switches to LM-like logits of size V and back', async () => {
    const { page, problems } = demo;
    await page.check('input[name="source"][value="lm"]');
    await page.selectOption('#lm-v', '32000');
    await page.waitForFunction(() => document.querySelector('#dist-table tbody tr[data-token="0"]') === null);
    const rows = await distributionRows(page);
    expect(rows).toHaveLength(30);
    const { makeLogits } = await import('../../bench/logits.mjs');
    const s = await lib.createSampler({ seed: 0 });
    const want = s.probs(makeLogits(32000, 'lm', 1), { temperature: 1 });
    for (const r of rows) expect(r.p).toBe(want[r.token]);
    expect(await page.textContent('#dist-summary')).toContain('of 32,000 tokens kept');
    await page.check('input[name="source"][value="notebook"]');
    await page.waitForFunction(() => document.querySelector('#dist-table tbody tr[data-token="0"]') !== null);
    expect(problems).toEqual([]);
  });

  it('is readable at phone width: no sideways scrolling', async () => {
    const phone = await openDemo(browser.context, origin, PHONE);
    try {
      const widths = await phone.page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        view: document.documentElement.clientWidth,
      }));
      expect(widths.scroll).toBeLessThanOrEqual(widths.view);
      await phone.page.screenshot({ path: join(ARTIFACTS, 'phone.png'), fullPage: true });
      expect(phone.problems).toEqual([]);
    } finally {
      await phone.page.close();
    }
  });

  it('keeps the whole page as an artifact, charts drawn', async () => {
    const { page, problems } = demo;
    // The sliders stick to the top of a wide window; in one tall picture they would float
    // in the middle, so the copy taken here has them in place.
    await page.addStyleTag({ content: '#controls { position: static !important; }' });
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await page.screenshot({ path: join(ARTIFACTS, 'desktop.png'), fullPage: true });
    for (const id of ['draw-chart', 'bench-chart']) {
      expect(await page.$eval(`#${id}`, (c) => (c as HTMLCanvasElement).height)).toBeGreaterThan(100);
    }
    expect(problems).toEqual([]);
  });

  it.runIf(process.env.DEMO_SCREENSHOT)('writes the README screenshot (DEMO_SCREENSHOT=1)', async () => {
    const { page, problems } = demo;
    await page.setViewportSize({ width: 1000, height: 1000 });
    await setSliders(page, { temperature: 0.7, 'top-p': 0.9 }, { temperature: 0.7, topP: 0.9 });
    await page.locator('#top-p').blur();
    // Chart.js follows a resize on the next frames.
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    await screenshotCharts(page, join(REPO, 'demo/screenshot.png'));
    expect(problems).toEqual([]);
  });
});
