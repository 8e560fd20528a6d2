import type { Database } from "bun:sqlite";
import type { SqliteOutbox } from "../events/outbox.sqlite";
import { joinCommitBatch, writesOnDisk } from "./group-commit";
import type { UnitOfWork, UnitOutcome } from "./unit-of-work";

/** Thrown inside a unit to roll it back when its work decided to undo; never leaves `run`. */
const UNDO = Symbol("undo");

/**
 * UnitOfWork on one module's SQLite connection: each unit is synchronous and joins the turn's
 * commit batch (joinCommitBatch) in its own savepoint, with its events appended to the module's
 * outbox in the same savepoint; the outbox hands them to the relay once the batch commits.
 */
export class SqliteUnitOfWork implements UnitOfWork<Database> {
  constructor(
    private readonly sqlite: Database,
    /** Where the events go; a module that raises none has no outbox. */
    private readonly outbox: SqliteOutbox | undefined,
    /** The database's name in the busy-retry metric. */
    private readonly label: string,
  ) {}

  run<T>(work: (tx: Database) => UnitOutcome<T>): Promise<T> {
    try {
      return Promise.resolve(this.runNow(work));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  writesOnDisk(): Promise<void> {
    return writesOnDisk();
  }

  private runNow<T>(work: (tx: Database) => UnitOutcome<T>): T {
    let undone: T | undefined;
    try {
      return joinCommitBatch(
        this.sqlite,
        () => {
          const outcome = work(this.sqlite);
          if (outcome instanceof Promise) throw new Error(`a ${this.label} unit of work awaited: SQLite units are synchronous`);
          if ("undone" in outcome) {
            undone = outcome.undone;
            throw UNDO;
          }
          if (outcome.events) {
            if (!this.outbox) throw new Error(`${this.label} has no outbox for the events its unit raised`);
            this.outbox.append(outcome.events);
          }
          return outcome.kept;
        },
        this.label,
      );
    } catch (error) {
      if (error === UNDO) return undone as T;
      throw error;
    }
  }
}
