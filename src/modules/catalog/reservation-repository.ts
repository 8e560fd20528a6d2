import { eq, sql } from "drizzle-orm";
import type { BunSQLiteDatabase } from "drizzle-orm/bun-sqlite";
import type { StockLine } from "./contract";
import * as schema from "./schema";

const { reservations, reservationLines } = schema;
const param = sql.placeholder;
type Status = "RESERVED" | "RELEASED";

/** SQL for reservations (one per order id) and their lines; prepared once, run synchronously. */
export class ReservationRepository {
  private readonly statusOf;
  private readonly insertReservation;
  private readonly insertLine;
  private readonly linesOf;
  private readonly setStatus;

  constructor(db: BunSQLiteDatabase<typeof schema>) {
    this.statusOf = db.select({ status: reservations.status }).from(reservations).where(eq(reservations.id, param("id"))).prepare();
    this.insertReservation = db
      .insert(reservations)
      .values({ id: param("id"), status: param("status"), createdAt: param("now"), updatedAt: param("now") })
      .prepare();
    this.insertLine = db
      .insert(reservationLines)
      .values({ reservationId: param("reservationId"), productId: param("productId"), quantity: param("quantity") })
      .prepare();
    this.linesOf = db.select().from(reservationLines).where(eq(reservationLines.reservationId, param("id"))).prepare();
    this.setStatus = db.update(reservations).set({ status: sql`${param("status")}`, updatedAt: sql`${param("now")}` }).where(eq(reservations.id, param("id"))).prepare();
  }

  status(id: string): Status | undefined {
    return this.statusOf.get({ id })?.status;
  }

  create(id: string, status: Status, now: string): void {
    this.insertReservation.run({ id, status, now });
  }

  addLine(reservationId: string, line: StockLine): void {
    this.insertLine.run({ reservationId, ...line });
  }

  lines(id: string): StockLine[] {
    return this.linesOf.all({ id });
  }

  markReleased(id: string, now: string): void {
    this.setStatus.run({ id, status: "RELEASED", now });
  }
}
