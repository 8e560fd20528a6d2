import { createMemo, createResource, createSignal, For, Match, on, createEffect, onCleanup, onMount, Show, Switch } from "solid-js";
import { ApiError, errorMessage, type ApiClient } from "../api/client";
import type { Order, Payment } from "../api/types";
import { actionsFor, type OrderAction } from "../state/order-actions";
import { formatDateTime, formatMoney, shortId, statusLabel } from "../format";
import { StatusBadge } from "./StatusBadge";
import { Timeline } from "./Timeline";

interface Props {
  order: Order;
  api: ApiClient;
  onClose(): void;
  /** The order as the server returned it after an action (or a re-read after a conflict). */
  onChanged(order: Order): void;
}

type Action = OrderAction;

const PAYMENT_LABELS: Record<string, string> = { AUTHORIZED: "Authorized", CAPTURED: "Captured", DECLINED: "Declined", REFUNDED: "Refunded" };

/** Side panel (full screen on phones): lines, totals, payment, history and the legal next moves. */
export function OrderDetails(props: Props) {
  let heading!: HTMLHeadingElement;
  const [busy, setBusy] = createSignal<Action | null>(null);
  const [actionError, setActionError] = createSignal<string | null>(null);
  const [confirmingCancel, setConfirmingCancel] = createSignal(false);
  const can = (action: Action) => actionsFor(props.order.status).includes(action);

  // Payments change when the order does (captured on payment, refunded on cancel): refetch then.
  const paymentKey = createMemo(() => `${props.order.id}|${props.order.status}`);
  const [payments, { refetch: refetchPayments }] = createResource(paymentKey, (key) => props.api.paymentsFor(key.split("|")[0]!));

  onMount(() => heading.focus());
  // Opening another order while the panel is open: reset the panel's transient state.
  createEffect(on(() => props.order.id, () => {
    setActionError(null);
    setConfirmingCancel(false);
    heading.focus();
  }, { defer: true }));

  // A live change can make cancelling illegal while the confirmation is open.
  createEffect(() => {
    if (!can("cancel")) setConfirmingCancel(false);
  });

  const onKey = (e: KeyboardEvent) => {
    if (e.key !== "Escape" || e.defaultPrevented) return;
    e.preventDefault();
    if (confirmingCancel()) setConfirmingCancel(false);
    else props.onClose();
  };
  document.addEventListener("keydown", onKey);
  onCleanup(() => document.removeEventListener("keydown", onKey));


  async function run(action: Action) {
    if (busy()) return;
    setBusy(action);
    setActionError(null);
    const id = props.order.id;
    try {
      const updated =
        action === "ship" ? await props.api.setStatus(id, "SHIPPED") :
        action === "deliver" ? await props.api.setStatus(id, "DELIVERED") :
        await props.api.cancelOrder(id);
      setConfirmingCancel(false);
      props.onChanged(updated);
    } catch (e) {
      if (e instanceof ApiError && e.status === 409) {
        setActionError(`${e.message} The order was changed elsewhere; showing its current state.`);
        props.api.getOrder(id).then(props.onChanged, () => undefined);
      } else {
        setActionError(errorMessage(e));
      }
    } finally {
      setBusy(null);
    }
  }

  const money = (cents: number) => formatMoney(cents, props.order.currency);

  return (
    <aside class="details" role="dialog" aria-modal="false" aria-labelledby="details-title" data-testid="order-details" data-order-id={props.order.id}>
      <header class="details-header">
        <div>
          <h2 id="details-title" tabindex="-1" ref={heading}>
            Order <span class="mono" title={props.order.id}>#{shortId(props.order.id)}</span>
          </h2>
          <p class="muted mono details-id" data-testid="details-id">{props.order.id}</p>
        </div>
        <button type="button" class="btn btn--icon" onClick={() => props.onClose()} aria-label="Close order details" data-testid="btn-close-details">
          <span aria-hidden="true">×</span>
        </button>
      </header>

      <div class="details-body">
        <section class="details-summary" aria-label="Summary">
          <StatusBadge status={props.order.status} testId="details-status" />
          <dl class="facts">
            <div>
              <dt>Customer</dt>
              <dd data-testid="details-customer">{props.order.username}</dd>
            </div>
            <div>
              <dt>Placed</dt>
              <dd><time datetime={props.order.createdAt}>{formatDateTime(props.order.createdAt)}</time></dd>
            </div>
            <div>
              <dt>Updated</dt>
              <dd><time datetime={props.order.updatedAt}>{formatDateTime(props.order.updatedAt)}</time></dd>
            </div>
          </dl>
          <Show when={props.order.failureReason}>
            <p class="callout callout--warn" data-testid="details-failure">{props.order.failureReason}</p>
          </Show>
        </section>

        <section class="details-actions" aria-label="Actions">
          <Show
            when={!confirmingCancel()}
            fallback={
              <div class="confirm" role="group" aria-label="Confirm cancellation">
                <p>
                  Cancel this order?{" "}
                  {props.order.status === "PAID" ? "The customer is refunded and the stock released." : "The reserved stock is released."}
                </p>
                <div class="button-row">
                  <button type="button" class="btn btn--danger" onClick={() => run("cancel")} disabled={busy() !== null} data-testid="btn-cancel-confirm" ref={(el) => queueMicrotask(() => el.focus())}>
                    {busy() === "cancel" ? "Cancelling…" : "Yes, cancel order"}
                  </button>
                  <button type="button" class="btn" onClick={() => setConfirmingCancel(false)} disabled={busy() !== null}>
                    Keep order
                  </button>
                </div>
              </div>
            }
          >
            <Show
              when={actionsFor(props.order.status).length > 0}
              fallback={<p class="muted" data-testid="details-no-actions">{statusLabel(props.order.status)}: nothing left to do.</p>}
            >
              <div class="button-row">
                <Show when={can("ship")}>
                  <button type="button" class="btn btn--primary" onClick={() => run("ship")} disabled={busy() !== null} data-testid="btn-ship">
                    {busy() === "ship" ? "Shipping…" : "Ship"}
                  </button>
                </Show>
                <Show when={can("deliver")}>
                  <button type="button" class="btn btn--primary" onClick={() => run("deliver")} disabled={busy() !== null} data-testid="btn-deliver">
                    {busy() === "deliver" ? "Saving…" : "Deliver"}
                  </button>
                </Show>
                <Show when={can("cancel")}>
                  <button type="button" class="btn btn--danger-outline" onClick={() => setConfirmingCancel(true)} disabled={busy() !== null} data-testid="btn-cancel">
                    Cancel order
                  </button>
                </Show>
              </div>
            </Show>
          </Show>
          <Show when={actionError()}>
            <p class="form-error" role="alert" data-testid="details-action-error">{actionError()}</p>
          </Show>
        </section>

        <section aria-labelledby="lines-title">
          <h3 id="lines-title">Items</h3>
          <table class="lines" data-testid="details-lines">
            <thead>
              <tr>
                <th scope="col">Product</th>
                <th scope="col" class="num">Qty</th>
                <th scope="col" class="num">Unit price</th>
                <th scope="col" class="num">Total</th>
              </tr>
            </thead>
            <tbody>
              <For each={props.order.items}>
                {(line) => (
                  <tr>
                    <td>{line.name}</td>
                    <td class="num">{line.quantity}</td>
                    <td class="num">{money(line.unitPriceCents)}</td>
                    <td class="num">{money(line.lineTotalCents)}</td>
                  </tr>
                )}
              </For>
            </tbody>
            <tfoot>
              <tr>
                <th scope="row" colspan="3">Order total</th>
                <td class="num" data-testid="details-total">{money(props.order.totalCents)}</td>
              </tr>
            </tfoot>
          </table>
        </section>

        <section aria-labelledby="payment-title" aria-busy={payments.loading}>
          <h3 id="payment-title">Payment</h3>
          <Switch>
            <Match when={payments.error}>
              <p class="inline-error" role="alert">
                Could not load the payment: {errorMessage(payments.error)}{" "}
                <button type="button" class="btn btn--link" onClick={() => refetchPayments()}>Retry</button>
              </p>
            </Match>
            <Match when={payments.loading && !payments.latest}>
              <p class="muted" role="status"><span class="spinner" aria-hidden="true" /> Loading payment…</p>
            </Match>
            <Match when={(payments.latest ?? []).length === 0}>
              <p class="muted" data-testid="details-payment-none">No payment recorded for this order.</p>
            </Match>
            <Match when={true}>
              <ul class="payments" data-testid="details-payment">
                <For each={payments.latest as Payment[]}>
                  {(p) => (
                    <li>
                      <span class={`badge badge--pay-${p.status.toLowerCase()}`} data-testid="payment-status">{PAYMENT_LABELS[p.status] ?? p.status}</span>
                      <span class="num">{formatMoney(p.amountCents, p.currency)}</span>
                      <span class="mono" aria-label={`Card ending ${p.cardLast4}`}>•••• {p.cardLast4}</span>
                      <time class="muted" datetime={p.updatedAt}>{formatDateTime(p.updatedAt)}</time>
                    </li>
                  )}
                </For>
              </ul>
            </Match>
          </Switch>
        </section>

        <section aria-labelledby="history-title">
          <h3 id="history-title">History</h3>
          <Timeline history={props.order.history} />
        </section>
      </div>
    </aside>
  );
}
