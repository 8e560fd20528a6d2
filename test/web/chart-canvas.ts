// Reads a uPlot chart back from its canvas in the page, for the dashboard's Chromium tests: what a
// person would see cut off or run together, measured in pixels.
import type { Locator } from "playwright-core";
import { ORDER_BARS } from "../../web/src/components/charts/chart-theme";

export interface ChartInk {
  /** Canvas pixels across the plot area. */
  plotWidth: number;
  /** First and last canvas columns of bar ink (ORDER_BARS' fill or stroke) in the plot area. */
  barLeft: number;
  barRight: number;
  /** Inked pixels in the canvas's last two rows: a label cut off at the bottom edge. */
  bottomInk: number;
  /** Widest run of ink, in CSS px, in the first row of x-axis labels (runs split by 5 blank columns). */
  widestLabelRun: number;
}

/** "#c9d7fb" -> [201, 215, 251] */
const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const BAR_COLOURS = [rgb(ORDER_BARS.fill), rgb(ORDER_BARS.stroke)];

/** The ink of the chart in `figure` (a `figure` holding one uPlot canvas). */
export function chartInk(figure: Locator): Promise<ChartInk> {
  return figure.evaluate((el, barColours) => {
    const canvas = el.querySelector("canvas")!;
    const over = el.querySelector<HTMLElement>(".u-over")!; // uPlot's overlay covers exactly the plot area
    const ratio = canvas.width / canvas.getBoundingClientRect().width;
    const plot = {
      left: Math.round(over.offsetLeft * ratio),
      right: Math.round((over.offsetLeft + over.offsetWidth) * ratio),
      top: Math.round(over.offsetTop * ratio),
      bottom: Math.round((over.offsetTop + over.offsetHeight) * ratio),
    };
    const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
    const at = (x: number, y: number) => data.subarray((y * canvas.width + x) * 4, (y * canvas.width + x) * 4 + 4);
    const isBar = (p: Uint8ClampedArray) => p[3]! > 200 && barColours.some(([r, g, b]) => Math.abs(p[0]! - r!) + Math.abs(p[1]! - g!) + Math.abs(p[2]! - b!) < 30);

    let barLeft = Infinity;
    let barRight = -1;
    for (let x = plot.left; x < plot.right; x++)
      for (let y = plot.top; y < plot.bottom; y++)
        if (isBar(at(x, y))) {
          barLeft = Math.min(barLeft, x);
          barRight = Math.max(barRight, x);
        }

    let bottomInk = 0;
    for (let y = canvas.height - 2; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) if (at(x, y)[3]! > 0) bottomInk++;

    const labelInk = (x: number) => {
      for (let y = plot.bottom + 2; y < plot.bottom + Math.round(20 * ratio); y++) if (at(x, y)[3]! > 60) return true;
      return false;
    };
    let widestLabelRun = 0;
    let runStart = -1;
    let blank = 0;
    for (let x = plot.left; x < plot.right; x++) {
      if (labelInk(x)) {
        if (runStart < 0) runStart = x;
        blank = 0;
        widestLabelRun = Math.max(widestLabelRun, (x - runStart + 1) / ratio);
      } else if (++blank >= 5) runStart = -1;
    }
    return { plotWidth: plot.right - plot.left, barLeft, barRight, bottomInk, widestLabelRun };
  }, BAR_COLOURS);
}
