import type { LiveFigures } from "../../state/live-figures";
import type { StatsRange } from "../../api/types";
import { FailureReasonsChart } from "./FailureReasonsChart";
import { OrdersOverTimeChart } from "./OrdersOverTimeChart";
import { StatusMixChart } from "./StatusMixChart";

/** The three charts operators look at first, kept current by the live stream. */
export function ChartsPanel(props: { figures: LiveFigures; range: StatsRange; onRange(range: StatsRange): void }) {
  return (
    <section class="charts" aria-label="Charts">
      <OrdersOverTimeChart
        series={props.figures.series()}
        range={props.range}
        onRange={props.onRange}
        loading={props.figures.seriesLoading()}
        error={props.figures.seriesError() !== null}
      />
      <StatusMixChart stats={props.figures.stats()} />
      <FailureReasonsChart failures={props.figures.failures()} error={props.figures.failuresError() !== null} />
    </section>
  );
}
