import { createEffect, on, onCleanup, onMount } from "solid-js";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";

interface Props {
  /** Options for a chart of this width; `key` changes when they must be rebuilt (not for new data). */
  options: (width: number) => uPlot.Options;
  optionsKey: string;
  data: uPlot.AlignedData;
  /** What the chart shows, for screen readers (the canvas says nothing). */
  label: string;
  testId: string;
}

/**
 * One uPlot canvas that follows its container's width. uPlot styles its elements through the
 * CSSOM only (no style attributes, no eval), which the dashboard's Content-Security-Policy allows.
 */
export function UPlotChart(props: Props) {
  let box!: HTMLDivElement;
  let chart: uPlot | undefined;
  // The box's width, never wider: a floor (this was 200 px) spilled the last bars out of a narrow card.
  const width = () => Math.max(1, Math.floor(box.clientWidth));

  const build = () => {
    chart?.destroy();
    chart = new uPlot(props.options(width()), props.data, box);
  };

  onMount(() => {
    build();
    const resize = new ResizeObserver(() => {
      if (chart && Math.abs(chart.width - width()) > 1) chart.setSize({ width: width(), height: chart.height });
    });
    resize.observe(box);
    onCleanup(() => resize.disconnect());
  });
  createEffect(on(() => props.optionsKey, build, { defer: true }));
  createEffect(on(() => props.data, (data) => chart?.setData(data), { defer: true }));
  onCleanup(() => chart?.destroy());

  return <div class="chart-canvas" ref={box} role="img" aria-label={props.label} data-testid={props.testId} />;
}
