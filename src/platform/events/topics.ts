// Kafka topic names, shared by the services and the infrastructure code that creates them
// (infra/ imports this file: keep it free of dependencies).

/** Aggregate types that publish events: one topic each. */
export const EVENT_AGGREGATES = ["product", "order", "payment"] as const;

export const topicFor = (aggregateType: string) => `shop.${aggregateType}`;

export const SHOP_TOPICS = EVENT_AGGREGATES.map(topicFor);
