// Rows that just changed, highlighted for a moment.
import { createSignal, onCleanup } from "solid-js";

export function createFlash(durationMs = 2500) {
  const [ids, setIds] = createSignal<ReadonlySet<string>>(new Set());
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  onCleanup(() => timers.forEach(clearTimeout));
  return {
    ids,
    flash(id: string) {
      clearTimeout(timers.get(id));
      setIds((prev) => new Set(prev).add(id));
      timers.set(id, setTimeout(() => {
        timers.delete(id);
        setIds((prev) => {
          const next = new Set(prev);
          next.delete(id);
          return next;
        });
      }, durationMs));
    },
  };
}
