// Number formatting and plain-text / markdown tables.

const group = (x) => Math.round(x).toLocaleString('en-US');

export function us(x) {
  if (x == null) return '—';
  if (x < 10) return x.toFixed(2);
  if (x < 100) return x.toFixed(1);
  return group(x);
}

export const perSecond = (x) => (x == null ? '—' : group(x));

export function ratio(x) {
  if (x == null || !Number.isFinite(x)) return '—';
  if (x < 10) return `${x.toFixed(2)}×`;
  if (x < 100) return `${x.toFixed(1)}×`;
  return `${group(x)}×`;
}

export const bytes = (x) => (x == null ? '—' : `${group(x)} B`);
export const ms = (x) => (x == null ? '—' : `${x.toFixed(1)} ms`);

/**
 * columns: [{ title, align: 'left'|'right' }]; rows: arrays of strings.
 * Plain text pads columns for the terminal; markdown emits a GFM table.
 */
export function table(columns, rows, { markdown = false } = {}) {
  if (markdown) {
    const line = (cells) => `| ${cells.join(' | ')} |`;
    const rule = columns.map((c) => (c.align === 'right' ? '---:' : '---'));
    return [line(columns.map((c) => c.title)), line(rule), ...rows.map(line)].join('\n');
  }
  const widths = columns.map((c, i) => Math.max(c.title.length, ...rows.map((r) => r[i].length)));
  const pad = (text, i) => (columns[i].align === 'right' ? text.padStart(widths[i]) : text.padEnd(widths[i]));
  const line = (cells) => cells.map(pad).join('  ').trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
