import { Show } from "solid-js";
import type { CheckoutFailureReason, CheckoutFailures } from "../../api/types";
import { formatCount } from "../../format";
import { ChartLegend } from "./ChartLegend";
import { categoryBars, chartColor } from "./chart-theme";
import { UPlotChart } from "./UPlotChart";

export const FAILURE_LABELS: Record<CheckoutFailureReason, string> = {
  card_declined: "Card declined",
  insufficient_funds: "Insufficient funds",
  out_of_stock: "Out of stock",
  product_unavailable: "No longer sold",
  interrupted: "Interrupted",
  other: "Other",
};
const REASONS = Object.keys(FAILURE_LABELS) as CheckoutFailureReason[];

/** Checkouts that failed in the chosen range, by reason. */
export function FailureReasonsChart(props: { failures: CheckoutFailures | undefined; error: boolean }) {
  const count = (reason: CheckoutFailureReason) => props.failures?.reasons.find((r) => r.reason === reason)?.count ?? 0;
  const counts = () => REASONS.map(count);
  const label = () => `Checkout failures: ${REASONS.map((r) => `${FAILURE_LABELS[r]} ${formatCount(count(r))}`).join(", ")}`;
  return (
    <figure class="chart" data-testid="chart-failures" data-total={props.failures?.total ?? ""}>
      <figcaption>
        Checkout failures <span class="muted">· {props.failures ? formatCount(props.failures.total) : "—"}</span>
      </figcaption>
      <Show when={props.error}>
        <p class="inline-error" role="alert">Could not load the failures.</p>
      </Show>
      <UPlotChart
        testId="chart-failures-canvas"
        label={label()}
        optionsKey="failures"
        options={(width) => categoryBars(width, REASONS.map((r) => chartColor(r.replace(/_/g, "-"))))}
        data={[REASONS.map((_, i) => i), counts()]}
      />
      <ChartLegend testId="legend-failures" items={REASONS.map((r) => ({ key: r.replace(/_/g, "-"), label: FAILURE_LABELS[r], count: count(r) }))} />
    </figure>
  );
}
