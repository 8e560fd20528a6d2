import { createSignal, Show } from "solid-js";
import { errorField, errorMessage } from "../api/client";
import type { NewProduct, Product } from "../api/types";
import { toInteger, toMinorUnits } from "../state/money-input";

interface Props {
  onCreate(input: NewProduct): Promise<Product>;
  onCreated(product: Product): void;
}

/**
 * A new product. Values go to the API as typed (prices converted to minor units when they are
 * amounts): the API validates, and its message and field are shown as they came.
 */
export function ProductForm(props: Props) {
  const [name, setName] = createSignal("");
  const [category, setCategory] = createSignal("");
  const [price, setPrice] = createSignal("");
  const [currency, setCurrency] = createSignal("EUR");
  const [stock, setStock] = createSignal("0");
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<{ message: string; field: string | null } | null>(null);
  const invalid = (field: string) => error()?.field === field || undefined;

  async function submit(e: SubmitEvent) {
    e.preventDefault();
    if (busy()) return;
    setBusy(true);
    setError(null);
    const cur = currency().trim().toUpperCase();
    try {
      const created = await props.onCreate({
        name: name(),
        category: category().trim(),
        priceCents: toMinorUnits(price(), cur) as number,
        currency: cur,
        stock: toInteger(stock()) as number,
      });
      setName("");
      setPrice("");
      setStock("0");
      props.onCreated(created);
    } catch (err) {
      setError({ message: errorMessage(err), field: errorField(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="product-form" onSubmit={submit} aria-labelledby="new-product-title" novalidate data-testid="product-form">
      <h3 id="new-product-title">New product</h3>
      <div class="form-grid">
        <label class="field">
          <span>Name</span>
          <input value={name()} onInput={(e) => setName(e.currentTarget.value)} aria-invalid={invalid("name")} data-testid="product-name" />
        </label>
        <label class="field">
          <span>Category</span>
          <input value={category()} placeholder="e.g. coffee" onInput={(e) => setCategory(e.currentTarget.value)} aria-invalid={invalid("category")} data-testid="product-category" />
        </label>
        <label class="field">
          <span>Price</span>
          <input inputmode="decimal" value={price()} placeholder="12.50" onInput={(e) => setPrice(e.currentTarget.value)} aria-invalid={invalid("priceCents")} data-testid="product-price" />
        </label>
        <label class="field">
          <span>Currency</span>
          <input value={currency()} maxLength={3} onInput={(e) => setCurrency(e.currentTarget.value)} aria-invalid={invalid("currency")} data-testid="product-currency" />
        </label>
        <label class="field">
          <span>Stock</span>
          <input inputmode="numeric" value={stock()} onInput={(e) => setStock(e.currentTarget.value)} aria-invalid={invalid("stock")} data-testid="product-stock" />
        </label>
      </div>
      <Show when={error()}>
        {(err) => (
          <p class="form-error" role="alert" data-testid="product-form-error" data-field={err().field ?? ""}>
            {err().message}
          </p>
        )}
      </Show>
      <button type="submit" class="btn btn--primary" aria-busy={busy()} data-testid="product-create">
        {busy() ? "Creating…" : "Create product"}
      </button>
    </form>
  );
}
