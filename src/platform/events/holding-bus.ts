import type { DomainEvent, EventBus, Subscription } from "./event";

/**
 * Split mode without KAFKA_BROKERS: nothing is published, so events stay in the outbox (safe,
 * and delivered once a broker is configured and the service restarts); nothing is consumed.
 */
export class HoldingBus implements EventBus {
  readonly name = "none (KAFKA_BROKERS not set)";
  async publish(_events: DomainEvent[]): Promise<void> {
    throw new Error("no event bus configured: events wait in the outbox");
  }
  subscribe(_subscription: Subscription): void {}
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
}
