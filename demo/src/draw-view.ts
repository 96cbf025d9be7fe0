// "Draw N": N tokens from sample() with the sliders' settings and a shown seed, their observed
// frequencies beside probs(), and Pearson's chi-square test of the counts against probs().
import type { Sampler, SamplingParams } from 'logit-sampler';
import { COLORS, chartOn, formatProb } from './charts.js';
import { chiSquareFit } from './chi-square.js';
import type { Source } from './source.js';

/** Draws per slice of work between two frames, so the page stays responsive. */
const SLICE_MS = 30;

export class DrawView {
  private readonly chart = chartOn('draw-chart', {
    type: 'bar',
    data: {
      labels: [] as string[],
      datasets: [
        { label: 'probability: probs()', data: [] as number[], backgroundColor: COLORS.kept },
        { label: 'observed frequency', data: [] as number[], backgroundColor: COLORS.observed },
      ],
    },
    options: {
      scales: {
        y: { beginAtZero: true, title: { display: true, text: 'probability / frequency' } },
        x: { ticks: { autoSkip: false, maxRotation: 60 } },
      },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 14 } } },
    },
  });
  private readonly n = document.getElementById('draw-n') as HTMLSelectElement;
  private readonly seed = document.getElementById('draw-seed') as HTMLInputElement;
  private readonly button = document.getElementById('draw-run') as HTMLButtonElement;
  private readonly result = document.getElementById('draw-result')!;
  private readonly body = document.querySelector('#draw-table tbody')!;
  private running = false;

  constructor(
    private readonly sampler: Sampler,
    private readonly state: () => { source: Source; params: SamplingParams; final: Float32Array },
  ) {
    this.button.addEventListener('click', () => void this.run());
  }

  /** 100,000 draws from a vocabulary of tens of thousands take a minute: offered up to V = 1000. */
  setVocabularySize(V: number): void {
    const big = this.n.querySelector<HTMLOptionElement>('option[value="100000"]')!;
    big.disabled = V > 1000;
    if (big.disabled && big.selected) this.n.value = '10000';
  }

  /** The last result no longer matches the sliders: say so rather than show stale numbers. */
  invalidate(): void {
    if (this.running || this.body.childElementCount === 0 || this.result.dataset.stale) return;
    this.result.dataset.stale = 'true';
    this.result.classList.add('stale');
    this.result.textContent += ' The sliders have moved since: draw again to test the new distribution.';
  }

  private async run(): Promise<void> {
    if (this.running) return;
    const seed = Number(this.seed.value);
    if (!Number.isSafeInteger(seed) || seed < 0) {
      this.result.textContent = `The seed must be an integer ≥ 0, got “${this.seed.value}”.`;
      return;
    }
    this.running = true;
    this.button.disabled = true;
    const { source, params, final } = this.state();
    const N = Number(this.n.value);
    const V = source.logits.length;
    const counts = new Float64Array(V);
    this.sampler.reseed(seed);
    try {
      let done = 0;
      while (done < N) {
        const t0 = performance.now();
        while (done < N && performance.now() - t0 < SLICE_MS) {
          counts[this.sampler.sample(source.logits, params)]!++;
          done++;
        }
        this.result.textContent = `Drawing… ${Math.round((100 * done) / N)}%`;
        await new Promise((r) => setTimeout(r, 0));
      }
    } finally {
      this.running = false;
      this.button.disabled = false;
    }
    const fit = chiSquareFit(counts, final);
    document.getElementById('draw-figure')!.hidden = false;
    const ids = source.shown;
    this.chart.data.labels = ids.map((i) => source.label(i));
    this.chart.data.datasets[0]!.data = ids.map((i) => final[i]!);
    this.chart.data.datasets[1]!.data = ids.map((i) => counts[i]! / N);
    this.chart.update();
    this.body.replaceChildren(
      ...ids.map((i) => {
        const tr = document.createElement('tr');
        tr.dataset.token = String(i);
        tr.dataset.count = String(counts[i]);
        for (const c of [source.label(i), formatProb(final[i]!), String(counts[i]), formatProb(counts[i]! / N)])
          tr.append(Object.assign(document.createElement('td'), { textContent: c }));
        return tr;
      }),
    );
    const pooled = fit.pooled ? `; ${fit.pooled.toLocaleString('en-US')} tokens expected < 5 times each, pooled` : '';
    const test = Number.isNaN(fit.p)
      ? 'only one token can be drawn with these settings, so there is nothing random to test'
      : `χ² = ${fit.chi2.toFixed(2)}, df = ${fit.df} (${fit.cells} cells${pooled}), ` +
        `p-value = ${fit.p < 1e-4 ? fit.p.toExponential(2) : fit.p.toFixed(4)}`;
    this.result.textContent =
      `${N.toLocaleString('en-US')} draws with seed ${seed}, ${describe(params)}: ${test}` +
      `${fit.impossible ? ` — ${fit.impossible} draws of tokens with probability 0!` : ''}.`;
    this.result.dataset.p = String(fit.p);
    this.result.dataset.n = String(N);
    this.result.dataset.seed = String(seed);
    delete this.result.dataset.stale;
    this.result.classList.remove('stale');
  }
}

function describe(params: SamplingParams): string {
  return Object.entries(params)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
