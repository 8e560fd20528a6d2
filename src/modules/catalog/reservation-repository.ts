import type { Database } from "bun:sqlite";
import type { StockLine } from "./contract";

type Status = "RESERVED" | "RELEASED";

/** SQL for reservations (one per order id) and their lines: bun:sqlite statements prepared once, run synchronously. */
export class ReservationRepository {
  private readonly statusOf;
  private readonly insertReservation;
  private readonly insertLine;
  private readonly linesOf;
  private readonly setStatus;

  constructor(sqlite: Database) {
    this.statusOf = sqlite.query<{ status: Status }, [string]>("SELECT status FROM reservations WHERE id = ?");
    this.insertReservation = sqlite.query<never, [string, Status, string]>("INSERT INTO reservations (id, status, created_at, updated_at) VALUES (?1, ?2, ?3, ?3)");
    this.insertLine = sqlite.query<never, [string, string, number]>("INSERT INTO reservation_lines (reservation_id, product_id, quantity) VALUES (?, ?, ?)");
    this.linesOf = sqlite.query<StockLine, [string]>("SELECT product_id AS productId, quantity FROM reservation_lines WHERE reservation_id = ?");
    this.setStatus = sqlite.query<never, [Status, string, string]>("UPDATE reservations SET status = ?, updated_at = ? WHERE id = ?");
  }

  status(id: string): Status | undefined {
    return this.statusOf.get(id)?.status;
  }

  create(id: string, status: Status, now: string): void {
    this.insertReservation.run(id, status, now);
  }

  addLine(reservationId: string, line: StockLine): void {
    this.insertLine.run(reservationId, line.productId, line.quantity);
  }

  lines(id: string): StockLine[] {
    return this.linesOf.all(id);
  }

  markReleased(id: string, now: string): void {
    this.setStatus.run("RELEASED", now, id);
  }
}
