// The operators' product list: searched and paged through the catalog API (a resource per search,
// so a late answer for an older search is dropped), with the rows an operator creates, edits and
// deletes updated from the API's answers.
import { createEffect, createResource, createSignal, on } from "solid-js";
import { createStore, reconcile, unwrap } from "solid-js/store";
import type { ApiClient } from "../api/client";
import type { NewProduct, Product, ProductChanges } from "../api/types";

export const PRODUCT_PAGE_SIZE = 50;

export function createProductList(api: ApiClient) {
  const [search, setSearch] = createSignal("");
  const [rows, setRows] = createStore<{ items: Product[]; nextCursor: string | null }>({ items: [], nextCursor: null });
  const [page, { refetch }] = createResource(
    () => ({ q: search(), cursor: null as string | null }),
    async (request) => ({ request, page: await api.listProducts({ limit: PRODUCT_PAGE_SIZE, q: request.q, cursor: request.cursor }) }),
  );
  const [moreFrom, setMoreFrom] = createSignal<string | null>(null);
  const [more] = createResource(moreFrom, async (cursor) => ({ q: search(), cursor, page: await api.listProducts({ limit: PRODUCT_PAGE_SIZE, q: search(), cursor }) }));
  const put = (items: Product[], nextCursor: string | null) => setRows(reconcile({ items, nextCursor }, { key: "id", merge: false }));

  createEffect(on(() => (page.state === "ready" ? page() : undefined), (answer) => {
    if (answer && answer.request.q === search()) put(answer.page.items, answer.page.nextCursor);
  }));
  createEffect(on(() => (more.state === "ready" ? more() : undefined), (answer) => {
    if (!answer || answer.q !== search() || answer.cursor !== rows.nextCursor) return;
    const known = new Set(rows.items.map((p) => p.id));
    put([...unwrap(rows).items, ...answer.page.items.filter((p) => !known.has(p.id))], answer.page.nextCursor);
  }));

  return {
    items: () => rows.items,
    hasMore: () => rows.nextCursor !== null,
    loading: () => page.loading && rows.items.length === 0,
    error: (): unknown => page.error ?? null,
    loadingMore: () => more.loading,
    search,
    setSearch(q: string) {
      setMoreFrom(null);
      setSearch(q.trim());
    },
    loadMore() {
      if (rows.nextCursor && !more.loading) setMoreFrom(rows.nextCursor);
    },
    reload: () => void refetch(),
    /** Each action returns the API's answer, or throws its ApiError (the form shows its message and field). */
    async create(input: NewProduct): Promise<Product> {
      const created = await api.createProduct(input);
      put([created, ...unwrap(rows).items.filter((p) => p.id !== created.id)], rows.nextCursor);
      return created;
    },
    async update(id: string, changes: ProductChanges): Promise<Product> {
      const updated = await api.updateProduct(id, changes);
      put(unwrap(rows).items.map((p) => (p.id === id ? updated : p)), rows.nextCursor);
      return updated;
    },
    async remove(id: string): Promise<void> {
      await api.deleteProduct(id);
      put(unwrap(rows).items.filter((p) => p.id !== id), rows.nextCursor);
    },
  };
}

export type ProductListState = ReturnType<typeof createProductList>;
