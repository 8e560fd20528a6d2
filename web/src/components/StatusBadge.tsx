import type { OrderStatus } from "../api/types";
import { statusLabel } from "../format";

export function StatusBadge(props: { status: OrderStatus | string; testId?: string }) {
  return (
    <span class={`badge badge--${props.status.toLowerCase()}`} data-testid={props.testId} data-status={props.status}>
      {statusLabel(props.status)}
    </span>
  );
}
