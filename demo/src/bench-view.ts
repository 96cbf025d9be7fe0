// "Benchmark in this browser": tokens per second of each backend and of a naive JS sampler at
// V = 32k / 128k / 256k, a progress bar while it runs, a bar chart and a table after; and which
// backend createSampler() picks on its own here, and why.
import { createSampler, hasWasmSimd, type SamplingParams } from 'logit-sampler';
import { makeLogits } from '../../bench/logits.mjs';
import { CONTENDERS, contender, tokensPerSecond } from './bench-run.js';
import { COLORS, chartOn } from './charts.js';

const PRESETS: Record<string, SamplingParams> = {
  chat: { temperature: 0.8, topP: 0.95 },
  plain: { temperature: 0.8 },
};

/** 32000 → "32k", 128256 → "128k": the sizes of bench/workloads.mjs, by their usual names. */
const kilo = (V: number) => `${Math.round(V / 1000)}k`;

export class BenchView {
  private readonly chart = chartOn('bench-chart', {
    type: 'bar',
    data: {
      labels: [] as string[],
      datasets: CONTENDERS.map((name, i) => ({
        label: name,
        data: [] as number[],
        backgroundColor: COLORS.series[i],
      })),
    },
    options: {
      scales: { y: { beginAtZero: true, title: { display: true, text: 'tokens per second' } } },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 14 } } },
    },
  });
  private readonly button = document.getElementById('bench-run') as HTMLButtonElement;
  private readonly progress = document.getElementById('bench-progress') as HTMLProgressElement;
  private readonly status = document.getElementById('bench-status')!;
  private readonly body = document.querySelector('#bench-table tbody')!;

  constructor(private readonly sliders: () => SamplingParams) {
    this.button.addEventListener('click', () => void this.run());
  }

  /** Says which backend 'auto' picks in this browser, and why. */
  async explainAuto(): Promise<void> {
    const auto = await createSampler({ seed: 0 });
    const simd = hasWasmSimd();
    const why =
      auto.backend === 'wasm-simd'
        ? 'this browser validates WebAssembly SIMD (hasWasmSimd() is true), so auto takes the SIMD build, its first choice'
        : auto.backend === 'wasm'
          ? simd
            ? 'the SIMD build failed to load here, so auto fell back to the scalar WebAssembly build'
            : 'this browser has WebAssembly but not its SIMD instructions (hasWasmSimd() is false), so auto takes the scalar build'
          : 'this browser would not compile WebAssembly (missing, or forbidden by a Content-Security-Policy), so auto falls back to the pure-JS backend';
    const el = document.getElementById('bench-auto')!;
    el.textContent = `createSampler() chose ${auto.backend} in this browser: ${why}.`;
    el.dataset.backend = auto.backend;
    auto.dispose();
  }

  private async run(): Promise<void> {
    const sizes = [...document.querySelectorAll<HTMLInputElement>('input[name="bench-v"]:checked')].map((c) =>
      Number(c.value),
    );
    if (sizes.length === 0) {
      this.status.textContent = 'Pick at least one vocabulary size.';
      return;
    }
    const preset = (document.getElementById('bench-params') as HTMLSelectElement).value;
    const params = PRESETS[preset] ?? this.sliders();
    const budget = Number((document.getElementById('bench-time') as HTMLSelectElement).value);
    this.button.disabled = true;
    this.progress.hidden = false;
    this.progress.max = sizes.length * CONTENDERS.length;
    this.progress.value = 0;
    this.status.dataset.state = 'running';
    const results: Record<string, (number | undefined)[]> = {};
    for (const c of CONTENDERS) results[c] = [];
    const runners = await Promise.all(CONTENDERS.map(contender));
    try {
      for (const [j, V] of sizes.entries()) {
        const logits = makeLogits(V, 'lm', 1);
        for (const [i, name] of CONTENDERS.entries()) {
          this.status.textContent = `Measuring ${name} at V = ${kilo(V)} (${j * CONTENDERS.length + i + 1} of ${this.progress.max})…`;
          const r = runners[i];
          results[name]![j] = r ? await tokensPerSecond(r.sample, logits, params, budget) : undefined;
          this.progress.value++;
        }
      }
    } finally {
      for (const r of runners) r?.dispose();
      this.button.disabled = false;
      this.progress.hidden = true;
    }
    document.getElementById('bench-figure')!.hidden = false;
    this.chart.data.labels = sizes.map((V) => `V = ${kilo(V)}`);
    for (const [i, name] of CONTENDERS.entries()) this.chart.data.datasets[i]!.data = results[name]!.map((x) => x ?? 0);
    this.chart.update();
    this.body.replaceChildren(
      ...sizes.map((V, j) => {
        const tr = document.createElement('tr');
        tr.append(Object.assign(document.createElement('th'), { scope: 'row', textContent: `V = ${kilo(V)}` }));
        for (const name of CONTENDERS) {
          const x = results[name]![j];
          const td = Object.assign(document.createElement('td'), {
            textContent: x === undefined ? 'not available' : Math.round(x).toLocaleString('en-US'),
          });
          td.dataset.backend = name;
          td.dataset.tps = String(x ?? '');
          tr.append(td);
        }
        return tr;
      }),
    );
    const shown = Object.entries(params)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ');
    this.status.textContent = `Done: sample() calls per second with ${shown}, ${budget} ms of sampling per bar.`;
    this.status.dataset.state = 'done';
  }
}
