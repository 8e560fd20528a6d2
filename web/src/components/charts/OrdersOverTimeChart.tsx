import { createMemo, createSignal, For, Show } from "solid-js";
import uPlot from "uplot";
import type { OrderSeries, StatsRange } from "../../api/types";
import { countLabel, formatCount, formatMoney, minorUnitDigits } from "../../format";
import { CHART_HEIGHT, ORDER_BARS, axis, timeAxis, wholeBuckets, wholeNumbers } from "./chart-theme";
import { UPlotChart } from "./UPlotChart";

const RANGES: Array<{ range: StatsRange; label: string }> = [
  { range: "hour", label: "Hour" },
  { range: "day", label: "Day" },
  { range: "week", label: "Week" },
];

interface Props {
  series: OrderSeries | null;
  range: StatsRange;
  onRange(range: StatsRange): void;
  loading: boolean;
  error: boolean;
}

/** Orders placed (bars) and revenue (line, right axis) per bucket, for one currency at a time. */
export function OrdersOverTimeChart(props: Props) {
  const [picked, setPicked] = createSignal<string | null>(null);
  const currencies = () => props.series?.currencies.map((c) => c.currency) ?? [];
  const currency = () => {
    const p = picked();
    return p && currencies().includes(p) ? p : currencies()[0] ?? null;
  };
  const current = () => props.series?.currencies.find((c) => c.currency === currency());
  const data = createMemo<uPlot.AlignedData>(() => {
    const s = props.series;
    if (!s) return [[], [], []];
    const start = Date.parse(s.from) / 1000;
    const x = Array.from({ length: s.buckets }, (_, i) => start + i * s.bucketSeconds);
    const c = current();
    const scale = 10 ** minorUnitDigits(currency() ?? "EUR");
    return [x, c ? [...c.orders] : x.map(() => 0), (c?.revenueCents ?? x.map(() => 0)).map((v) => v / scale)];
  });
  const sum = (xs: number[] | undefined) => (xs ?? []).reduce((a, b) => a + b, 0);
  const ordersTotal = () => sum(current()?.orders);
  const revenueTotal = () => sum(current()?.revenueCents);
  const summary = () =>
    currency() ? `${countLabel(ordersTotal(), "order")} · ${formatMoney(revenueTotal(), currency()!)} revenue` : "No orders in this range";

  const options = (width: number): uPlot.Options => ({
    width,
    height: CHART_HEIGHT,
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    scales: { x: { time: true, range: wholeBuckets }, orders: { range: (_u, _min, max) => [0, Math.max(1, max)] }, money: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
    axes: [
      timeAxis(),
      axis({ scale: "orders", size: 36, values: wholeNumbers }),
      axis({ scale: "money", side: 1, size: 56, grid: { show: false }, values: (_u, splits) => splits.map((v) => formatCount(v)) }),
    ],
    series: [
      {},
      { label: "Orders", scale: "orders", paths: uPlot.paths.bars!({ size: [0.8, 24] }), points: { show: false }, fill: ORDER_BARS.fill, stroke: ORDER_BARS.stroke },
      { label: "Revenue", scale: "money", stroke: "#116a36", width: 2, points: { show: false } },
    ],
  });

  return (
    <figure
      class="chart chart--wide"
      aria-busy={props.loading}
      data-testid="chart-orders"
      data-range={props.range}
      data-currency={currency() ?? ""}
      data-orders-total={ordersTotal()}
      data-revenue-total={revenueTotal()}
    >
      <figcaption class="chart-head">
        <span>Orders and revenue</span>
        <span class="chart-controls">
          <Show when={currencies().length > 1}>
            <select aria-label="Currency" value={currency() ?? ""} onChange={(e) => setPicked(e.currentTarget.value)} data-testid="chart-currency">
              <For each={currencies()}>{(c) => <option value={c}>{c}</option>}</For>
            </select>
          </Show>
          <span class="segmented" role="group" aria-label="Range">
            <For each={RANGES}>
              {(r) => (
                <button type="button" aria-pressed={props.range === r.range} onClick={() => props.onRange(r.range)} data-testid={`chart-range-${r.range}`}>
                  {r.label}
                </button>
              )}
            </For>
          </span>
        </span>
      </figcaption>
      <p class="chart-summary muted" data-testid="chart-orders-summary">{summary()}</p>
      <Show when={props.error}>
        <p class="inline-error" role="alert">Could not load the series.</p>
      </Show>
      <UPlotChart testId="chart-orders-canvas" label={`Orders and revenue, last ${props.range}: ${summary()}`} optionsKey={`${props.range}|${currency()}`} options={options} data={data()} />
    </figure>
  );
}
