/** The envelope every event travels in, whatever the bus. */
export interface DomainEvent<TType extends string = string, TPayload = unknown> {
  id: string;
  type: TType;
  /** Also the Kafka topic family: one topic per aggregate type. */
  aggregateType: string;
  aggregateId: string;
  occurredAt: string;
  payload: TPayload;
  /** W3C trace context of the request that caused the event, when there was one. */
  traceparent?: string;
}

export type EventHandler = (event: DomainEvent) => Promise<void> | void;

export interface Subscription {
  /** A consumer group: each group receives every event once; its handler must be idempotent. */
  group: string;
  aggregateTypes: string[];
  /** Only these event types reach `handle` (default: every type of those aggregates). */
  eventTypes?: string[];
  handle: EventHandler;
  /** A new group starts at the oldest retained event (default) or only sees what comes next. */
  fromBeginning?: boolean;
}

/** Whether a subscription's handler wants this event. */
export const wants = (sub: Subscription, event: DomainEvent): boolean =>
  sub.aggregateTypes.includes(event.aggregateType) && (!sub.eventTypes || sub.eventTypes.includes(event.type));

/** Publishes events and feeds them to subscribers. In-process now, Kafka in split mode. */
export interface EventBus {
  readonly name: string;
  /**
   * While events keep coming, publish at most once per this many ms, so one publish carries what
   * several commits wrote (a relay that was idle still publishes at once). Unset: every commit.
   */
  readonly busyPublishIntervalMs?: number;
  publish(events: DomainEvent[]): Promise<void>;
  subscribe(subscription: Subscription): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}
