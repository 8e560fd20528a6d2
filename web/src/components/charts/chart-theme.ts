// Shared look of the dashboard's charts. Colours are the stylesheet's (--chart-* custom
// properties), so a canvas bar and its legend swatch cannot drift apart.
import uPlot from "uplot";

export const CHART_HEIGHT = 170;

/** A colour defined in styles.css (`--chart-<name>`). */
export function chartColor(name: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(`--chart-${name}`).trim();
  return value || "#2453d6";
}

/** The orders-over-time bars (the tests read them back from the canvas by these colours). */
export const ORDER_BARS = { fill: "#c9d7fb", stroke: "#2453d6" } as const;

/** uPlot's spacing between the plot and the tick labels, and between two lines of a label (× font size). */
const LABEL_GAP_PX = 5;
const LINE_GAP = 1.5;
const FONT_PX = 12;

export const axis = (extra: uPlot.Axis = {}): uPlot.Axis => ({
  font: `${FONT_PX}px system-ui, sans-serif`,
  gap: LABEL_GAP_PX,
  lineGap: LINE_GAP,
  stroke: "#5b6470",
  grid: { stroke: "#eceef1", width: 1 },
  ticks: { show: false },
  ...extra,
});

/**
 * The time axis under a chart. uPlot writes the date on a second line under a day's (or year's) first
 * tick ("12am" over "12/2"), so the axis has room for two lines of labels (and 3 px for descenders); and ticks are at least
 * 72 px apart, so that labels as wide as "12:50am" never run together on a narrow card.
 */
export const timeAxis = (): uPlot.Axis => axis({ size: LABEL_GAP_PX + 2 * FONT_PX * LINE_GAP + 3, space: 72 });

/**
 * The x range of bars, one per time bucket (evenly spaced x): half a bucket beyond the first and the
 * last, so both are drawn whole (the last one is the bucket under way, the one an operator watches).
 */
export function wholeBuckets(u: uPlot, min: number, max: number): uPlot.Range.MinMax {
  const xs = u.data[0];
  const half = xs.length > 1 ? (xs[1]! - xs[0]!) / 2 : 0;
  return [min - half, max + half];
}

export const wholeNumbers = (_u: uPlot, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? String(v) : ""));

/**
 * Bars over categories (x is 0..n-1), one colour each; the categories are named by an HTML
 * legend beside the canvas rather than by axis labels that would collide on a narrow card.
 */
export function categoryBars(width: number, colors: readonly string[]): uPlot.Options {
  // Per-bar colours: a fill facet of unit 3 (a colour) and kind 2 (discrete), indexed by bar.
  const fill = { unit: 3 as const, kind: 2 as const, values: () => [...colors] };
  return {
    width,
    height: CHART_HEIGHT - 30,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [-0.5, colors.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [axis({ show: false }), axis({ size: 36, values: wholeNumbers })],
    series: [{}, { paths: uPlot.paths.bars!({ size: [0.7, 48], disp: { fill } }), points: { show: false }, width: 0 }],
  };
}
