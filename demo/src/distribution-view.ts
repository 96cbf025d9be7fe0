// The distribution chart: for each shown token its probability after temperature and
// truncation (probs(), blue where kept), what truncation cut (orange: the token's tempered
// probability before the cut), and the untempered τ = 1 distribution as a grey ghost behind.
// The table under it holds the same numbers, for screen readers and for the test.
import { COLORS, chartOn, formatProb } from './charts.js';
import type { Source } from './source.js';
import { entropy, keptCount, top1, unmaskedCount } from './stats.js';

/** The three distributions over the whole vocabulary. */
export interface Distributions {
  /** probs(logits): τ = 1, nothing cut: the model's own distribution. */
  base: Float32Array;
  /** probs(logits, { temperature }): before truncation. */
  tempered: Float32Array;
  /** probs(logits, params): what sample() draws from. */
  final: Float32Array;
}

export class DistributionView {
  private readonly chart = chartOn('dist-chart', {
    type: 'bar',
    data: {
      labels: [] as string[],
      datasets: [
        {
          label: 'kept: probs() after temperature and truncation',
          data: [] as number[],
          backgroundColor: COLORS.kept,
          grouped: false,
          barPercentage: 0.55,
          order: 1,
        },
        {
          label: 'cut by top-k / top-p / min-p (tempered p before the cut)',
          data: [] as number[],
          backgroundColor: COLORS.cut,
          grouped: false,
          barPercentage: 0.55,
          order: 2,
        },
        {
          label: 'τ = 1, the model’s own distribution (ghost)',
          data: [] as number[],
          backgroundColor: COLORS.ghost,
          borderColor: COLORS.ghostBorder,
          borderWidth: 1,
          grouped: false,
          barPercentage: 0.95,
          order: 3,
        },
      ],
    },
    options: {
      scales: {
        y: { beginAtZero: true, grace: '4%', title: { display: true, text: 'probability' } },
        x: { ticks: { autoSkip: false, maxRotation: 60, minRotation: 0 } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        tooltip: { callbacks: { label: (c) => `${c.dataset.label?.split(':')[0]}: ${formatProb(c.parsed.y ?? 0)}` } },
      },
    },
  });
  private readonly body = document.querySelector('#dist-table tbody')!;
  private readonly summary = document.getElementById('dist-summary')!;
  private readonly canvas = document.getElementById('dist-chart')!;

  update(source: Source, d: Distributions, temperature: number): void {
    const ids = source.shown;
    const kept = ids.map((i) => d.final[i]! > 0);
    this.chart.data.labels = ids.map((i) => source.label(i));
    this.chart.data.datasets[0]!.data = ids.map((i) => d.final[i]!);
    this.chart.data.datasets[1]!.data = ids.map((i, j) => (kept[j] ? 0 : d.tempered[i]!));
    this.chart.data.datasets[2]!.data = ids.map((i) => d.base[i]!);
    this.chart.update();

    const rows = ids.map((i, j) => {
      const tr = document.createElement('tr');
      tr.dataset.token = String(i);
      tr.dataset.kept = String(kept[j]);
      if (kept[j]) tr.className = 'kept';
      const cells = [
        source.label(i),
        String(source.logits[i]),
        formatProb(d.base[i]!),
        formatProb(d.tempered[i]!),
        formatProb(d.final[i]!),
        kept[j] ? 'kept' : 'cut',
      ];
      for (const c of cells) tr.append(Object.assign(document.createElement('td'), { textContent: c }));
      // The exact float32 value probs() returned (a double holds it exactly), for the test.
      (tr.children[4] as HTMLElement).dataset.p = String(d.final[i]);
      return tr;
    });
    const V = source.logits.length;
    if (ids.length < V) {
      let rest = 0;
      let restBase = 0;
      const shown = new Set(ids);
      for (let i = 0; i < V; i++) {
        if (shown.has(i)) continue;
        rest += d.final[i]!;
        restBase += d.base[i]!;
      }
      const tr = document.createElement('tr');
      tr.className = 'rest';
      for (const c of [
        `the other ${(V - ids.length).toLocaleString('en-US')}`,
        '',
        formatProb(restBase),
        '',
        formatProb(rest),
        '',
      ])
        tr.append(Object.assign(document.createElement('td'), { textContent: c }));
      rows.push(tr);
    }
    this.body.replaceChildren(...rows);

    const k = keptCount(d.final);
    const H = entropy(d.final);
    const Vu = unmaskedCount(source.logits);
    const text =
      `τ = ${temperature === 0 ? '0 (greedy)' : temperature.toFixed(2)}: ${k.toLocaleString('en-US')} of ` +
      `${Vu.toLocaleString('en-US')} tokens kept · entropy ${H.toFixed(3)} nats (ln V = ${Math.log(Vu).toFixed(3)}) · ` +
      `top-1 probability ${top1(d.final).toFixed(4)}`;
    this.summary.textContent = text;
    this.canvas.setAttribute('aria-label', `Bar chart of the sampling distribution over ${source.name}. ${text}`);
  }
}
