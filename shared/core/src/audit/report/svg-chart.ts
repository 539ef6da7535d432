import { escapeHtml } from './escape.js';

export interface Bar {
  label: string;
  value: number;
}

export interface StackedBar {
  label: string;
  /** Each segment's label is its key in the legend. */
  segments: Bar[];
}

export interface ChartOptions {
  /** Unique within the page: the ids of <title> and <desc> derive from it. */
  id: string;
  title: string;
  description: string;
  unit?: string;
  /** Fixed colours for known keys (green for approved, red for denied, ...); others take the palette. */
  colours?: Readonly<Record<string, string>>;
}

// Dark enough on white for text and bar edges (WCAG AA, 4.5:1 or more), and
// told apart by lightness as well as hue; every value is also printed as text.
export const chartPalette = ['#1d4f91', '#b34700', '#2b6e2f', '#7b2d8e', '#a3192a', '#4a5a63', '#006d77', '#6b4a2f'] as const;
const TEXT = '#1a1a1a';
const GRID = '#767676';

const LABEL_WIDTH = 200;
const BAR_WIDTH = 360;
const VALUE_WIDTH = 70;
const ROW = 26;
const TOP = 8;
const WIDTH = LABEL_WIDTH + BAR_WIDTH + VALUE_WIDTH;
const MAX_LABEL = 26;
const LEGEND_COLUMN = 152;

const clip = (label: string): string => (label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label);
const colour = (index: number): string => chartPalette[index % chartPalette.length] ?? TEXT;
const fmt = (value: number, unit?: string): string => `${Number.isInteger(value) ? value : value.toFixed(1)}${unit === undefined ? '' : ` ${unit}`}`;

const frame = (options: ChartOptions, height: number, body: string): string => {
  const id = escapeHtml(options.id);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" class="chart" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ` +
    `aria-labelledby="${id}-title ${id}-desc" font-family="system-ui, sans-serif" font-size="13">` +
    `<title id="${id}-title">${escapeHtml(options.title)}</title><desc id="${id}-desc">${escapeHtml(options.description)}</desc>` +
    `${body}</svg>`
  );
};

const empty = (options: ChartOptions): string =>
  frame(options, 40, `<text x="0" y="24" fill="${TEXT}">No data in this period.</text>`);

const rowLabel = (label: string, y: number): string =>
  `<text x="${LABEL_WIDTH - 8}" y="${y + ROW / 2 + 4}" text-anchor="end" fill="${TEXT}">${escapeHtml(clip(label))}</text>`;

/** Horizontal bars, one per entry, each with its value printed at its end. */
export function barChart(bars: readonly Bar[], options: ChartOptions): string {
  if (bars.length === 0) return empty(options);
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const rows = bars.map((bar, index) => {
    const y = TOP + index * ROW;
    const width = Math.round((bar.value / max) * BAR_WIDTH);
    return (
      `<g><title>${escapeHtml(`${bar.label}: ${fmt(bar.value, options.unit)}`)}</title>` +
      rowLabel(bar.label, y) +
      `<rect x="${LABEL_WIDTH}" y="${y + 4}" width="${width}" height="${ROW - 8}" fill="${options.colours?.[bar.label] ?? colour(0)}"/>` +
      `<text x="${LABEL_WIDTH + width + 6}" y="${y + ROW / 2 + 4}" fill="${TEXT}">${escapeHtml(fmt(bar.value, options.unit))}</text></g>`
    );
  });
  const height = TOP * 2 + bars.length * ROW;
  const axis = `<line x1="${LABEL_WIDTH}" y1="${TOP}" x2="${LABEL_WIDTH}" y2="${height - TOP}" stroke="${GRID}"/>`;
  return frame(options, height, axis + rows.join(''));
}

/** Horizontal stacked bars with a legend; `keys` fixes the segment order and colours across rows. */
export function stackedBarChart(rows: readonly StackedBar[], keys: readonly string[], options: ChartOptions): string {
  const total = (row: StackedBar): number => row.segments.reduce((sum, segment) => sum + segment.value, 0);
  if (rows.length === 0 || rows.every((row) => total(row) === 0)) return empty(options);
  const max = Math.max(1, ...rows.map(total));
  const fill = (key: string): string => options.colours?.[key] ?? colour(keys.indexOf(key));
  const bars = rows.map((row, index) => {
    const y = TOP + index * ROW;
    let x = LABEL_WIDTH;
    const segments = keys.map((key) => {
      const value = row.segments.find((segment) => segment.label === key)?.value ?? 0;
      if (value === 0) return '';
      const width = (value / max) * BAR_WIDTH;
      const rect =
        `<rect x="${x.toFixed(1)}" y="${y + 4}" width="${width.toFixed(1)}" height="${ROW - 8}" fill="${fill(key)}" stroke="#ffffff" stroke-width="1">` +
        `<title>${escapeHtml(`${row.label}, ${key}: ${fmt(value, options.unit)}`)}</title></rect>`;
      x += width;
      return rect;
    });
    return `<g>${rowLabel(row.label, y)}${segments.join('')}<text x="${(x + 6).toFixed(1)}" y="${y + ROW / 2 + 4}" fill="${TEXT}">${escapeHtml(fmt(total(row), options.unit))}</text></g>`;
  });
  const legendTop = TOP + rows.length * ROW + 8;
  const perLine = 4;
  const legend = keys.map((key, index) => {
    const x = 8 + (index % perLine) * LEGEND_COLUMN;
    const y = legendTop + Math.floor(index / perLine) * 20;
    return `<g><rect x="${x}" y="${y}" width="12" height="12" fill="${fill(key)}"/><text x="${x + 16}" y="${y + 11}" fill="${TEXT}">${escapeHtml(clip(key))}</text></g>`;
  });
  const height = legendTop + Math.ceil(keys.length / perLine) * 20 + TOP;
  // The legend is read as a list; the aria text of the whole chart is the <desc>.
  return frame(options, height, `${bars.join('')}<g aria-hidden="true">${legend.join('')}</g>`);
}

/** A chart's <desc>: its data as one sentence, which is what a screen reader announces for the image. */
export const describeBars = (bars: readonly Bar[], unit?: string): string =>
  bars.length === 0 ? 'No data.' : bars.map((bar) => `${bar.label}: ${fmt(bar.value, unit)}`).join('; ');
