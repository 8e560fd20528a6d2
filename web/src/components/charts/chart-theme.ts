// Shared look of the dashboard's charts. Colours are the stylesheet's (--chart-* custom
// properties), so a canvas bar and its legend swatch cannot drift apart.
import uPlot from "uplot";

export const CHART_HEIGHT = 170;

/** A colour defined in styles.css (`--chart-<name>`). */
export function chartColor(name: string): string {
  const value = getComputedStyle(document.documentElement).getPropertyValue(`--chart-${name}`).trim();
  return value || "#2453d6";
}

export const axis = (extra: uPlot.Axis = {}): uPlot.Axis => ({
  font: "12px system-ui, sans-serif",
  stroke: "#5b6470",
  grid: { stroke: "#eceef1", width: 1 },
  ticks: { show: false },
  ...extra,
});

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
