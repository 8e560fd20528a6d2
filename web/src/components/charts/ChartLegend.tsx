import { For } from "solid-js";
import { formatCount } from "../../format";

/** Names and counts of a bar chart's categories; each swatch's colour is a stylesheet class. */
export function ChartLegend(props: { items: Array<{ key: string; label: string; count: number }>; testId: string }) {
  return (
    <ul class="chart-legend" data-testid={props.testId}>
      <For each={props.items}>
        {(item) => (
          <li>
            <span class={`swatch swatch--${item.key}`} aria-hidden="true" />
            {item.label} <strong>{formatCount(item.count)}</strong>
          </li>
        )}
      </For>
    </ul>
  );
}
