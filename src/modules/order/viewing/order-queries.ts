import type { Principal } from "../../../platform/auth/principal";
import { notFound } from "../../../platform/errors";
import type { Order, StatsRange } from "../contract";
import type { OrderListQuery, OrderRepository } from "../order-repository";
import type { OrderStatistics } from "./order-statistics";

export const isStaff = (p: Principal) => p.role !== "customer";

/** Reading orders with the caller's rights: customers their own, operators everyone's and the figures. */
export class OrderQueries {
  constructor(
    private readonly orders: OrderRepository,
    private readonly statistics: OrderStatistics,
  ) {}

  /** Another customer's order is a 404, not a 403: its existence is not theirs to know. */
  async getFor(principal: Principal, id: string): Promise<Order> {
    const order = await this.orders.get(id);
    if (!order || (!isStaff(principal) && order.userId !== principal.userId)) throw notFound("Order", id);
    return order;
  }

  list(principal: Principal, query: Omit<OrderListQuery, "userId">) {
    return this.orders.list({ ...query, userId: isStaff(principal) ? undefined : principal.userId });
  }

  stats() {
    return this.statistics.summary();
  }

  series(range: StatsRange) {
    return this.statistics.series(range);
  }

  failures(range: StatsRange) {
    return this.statistics.failures(range);
  }
}
