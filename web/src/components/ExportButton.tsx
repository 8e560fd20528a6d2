import { createSignal, Show } from "solid-js";
import { errorMessage, type ApiClient } from "../api/client";
import { exportFileName, fetchAllOrders, ordersToCsv } from "../state/orders-csv";
import type { OrderQuery } from "../state/order-query";
import { formatCount } from "../format";

/** Downloads every order matching the current filters and sort as CSV (all pages, not only the loaded ones). */
export function ExportButton(props: { api: ApiClient; query: OrderQuery }) {
  const [progress, setProgress] = createSignal<number | null>(null);
  const [error, setError] = createSignal<string | null>(null);

  async function run() {
    if (progress() !== null) return;
    setError(null);
    setProgress(0);
    try {
      const query = props.query;
      const orders = await fetchAllOrders(props.api, query, setProgress);
      // A byte-order mark so spreadsheet programs read the file as UTF-8.
      const blob = new Blob(["\uFEFF", ordersToCsv(orders)], { type: "text/csv;charset=utf-8" });
      const url = URL.createObjectURL(blob);
      const link = document.createElement("a");
      link.href = url;
      link.download = exportFileName(query);
      document.body.append(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } catch (e) {
      setError(`Export failed: ${errorMessage(e)}`);
    } finally {
      setProgress(null);
    }
  }

  return (
    <>
      <button type="button" class="btn" onClick={run} aria-busy={progress() !== null} data-testid="btn-export">
        {progress() === null ? "Export CSV" : `Exporting… ${formatCount(progress()!)}`}
      </button>
      <Show when={error()}>
        <p class="inline-error" role="alert" data-testid="export-error">{error()}</p>
      </Show>
    </>
  );
}
