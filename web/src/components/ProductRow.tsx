import { createSignal, Show } from "solid-js";
import { errorField, errorMessage } from "../api/client";
import type { Product, ProductChanges } from "../api/types";
import { formatCount, formatMoney } from "../format";
import { fromMinorUnits, toInteger, toMinorUnits } from "../state/money-input";

interface Props {
  product: Product;
  onUpdate(id: string, changes: ProductChanges): Promise<Product>;
  onDelete(id: string): Promise<void>;
}

/** One product: price and stock edited in place, deletion after a confirmation; the API's errors shown in the row. */
export function ProductRow(props: Props) {
  const [mode, setMode] = createSignal<"view" | "edit" | "confirm-delete">("view");
  const [price, setPrice] = createSignal("");
  const [stock, setStock] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<{ message: string; field: string | null } | null>(null);
  const id = () => props.product.id;

  const startEdit = () => {
    setPrice(fromMinorUnits(props.product.priceCents, props.product.currency));
    setStock(String(props.product.stock));
    setError(null);
    setMode("edit");
  };

  async function attempt(action: () => Promise<unknown>) {
    if (busy()) return;
    setBusy(true);
    setError(null);
    try {
      await action();
      setMode("view");
    } catch (e) {
      setError({ message: errorMessage(e), field: errorField(e) });
    } finally {
      setBusy(false);
    }
  }

  const save = (e: SubmitEvent) => {
    e.preventDefault();
    void attempt(() =>
      props.onUpdate(id(), { priceCents: toMinorUnits(price(), props.product.currency) as number, stock: toInteger(stock()) as number }),
    );
  };

  return (
    <li class="product" data-testid={`product-row-${id()}`} data-product-id={id()}>
      <div class="product-main">
        <strong data-testid={`product-name-${id()}`}>{props.product.name}</strong>
        <span class="muted">{props.product.category}</span>
      </div>
      <Show
        when={mode() === "edit"}
        fallback={
          <div class="product-figures">
            <span class="figure" data-testid={`product-price-${id()}`}>{formatMoney(props.product.priceCents, props.product.currency)}</span>
            <span class="figure muted" data-testid={`product-stock-${id()}`}>{formatCount(props.product.stock)} in stock</span>
          </div>
        }
      >
        <form class="product-edit" onSubmit={save} novalidate aria-label={`Edit ${props.product.name}`}>
          <label class="field field--inline">
            <span>Price ({props.product.currency})</span>
            <input inputmode="decimal" value={price()} onInput={(e) => setPrice(e.currentTarget.value)} aria-invalid={error()?.field === "priceCents" || undefined} data-testid={`product-edit-price-${id()}`} />
          </label>
          <label class="field field--inline">
            <span>Stock</span>
            <input inputmode="numeric" value={stock()} onInput={(e) => setStock(e.currentTarget.value)} aria-invalid={error()?.field === "stock" || undefined} data-testid={`product-edit-stock-${id()}`} />
          </label>
          <button type="submit" class="btn btn--primary btn--small" aria-busy={busy()} data-testid={`product-save-${id()}`}>Save</button>
          <button type="button" class="btn btn--small" onClick={() => setMode("view")}>Cancel</button>
        </form>
      </Show>
      <Show when={mode() === "view"}>
        <div class="button-row">
          <button type="button" class="btn btn--small" onClick={startEdit} data-testid={`product-edit-${id()}`}>Edit</button>
          <button type="button" class="btn btn--small btn--danger-outline" onClick={() => setMode("confirm-delete")} data-testid={`product-delete-${id()}`}>Delete</button>
        </div>
      </Show>
      <Show when={mode() === "confirm-delete"}>
        <div class="button-row" role="group" aria-label={`Delete ${props.product.name}?`}>
          <span>Delete “{props.product.name}”?</span>
          <button type="button" class="btn btn--small btn--danger" aria-busy={busy()} onClick={() => void attempt(() => props.onDelete(id()))} data-testid={`product-delete-confirm-${id()}`}>
            Delete
          </button>
          <button type="button" class="btn btn--small" onClick={() => setMode("view")}>Keep</button>
        </div>
      </Show>
      <Show when={error()}>
        {(err) => (
          <p class="form-error" role="alert" data-testid={`product-error-${id()}`} data-field={err().field ?? ""}>
            {err().message}
          </p>
        )}
      </Show>
    </li>
  );
}
