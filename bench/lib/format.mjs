// @ts-check
// Number formatting and plain-text / markdown tables.

/** @param {number} x */
const group = (x) => Math.round(x).toLocaleString('en-US');

/** @param {number | null | undefined} x */
export function us(x) {
  if (x == null) return '—';
  if (x < 10) return x.toFixed(2);
  if (x < 100) return x.toFixed(1);
  return group(x);
}

/** @param {number | null | undefined} x */
export const perSecond = (x) => (x == null ? '—' : group(x));

/** @param {number | null | undefined} x */
export function ratio(x) {
  if (x == null || !Number.isFinite(x)) return '—';
  if (x < 10) return `${x.toFixed(2)}×`;
  if (x < 100) return `${x.toFixed(1)}×`;
  return `${group(x)}×`;
}

/** @param {number | null | undefined} x */
export const bytes = (x) => (x == null ? '—' : `${group(x)} B`);
/** @param {number | null | undefined} x */
export const mib = (x) => (x == null ? '—' : `${(x / 2 ** 20).toFixed(2)} MiB`);
/** @param {number | null | undefined} x */
export const ms = (x) => (x == null ? '—' : `${x.toFixed(1)} ms`);
/** @param {number} n */
export const count = (n) => n.toLocaleString('en-US');

/** Three significant digits, grouped when large. @param {number | null | undefined} x */
export function sig(x) {
  if (x == null || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 1000) return group(x);
  if (x === 0) return '0';
  return Number(x.toPrecision(3)).toString();
}

/** A fraction as a percentage, three significant digits. @param {number} x */
export const percent = (x) => `${sig(100 * x)}%`;

/**
 * @typedef {{title: string, align: 'left' | 'right'}} Column
 */

/**
 * Plain text pads columns for the terminal; markdown emits a GFM table.
 * @param {Column[]} columns
 * @param {string[][]} rows
 * @param {{markdown?: boolean}} [options]
 */
export function table(columns, rows, { markdown = false } = {}) {
  if (markdown) {
    /** @param {string[]} cells */
    const line = (cells) => `| ${cells.join(' | ')} |`;
    const rule = columns.map((c) => (c.align === 'right' ? '---:' : '---'));
    return [line(columns.map((c) => c.title)), line(rule), ...rows.map(line)].join('\n');
  }
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => (r[i] ?? '').length)));
  /** @param {string} text @param {number} i */
  const pad = (text, i) =>
    columns[i]?.align === 'right' ? text.padStart(widths[i] ?? 0) : text.padEnd(widths[i] ?? 0);
  /** @param {string[]} cells */
  const line = (cells) => cells.map(pad).join('  ').trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
