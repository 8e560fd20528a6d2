import { Show } from "solid-js";
import type { CheckoutFailureReason, CheckoutFailures } from "../../api/types";
import { formatCount } from "../../format";
import { categoryBars } from "./chart-theme";
import { UPlotChart } from "./UPlotChart";

export const FAILURE_LABELS: Record<CheckoutFailureReason, string> = {
  card_declined: "Declined",
  insufficient_funds: "No funds",
  out_of_stock: "Out of stock",
  product_unavailable: "Not sold",
  interrupted: "Interrupted",
  other: "Other",
};
const REASONS = Object.keys(FAILURE_LABELS) as CheckoutFailureReason[];
const COLORS = ["#a61b1b", "#c2410c", "#6b4e00", "#5b2fb8", "#4b5563", "#0b5cad"];

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
        options={(width) => categoryBars(width, REASONS.map((r) => FAILURE_LABELS[r]), COLORS)}
        data={[REASONS.map((_, i) => i), counts()]}
      />
    </figure>
  );
}
