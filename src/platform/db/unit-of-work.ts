import type { NewEvent } from "../events/outbox";

/**
 * What a unit of work decided: keep its writes, with the events they raise; or undo them and still
 * answer (a refusal found half-way, after some rows were written: a stock reservation short of one
 * line). Throwing also undoes everything, and the error reaches the caller.
 */
export type UnitOutcome<T> = { readonly kept: T; readonly events?: readonly NewEvent[] } | { readonly undone: T };

export const keep = <T>(result: T, events?: readonly NewEvent[]): UnitOutcome<T> =>
  events && events.length > 0 ? { kept: result, events } : { kept: result };

export const undo = <T>(result: T): UnitOutcome<T> => ({ undone: result });

/**
 * The one way a module writes: the rows a unit writes and the events they raise commit together,
 * or neither does, and the module's relay hears of the events only after the commit. Repositories
 * run their units through it; services call the repositories' units and await them, passing the
 * decisions that need the current rows as synchronous callbacks, whatever the database.
 *
 * What a dialect provides:
 * - `run(work)`: a transaction around `work(tx)`, `tx` being the dialect's handle for queries in
 *   it; a kept outcome's events inserted into the module's outbox table in that same
 *   transaction; an undone outcome or a throw rolls all of it back (the undone result is
 *   returned, the error rethrown); after the commit, the committed events pushed to the outbox's
 *   CommittedOutbox, which nudges the relay. Never a network call inside `work`.
 *   - SQLite (unit-of-work.sqlite.ts): `work` is synchronous and joins the turn's commit batch
 *     (group-commit.ts); `run` resolves as soon as the unit ran, before the batch commits.
 *   - PostgreSQL: BEGIN on one pooled connection, `await work(tx)`, INSERT the events, COMMIT;
 *     `run` resolves after the COMMIT. Each unit is its own short transaction (no group commit).
 * - `writesOnDisk()`: resolves once every unit that has resolved so far is on disk. SQLite: when
 *   the turn's batch has committed; PostgreSQL: at once, its units resolve after their COMMIT.
 */
export interface UnitOfWork<Tx> {
  run<T>(work: (tx: Tx) => UnitOutcome<T> | Promise<UnitOutcome<T>>): Promise<T>;
  /** "My writes must be on disk before the next step": before another module or process acts on them. */
  writesOnDisk(): Promise<void>;
}
