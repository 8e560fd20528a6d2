/** Whether the session a token belongs to is still live (signed in, not revoked, account enabled). */
export interface SessionCheck {
  isActive(sessionId: string, userId: string): boolean | Promise<boolean>;
}

interface Answer {
  userId: string;
  active: boolean;
  until: number;
}

/**
 * Remembers answers for `ttlMs`, so checking the token of every request costs a map lookup. The
 * TTL is the revocation delay for processes that only hear about a revocation by asking again
 * (services in split mode, other replicas); the process that revokes forgets its answer at once.
 * Lookups of one session in flight together share one call to the source.
 */
export class CachedSessionCheck implements SessionCheck {
  private readonly answers = new Map<string, Answer>();
  private readonly pending = new Map<string, Promise<boolean>>();
  /** Bumped by every forget: an answer fetched before a revocation is not kept after it. */
  private generation = 0;

  constructor(
    private readonly source: SessionCheck,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
    private readonly maxEntries = 50_000,
  ) {}

  isActive(sessionId: string, userId: string): boolean | Promise<boolean> {
    const now = this.now();
    const known = this.answers.get(sessionId);
    if (known && known.until > now && known.userId === userId) return known.active;
    if (this.ttlMs === 0) return this.source.isActive(sessionId, userId);
    const key = `${sessionId} ${userId}`;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const answer = this.source.isActive(sessionId, userId);
    if (typeof answer === "boolean") {
      this.remember(sessionId, userId, answer, now);
      return answer;
    }
    const generation = this.generation;
    const shared = answer
      .then((active) => {
        if (generation === this.generation) this.remember(sessionId, userId, active, now);
        return active;
      })
      .finally(() => {
        if (this.pending.get(key) === shared) this.pending.delete(key);
      });
    this.pending.set(key, shared);
    return shared;
  }

  /** The session was revoked here: answer from the source next time. */
  forget(sessionId: string): void {
    this.generation++;
    this.pending.clear(); // later lookups must not join one that started before the revocation
    this.answers.delete(sessionId);
  }

  /** Every session of this user (the account was disabled). */
  forgetUser(userId: string): void {
    this.generation++;
    this.pending.clear();
    for (const [sessionId, answer] of this.answers) if (answer.userId === userId) this.answers.delete(sessionId);
  }

  /** Kept from the moment the question was asked, so an answer is never trusted past `ttlMs` of its own age. */
  private remember(sessionId: string, userId: string, active: boolean, askedAt: number): void {
    if (this.answers.size >= this.maxEntries) this.answers.clear();
    this.answers.set(sessionId, { userId, active, until: askedAt + this.ttlMs });
  }
}
