// Shared look of the dashboard's charts (colours match the status badges in styles.css).
import uPlot from "uplot";
import type { OrderStatus } from "../../api/types";

export const STATUS_COLORS: Record<OrderStatus, string> = {
  PENDING: "#d9a400",
  PAID: "#0b5cad",
  SHIPPED: "#5b2fb8",
  DELIVERED: "#116a36",
  CANCELLED: "#6b7280",
  PAYMENT_FAILED: "#a61b1b",
};

export const CHART_HEIGHT = 170;

export const axis = (extra: uPlot.Axis = {}): uPlot.Axis => ({
  font: "12px system-ui, sans-serif",
  stroke: "#5b6470",
  grid: { stroke: "#eceef1", width: 1 },
  ticks: { show: false },
  ...extra,
});

const wholeNumbers = (_u: uPlot, splits: number[]) => splits.map((v) => (Number.isInteger(v) ? String(v) : ""));

/** Bar chart over named categories: x is 0..n-1, one tick label and one colour per bar. */
export function categoryBars(width: number, labels: readonly string[], colors: readonly string[]): uPlot.Options {
  // Colour facet: unit 3 (a colour), kind 2 (discrete values).
  const fill = { unit: 3 as const, kind: 2 as const, values: (_u: uPlot, _s: number, i0: number, i1: number) => colors.slice(i0, i1 + 1) };
  return {
    width,
    height: CHART_HEIGHT,
    legend: { show: false },
    cursor: { show: false },
    scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [
      axis({ splits: () => labels.map((_, i) => i), values: (_u, splits) => splits.map((i) => labels[i] ?? ""), grid: { show: false }, size: 28 }),
      axis({ size: 36, values: wholeNumbers }),
    ],
    series: [{}, { paths: uPlot.paths.bars!({ size: [0.7, 56], disp: { fill } }), points: { show: false }, fill: colors[0], stroke: "transparent" }],
  };
}

export { wholeNumbers };
