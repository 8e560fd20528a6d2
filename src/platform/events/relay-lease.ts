/**
 * Who may publish a module's outbox when several replicas run it. Without a lease (SQLite: one
 * process per file) every relay publishes. With one (PostgreSQL), only the holder publishes; the
 * others try again every second or so and take over when the holder is gone.
 */
export interface RelayLease {
  /** Whether this relay may publish now: takes the lease when it is free, confirms it when held. Never throws. */
  acquire(): Promise<boolean>;
  /** Gives the lease up (at stop), so another replica takes over at its next try. */
  release(): Promise<void>;
}
