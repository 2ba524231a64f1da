/**
 * Login throttling (PRODUCT §7, OWASP ASVS V2.2.1, NIST SP 800-63B §5.2.2). Failed sign-ins are counted
 * in a sliding 15-minute window under three keys, and a sign-in is refused with TOO_MANY_REQUESTS,
 * before the password is even checked (so the right password is refused too), while any of them is
 * over its limit:
 * - one username from one address: 5 (a person mistyping; the usual case);
 * - one username from anywhere: 20 (guessing one account from many addresses). The limit is higher
 *   than the first so that somebody else's failures lock a nurse out only after a real attack;
 * - one address, any usernames: 30 (one password tried against many accounts, "spraying").
 * In memory: a restart forgets, which only ever makes the limit looser for one window.
 */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
export const LOGIN_FAILURE_LIMIT = 5;
export const ACCOUNT_FAILURE_LIMIT = 20;
export const ADDRESS_FAILURE_LIMIT = 30;
const MAX_TRACKED_KEYS = 10_000;

interface Bucket {
  readonly key: string;
  readonly limit: number;
}

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  /**
   * Attempts allowed but not yet decided (argon2 takes a while). They count as failures until they
   * are decided, so forty simultaneous guesses cannot all slip past the check before any has failed.
   */
  private readonly pending = new Map<string, number[]>();

  private buckets(username: string, clientIp: string | null): Bucket[] {
    const address = clientIp ?? '-';
    return [
      { key: `pair\n${address}\n${username}`, limit: LOGIN_FAILURE_LIMIT },
      { key: `account\n${username}`, limit: ACCOUNT_FAILURE_LIMIT },
      { key: `address\n${address}`, limit: ADDRESS_FAILURE_LIMIT },
    ];
  }

  private recent(key: string, nowMs: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((at) => nowMs - at < LOGIN_WINDOW_MS);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  private recentPending(key: string, nowMs: number): number[] {
    const times = (this.pending.get(key) ?? []).filter((at) => nowMs - at < LOGIN_WINDOW_MS);
    if (times.length === 0) this.pending.delete(key);
    else this.pending.set(key, times);
    return times;
  }

  /** Settles one undecided attempt per key (the oldest). */
  private settle(username: string, clientIp: string | null): void {
    for (const { key } of this.buckets(username, clientIp)) {
      const times = this.pending.get(key);
      times?.shift();
      if (times?.length === 0) this.pending.delete(key);
    }
  }

  /**
   * Milliseconds until another attempt is allowed, or 0 when it is allowed now. An allowed attempt is
   * counted as undecided until recordFailure or recordSuccess settles it (or the window passes).
   */
  retryAfterMs(username: string, clientIp: string | null, now: Date): number {
    const nowMs = now.getTime();
    const buckets = this.buckets(username, clientIp);
    let wait = 0;
    for (const { key, limit } of buckets) {
      const times = [...this.recent(key, nowMs), ...this.recentPending(key, nowMs)].sort(
        (a, b) => a - b,
      );
      if (times.length < limit) continue;
      const oldest = times[times.length - limit] ?? nowMs;
      wait = Math.max(wait, 1, oldest + LOGIN_WINDOW_MS - nowMs);
    }
    if (wait === 0) {
      for (const { key } of buckets)
        this.pending.set(key, [...(this.pending.get(key) ?? []), nowMs]);
    }
    return wait;
  }

  recordFailure(username: string, clientIp: string | null, now: Date): void {
    this.settle(username, clientIp);
    for (const { key, limit } of this.buckets(username, clientIp)) {
      if (!this.failures.has(key) && this.failures.size >= MAX_TRACKED_KEYS) {
        const oldestKey = this.failures.keys().next().value;
        if (oldestKey !== undefined) this.failures.delete(oldestKey);
      }
      // Only the latest `limit` failures decide anything: memory per key stays bounded.
      this.failures.set(key, [...this.recent(key, now.getTime()), now.getTime()].slice(-limit));
    }
  }

  /**
   * A success clears the failures of this username from this address only: an attacker's failures
   * on the account or from the address still count.
   */
  recordSuccess(username: string, clientIp: string | null): void {
    this.settle(username, clientIp);
    const [pair] = this.buckets(username, clientIp);
    if (pair) this.failures.delete(pair.key);
  }
}
