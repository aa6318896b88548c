/**
 * Plots as inline SVG, drawn by ECharts' server-side renderer (no DOM, no canvas, no network), with
 * system fonts only. Every value plotted is a stored number the report's data also holds. Charts that
 * share their series (the ablation curves) leave the legend to one HTML legend above them.
 */
import * as echarts from 'echarts';
import { esc } from './html.js';

/** Arial metrics (Liberation Sans is metric-compatible): ECharts' server-side renderer lays text out with Arial-like widths. */
export const reportFont = 'Liberation Sans, Arial, Helvetica, sans-serif';

/** Colour-blind-safe (Okabe–Ito) first. */
export const palette = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#8B4513', '#7f7f7f'];

interface Size {
  width: number;
  height: number;
}

function render(option: echarts.EChartsCoreOption, size: Size): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ animation: false, color: palette, textStyle: { fontFamily: reportFont, fontSize: 11 }, ...option });
    return chart.renderToSVGString();
  } finally {
    chart.dispose();
  }
}

const percentLabel = (v: number) => `${Math.round(v * 100)}%`;

function title(text: string | undefined) {
  return text ? { text, left: 'center', top: 0, textStyle: { fontSize: 11, fontWeight: 'bold' } } : undefined;
}

/** Axes at the plot's edges (not through zero), named in the middle. */
function axis(name: string, gap: number, extra: Record<string, unknown> = {}) {
  return {
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: gap,
    nameTextStyle: { fontSize: 10 },
    axisLine: { show: true, onZero: false },
    axisTick: { show: true },
    ...extra,
  };
}

function legend(names: string[]) {
  return { show: names.length > 1, bottom: 0, itemWidth: 14, itemHeight: 8, itemGap: 12, textStyle: { fontSize: 10 }, data: names };
}

/** An HTML legend for a group of charts: coloured line samples and labels. */
export function legendHtml(items: { label: string; color: string; dashed?: boolean; dotted?: boolean }[]): string {
  const sample = (i: (typeof items)[number]) =>
    `<svg width="22" height="8" viewBox="0 0 22 8"><line x1="1" y1="4" x2="21" y2="4" stroke="${esc(i.color)}" stroke-width="2"${i.dashed ? ' stroke-dasharray="4 2"' : i.dotted ? ' stroke-dasharray="1 2"' : ''}/></svg>`;
  return `<div class="legend">${items.map((i) => `<span>${sample(i)}${esc(i.label)}</span>`).join('')}</div>`;
}

/** [lo, hi] widened to multiples of a round step (0.05 under a 0.3 span, else 0.1). */
function niceRange(lo: number, hi: number): [number, number] {
  const step = hi - lo <= 0.3 ? 0.05 : 0.1;
  const a = Math.floor(lo / step + 1e-9) * step;
  const b = Math.ceil(hi / step - 1e-9) * step;
  return [Number(a.toFixed(4)), Number(Math.max(b, a + step).toFixed(4))];
}

export interface BarSeries {
  name: string;
  values: number[];
}

export function barChart(
  options: { categories: string[]; series: BarSeries[]; yName: string; yMin?: number; yMax?: number; title?: string; percent?: boolean } & Size,
): string {
  const names = options.series.map((s) => s.name);
  const rotate = options.categories.length > 8 ? 35 : 0;
  return render(
    {
      title: title(options.title),
      grid: { left: 56, right: 12, top: options.title ? 34 : 12, bottom: (names.length > 1 ? 30 : 8) + (rotate ? 46 : 22) },
      legend: legend(names),
      xAxis: { type: 'category', data: options.categories, axisLabel: { fontSize: 10, interval: 0, rotate } },
      yAxis: axis(options.yName, 40, { min: options.yMin, max: options.yMax, axisLabel: { fontSize: 10, formatter: options.percent ? percentLabel : undefined } }),
      series: options.series.map((s) => ({ type: 'bar', name: s.name, data: s.values, barMaxWidth: 28 })),
    },
    options,
  );
}

