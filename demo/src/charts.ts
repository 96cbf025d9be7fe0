// Chart.js, registered once with only the parts the page uses (tree-shaken), and the colours
// every chart shares. Animation is off: the charts follow a slider, and a chart that is still
// easing toward the last value would show a number probs() did not return.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  type ChartType,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  LogarithmicScale,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LogarithmicScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);
Chart.defaults.animation = false;
Chart.defaults.maintainAspectRatio = false;
Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, "Open Sans", sans-serif';
Chart.defaults.color = '#334';
// A dataset switched off (the truncated curves while nothing truncates) leaves the legend too.
Chart.defaults.plugins.legend.labels.filter = (item) => !item.hidden;

/** The page's palette (the CSS uses the same values). */
export const COLORS = {
  kept: '#2563eb',
  cut: 'rgba(234, 88, 12, 0.45)',
  ghost: 'rgba(100, 116, 139, 0.22)',
  ghostBorder: 'rgba(71, 85, 105, 0.7)',
  observed: '#f59e0b',
  marker: '#dc2626',
  reference: '#64748b',
  series: ['#2563eb', '#0891b2', '#7c3aed', '#94a3b8'],
} as const;

/** Creates a chart on the canvas with the given id. */
export function chartOn<T extends ChartType>(canvasId: string, config: ChartConfiguration<T>): Chart<T> {
  const canvas = document.getElementById(canvasId);
  if (!(canvas instanceof HTMLCanvasElement)) throw new Error(`no <canvas id="${canvasId}"> on the page`);
  return new Chart(canvas, config);
}

/** The number the tooltips and tables show for a probability. */
export function formatProb(p: number): string {
  if (p === 0) return '0';
  if (p < 1e-4) return p.toExponential(1);
  return p.toFixed(4);
}
