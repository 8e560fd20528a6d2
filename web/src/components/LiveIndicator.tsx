import { createSignal, onCleanup, Show } from "solid-js";
import type { LiveConnection } from "../api/live";

const LABELS = { connecting: "Connecting…", connected: "Live", reconnecting: "Reconnecting…", closed: "Offline" } as const;

/** Connection state of the live stream, announced politely to screen readers. */
export function LiveIndicator(props: { live: LiveConnection }) {
  const [now, setNow] = createSignal(Date.now());
  const tick = setInterval(() => setNow(Date.now()), 1000);
  onCleanup(() => clearInterval(tick));
  const secondsLeft = () => {
    const at = props.live.nextRetryAt();
    return at ? Math.max(0, Math.ceil((at - now()) / 1000)) : 0;
  };

  return (
    <div class={`live live--${props.live.status()}`} data-testid="live-indicator" data-state={props.live.status()}>
      <span class="live-dot" aria-hidden="true" />
      <span role="status" aria-live="polite">
        {LABELS[props.live.status()]}
        <Show when={props.live.status() === "reconnecting" && secondsLeft() > 0}>
          <span class="live-detail"> in {secondsLeft()} s</span>
        </Show>
      </span>
      <Show when={props.live.status() === "reconnecting"}>
        <button type="button" class="btn btn--link btn--small" onClick={() => props.live.retryNow()} data-testid="live-retry">
          Retry now
        </button>
      </Show>
    </div>
  );
}
