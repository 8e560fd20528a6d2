import { writesOnDisk } from "../db/group-commit";
import { wants, type DomainEvent, type EventBus, type Subscription } from "./event";
import type { Logger } from "../logger";
import { traceEvent } from "../observability/tracing";

/**
 * The all-in-one bus: delivers each event to every subscribed group in order. A handler that
 * throws makes `publish` throw, so the relay keeps the batch and retries it later; handlers are
 * idempotent, so the events a group already handled change nothing the second time.
 */
export class InProcessBus implements EventBus {
  readonly name = "in-process";
  private readonly subscriptions: Subscription[] = [];

  constructor(private readonly log: Logger) {}

  subscribe(subscription: Subscription): void {
    this.subscriptions.push(subscription);
  }

  async publish(events: DomainEvent[]): Promise<void> {
    for (const event of events) {
      for (const sub of this.subscriptions) {
        if (!wants(sub, event)) continue;
        try {
          await traceEvent(`consume ${event.type} (${sub.group})`, event.traceparent, () => sub.handle(event));
        } catch (error) {
          this.log.error("event handler failed", { group: sub.group, eventId: event.id, type: event.type, err: error });
          throw error;
        }
      }
    }
    await writesOnDisk(); // the handlers' writes commit before the relay marks the batch published
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}