export interface LineSeries {
  name: string;
  values: number[];
  color: string;
  dashed?: boolean;
  /** Drawn thicker: the series the report is about. */
  emphasis?: boolean;
}

/** Accuracy curves over the share of filters removed, with an optional band drawn as mean and mean ± sd lines; no legend. */
export function lineChart(
  options: { x: number[]; series: LineSeries[]; band?: { mean: number[]; sd: number[]; color: string }; xName: string; yName: string; title?: string } & Size,
): string {
  const pairs = (values: number[]) => values.map((v, i) => [options.x[i], v]);
  const band = options.band;
  const bandSeries = band
    ? [
        { type: 'line', data: pairs(band.mean), symbol: 'none', lineStyle: { width: 1.5, color: band.color }, z: 1 },
        ...[-1, 1].map((sign) => ({
          type: 'line',
          data: pairs(band.mean.map((m, i) => m + sign * band.sd[i])),
          symbol: 'none',
          lineStyle: { width: 1, type: 'dotted', color: band.color },
          z: 1,
        })),
      ]
    : [];
  return render(
    {
      title: title(options.title),
      grid: { left: 50, right: 16, top: options.title ? 34 : 10, bottom: 38 },
      xAxis: axis(options.xName, 22, { min: 0, max: 1, interval: 0.2, axisLabel: { fontSize: 9, formatter: percentLabel } }),
      yAxis: axis(options.yName, 36, { min: 0, max: 1, axisLabel: { fontSize: 9, formatter: percentLabel } }),
      series: [
        ...bandSeries,
        ...options.series.map((s) => ({
          type: 'line',
          data: pairs(s.values),
          symbol: 'circle',
          symbolSize: 3,
          lineStyle: { width: s.emphasis ? 2.5 : 1.3, type: s.dashed ? 'dashed' : 'solid', color: s.color },
          itemStyle: { color: s.color },
          z: s.emphasis ? 3 : 2,
        })),
      ],
    },
    options,
  );
}

export interface ScatterSeries {
  name: string;
  points: [number, number][];
}

/**
 * Points; with `diagonal` (for predicted vs true) both axes share one range and y = x is drawn,
 * with `connect` each series' points are joined in order (a profile over depth).
 */
export function scatterChart(
  options: { series: ScatterSeries[]; xName: string; yName: string; title?: string; percentAxes?: boolean; diagonal?: boolean; connect?: boolean } & Size,
): string {
  const diagonal = options.diagonal ?? true;
  const all = options.series.flatMap((s) => s.points.flat());
  const [lo, hi] = niceRange(Math.min(0, ...all), Math.max(0, ...all));
  const names = options.series.map((s) => s.name);
  const labels = { fontSize: 9, formatter: options.percentAxes ? percentLabel : undefined };
  const range = diagonal ? { min: lo, max: hi } : {};
  return render(
    {
      title: title(options.title),
      grid: { left: 56, right: 16, top: options.title ? 34 : 10, bottom: names.length > 1 ? 62 : 40 },
      legend: legend(names),
      xAxis: axis(options.xName, 24, { ...range, axisLabel: labels, scale: !diagonal }),
      yAxis: axis(options.yName, 42, { ...range, axisLabel: labels, scale: !diagonal }),
      series: [
        ...options.series.map((s) =>
          options.connect
            ? { type: 'line', name: s.name, data: s.points, symbol: 'circle', symbolSize: 5, lineStyle: { width: 1.5 } }
            : { type: 'scatter', name: s.name, data: s.points, symbolSize: 6, itemStyle: { opacity: 0.7 } },
        ),
        ...(diagonal
          ? [{ type: 'line', data: [[lo, lo], [hi, hi]], symbol: 'none', silent: true, lineStyle: { color: '#888888', type: 'dashed', width: 1 } }]
          : []),
      ],
    },
    options,
  );
}
