import { For, Show } from "solid-js";
import type { StatusChange } from "../api/types";
import { formatDateTime, statusLabel } from "../format";

/** The order's status history, oldest first, as a vertical timeline. */
export function Timeline(props: { history: StatusChange[] }) {
  const entries = () => [...props.history].sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
  return (
    <Show when={entries().length} fallback={<p class="muted">No status changes recorded.</p>}>
      <ol class="timeline" data-testid="order-timeline">
        <For each={entries()}>
          {(change, i) => (
            <li class={`timeline-item timeline-item--${change.status.toLowerCase()}`} aria-current={i() === entries().length - 1 ? "step" : undefined} data-testid={`timeline-${change.status}`}>
              <span class="timeline-dot" aria-hidden="true" />
              <div>
                <strong>{statusLabel(change.status)}</strong>
                <time datetime={change.at}>{formatDateTime(change.at)}</time>
                <Show when={change.reason}>
                  <p class="timeline-reason">{change.reason}</p>
                </Show>
              </div>
            </li>
          )}
        </For>
      </ol>
    </Show>
  );
}
