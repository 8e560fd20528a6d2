import { ORDER_STATUSES, type OrderStats } from "../../api/types";
import { formatCount, statusLabel } from "../../format";
import { ChartLegend } from "./ChartLegend";
import { categoryBars, chartColor } from "./chart-theme";
import { UPlotChart } from "./UPlotChart";

/** How many orders are in each status now (the same counts as the status chips). */
export function StatusMixChart(props: { stats: OrderStats | null }) {
  const counts = () => ORDER_STATUSES.map((s) => props.stats?.countsByStatus[s] ?? 0);
  const label = () => `Orders by status: ${ORDER_STATUSES.map((s, i) => `${statusLabel(s)} ${formatCount(counts()[i]!)}`).join(", ")}`;
  return (
    <figure class="chart" data-testid="chart-status-mix" data-counts={counts().join(",")}>
      <figcaption>Status mix</figcaption>
      <UPlotChart
        testId="chart-status-mix-canvas"
        label={label()}
        optionsKey="status-mix"
        options={(width) => categoryBars(width, ORDER_STATUSES.map((s) => chartColor(s.toLowerCase())))}
        data={[ORDER_STATUSES.map((_, i) => i), counts()]}
      />
      <ChartLegend testId="legend-status-mix" items={ORDER_STATUSES.map((s, i) => ({ key: s.toLowerCase(), label: statusLabel(s), count: counts()[i]! }))} />
    </figure>
  );
}
