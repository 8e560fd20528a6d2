import type { SQL } from "bun";
import type { PostgresOutbox } from "../events/outbox.postgres";
import { SQLSTATE, sqlState } from "./postgres/errors";
import type { UnitOfWork, UnitOutcome } from "./unit-of-work";

/** Carries an undone outcome out of `sql.begin`, which rolls back on a throw. */
class Undone {
  constructor(readonly result: unknown) {}
}

/** A deadlock or serialization failure rolled the unit back before it changed anything: run it again. */
const ATTEMPTS = 3;
const retryable = (error: unknown) => {
  const state = sqlState(error);
  return state === SQLSTATE.deadlockDetected || state === SQLSTATE.serializationFailure;
};

/**
 * UnitOfWork on a module's PostgreSQL pool: each unit is its own short transaction (BEGIN … COMMIT
 * on one pooled connection, Bun SQL's `sql.begin`), the kept outcome's events inserted into the
 * module's outbox in that same transaction; `run` resolves after the COMMIT, and only then is the
 * relay nudged. No group commit: PostgreSQL commits concurrent transactions together itself.
 * `work` may await its queries on `tx`; it must make no network call other than to this database.
 */
export class PostgresUnitOfWork implements UnitOfWork<SQL> {
  constructor(
    private readonly sql: SQL,
    /** Where the events go; a module that raises none has no outbox. */
    private readonly outbox: PostgresOutbox | undefined,
    private readonly label: string,
  ) {}

  async run<T>(work: (tx: SQL) => UnitOutcome<T> | Promise<UnitOutcome<T>>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(work);
      } catch (error) {
        if (attempt >= ATTEMPTS || !retryable(error)) throw error;
        // A short random pause, so the survivor commits first and the two do not collide again.
        await Bun.sleep(5 + Math.random() * 20);
      }
    }
  }

  private async once<T>(work: (tx: SQL) => UnitOutcome<T> | Promise<UnitOutcome<T>>): Promise<T> {
    let raised = false;
    try {
      const kept = await this.sql.begin(async (tx) => {
        const outcome = await work(tx);
        if ("undone" in outcome) throw new Undone(outcome.undone);
        if (outcome.events) {
          if (!this.outbox) throw new Error(`${this.label} has no outbox for the events its unit raised`);
          await this.outbox.append(tx, outcome.events);
          raised = true;
        }
        return outcome.kept;
      });
      if (raised) this.outbox!.nudge();
      return kept as T;
    } catch (error) {
      if (error instanceof Undone) return error.result as T;
      throw error;
    }
  }

  /** Every unit has committed by the time its `run` resolved. */
  async writesOnDisk(): Promise<void> {}
}
