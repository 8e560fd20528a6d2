import { createSignal, For, Match, onCleanup, Show, Switch } from "solid-js";
import { errorMessage, type ApiClient } from "../api/client";
import { createProductList } from "../state/product-list";
import { ProductForm } from "./ProductForm";
import { ProductRow } from "./ProductRow";

/** Catalog management for operators: list and search, create, edit price and stock, delete. */
export function ProductsPage(props: { api: ApiClient }) {
  const products = createProductList(props.api);
  const [notice, setNotice] = createSignal<string | null>(null);
  let timer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(timer));

  return (
    <section class="products" aria-labelledby="products-title">
      <h2 id="products-title">Products</h2>
      <ProductForm onCreate={products.create} onCreated={(p) => setNotice(`Created “${p.name}”.`)} />
      <Show when={notice()}>
        <p class="notice" role="status" data-testid="product-notice">{notice()}</p>
      </Show>
      <label class="field">
        <span>Search products</span>
        <input
          type="search"
          maxLength={100}
          onInput={(e) => {
            const value = e.currentTarget.value;
            clearTimeout(timer);
            timer = setTimeout(() => products.setSearch(value), 300);
          }}
          data-testid="product-search"
        />
      </label>
      <Switch>
        <Match when={products.loading()}>
          <p class="state" role="status"><span class="spinner" aria-hidden="true" /> Loading products…</p>
        </Match>
        <Match when={products.error() && products.items().length === 0}>
          <p class="inline-error" role="alert">
            Could not load products: {errorMessage(products.error())}{" "}
            <button type="button" class="btn btn--link" onClick={() => products.reload()}>Retry</button>
          </p>
        </Match>
        <Match when={products.items().length === 0}>
          <p class="state" data-testid="products-empty">No products{products.search() ? " match this search" : " yet"}.</p>
        </Match>
        <Match when={true}>
          <ul class="product-list" data-testid="product-list">
            <For each={products.items()}>{(p) => <ProductRow product={p} onUpdate={products.update} onDelete={products.remove} />}</For>
          </ul>
          <Show when={products.hasMore()}>
            <button type="button" class="btn" onClick={() => products.loadMore()} aria-busy={products.loadingMore()} data-testid="products-more">
              {products.loadingMore() ? "Loading…" : "Load more"}
            </button>
          </Show>
        </Match>
      </Switch>
    </section>
  );
}
