// The two curves over T: entropy (with ln V, the uniform distribution's entropy, dashed) and
// the top-1 probability (with 1/V dashed), for temperature alone and, when top-k/top-p/min-p
// are on, with them; a red vertical line marks the sliders' T.
import type { Chart } from 'chart.js';
import { COLORS, chartOn } from './charts.js';
import { type Curve, T_GRID } from './curves.js';

type Point = { x: number; y: number };
const points = (ys: readonly number[]): Point[] => ys.map((y, i) => ({ x: T_GRID[i]!, y }));
const T_MIN = 0;
const T_MAX = 5;

function curveChart(id: string, yTitle: string, referenceLabel: string) {
  return chartOn(id, {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'temperature only',
          data: [] as Point[],
          borderColor: COLORS.series[0],
          pointRadius: 0,
          borderWidth: 2,
        },
        {
          label: 'with top-k / top-p / min-p',
          data: [] as Point[],
          borderColor: COLORS.series[1],
          borderDash: [6, 3],
          pointRadius: 0,
          borderWidth: 2,
          hidden: true,
        },
        {
          label: referenceLabel,
          data: [] as Point[],
          borderColor: COLORS.reference,
          borderDash: [2, 4],
          pointRadius: 0,
          borderWidth: 1.5,
        },
        { label: 'current τ', data: [] as Point[], borderColor: COLORS.marker, pointRadius: 0, borderWidth: 2 },
      ],
    },
    options: {
      parsing: false,
      scales: {
        x: { type: 'linear', min: T_MIN, max: T_MAX, title: { display: true, text: 'temperature τ' } },
        y: { beginAtZero: true, title: { display: true, text: yTitle } },
      },
      plugins: {
        legend: { position: 'bottom', labels: { boxWidth: 14 } },
        tooltip: { intersect: false, mode: 'nearest' },
      },
    },
  });
}

export class CurvesView {
  private readonly H = curveChart('entropy-chart', 'entropy (nats)', 'ln V (uniform)');
  private readonly top = curveChart('top1-chart', 'top-1 probability', '1/V (uniform)');
  private yMaxH = 1;

  /** New logits: the temperature-only curves and the reference lines. */
  setBase(curve: Curve, V: number): void {
    const lnV = Math.log(V);
    this.yMaxH = lnV * 1.05;
    this.H.data.datasets[0]!.data = points(curve.entropy);
    this.H.data.datasets[2]!.data = [
      { x: T_MIN, y: lnV },
      { x: T_MAX, y: lnV },
    ];
    this.H.options.scales!.y!.max = this.yMaxH;
    this.top.data.datasets[0]!.data = points(curve.top1);
    this.top.data.datasets[2]!.data = [
      { x: T_MIN, y: 1 / V },
      { x: T_MAX, y: 1 / V },
    ];
    this.top.options.scales!.y!.max = 1;
  }

  /** The curves with truncation (undefined: none is on). */
  setTruncated(curve: Curve | undefined): void {
    for (const [chart, ys] of [
      [this.H, curve?.entropy],
      [this.top, curve?.top1],
    ] as const) {
      chart.data.datasets[1]!.data = ys ? points(ys) : [];
      chart.data.datasets[1]!.hidden = !ys;
    }
  }

  /** Moves the current-τ marker and redraws. */
  mark(temperature: number): void {
    const line = (chart: Chart<'line'>, top: number) => {
      chart.data.datasets[3]!.data = [
        { x: temperature, y: 0 },
        { x: temperature, y: top },
      ];
      chart.update();
    };
    line(this.H, this.yMaxH);
    line(this.top, 1);
  }
}
