/**
 * Login throttling (PRODUCT §7): after 5 failed sign-ins for one username from one address within
 * 15 minutes, further attempts are refused with TOO_MANY_REQUESTS until the window passes. In memory:
 * a restart forgets, which only ever makes the limit looser for one window.
 */
export const LOGIN_FAILURE_LIMIT = 5;
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
const MAX_TRACKED_KEYS = 10_000;

export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();

  private key(username: string, clientIp: string | null): string {
    return `${clientIp ?? '-'}\n${username}`;
  }

  private recent(key: string, nowMs: number): number[] {
    const times = (this.failures.get(key) ?? []).filter((at) => nowMs - at < LOGIN_WINDOW_MS);
    if (times.length === 0) this.failures.delete(key);
    else this.failures.set(key, times);
    return times;
  }

  /** Milliseconds until another attempt is allowed, or 0 when it is allowed now. */
  retryAfterMs(username: string, clientIp: string | null, now: Date): number {
    const times = this.recent(this.key(username, clientIp), now.getTime());
    if (times.length < LOGIN_FAILURE_LIMIT) return 0;
    const oldest = times[times.length - LOGIN_FAILURE_LIMIT] ?? now.getTime();
    return Math.max(1, oldest + LOGIN_WINDOW_MS - now.getTime());
  }

  recordFailure(username: string, clientIp: string | null, now: Date): void {
    const key = this.key(username, clientIp);
    if (!this.failures.has(key) && this.failures.size >= MAX_TRACKED_KEYS) {
      const oldestKey = this.failures.keys().next().value;
      if (oldestKey !== undefined) this.failures.delete(oldestKey);
    }
    this.failures.set(key, [...this.recent(key, now.getTime()), now.getTime()]);
  }

  recordSuccess(username: string, clientIp: string | null): void {
    this.failures.delete(this.key(username, clientIp));
  }
}
