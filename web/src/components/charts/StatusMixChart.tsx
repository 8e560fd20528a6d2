import type { OrderStats } from "../../api/types";
import { STATUS_ORDER, formatCount, statusLabel } from "../../format";
import { ChartLegend } from "./ChartLegend";
import { categoryBars, chartColor } from "./chart-theme";
import { UPlotChart } from "./UPlotChart";

/** How many orders are in each status now (the same counts as the status chips). */
export function StatusMixChart(props: { stats: OrderStats | null }) {
  const counts = () => STATUS_ORDER.map((s) => props.stats?.countsByStatus[s] ?? 0);
  const label = () => `Orders by status: ${STATUS_ORDER.map((s, i) => `${statusLabel(s)} ${formatCount(counts()[i]!)}`).join(", ")}`;
  return (
    <figure class="chart" data-testid="chart-status-mix" data-counts={counts().join(",")}>
      <figcaption>Status mix</figcaption>
      <UPlotChart
        testId="chart-status-mix-canvas"
        label={label()}
        optionsKey="status-mix"
        options={(width) => categoryBars(width, STATUS_ORDER.map((s) => chartColor(s.toLowerCase())))}
        data={[STATUS_ORDER.map((_, i) => i), counts()]}
      />
      <ChartLegend testId="legend-status-mix" items={STATUS_ORDER.map((s, i) => ({ key: s.toLowerCase(), label: statusLabel(s), count: counts()[i]! }))} />
    </figure>
  );
}
