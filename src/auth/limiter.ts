/**
 * Failed logins per account in this process: enough to stop online guessing of one password.
 * (Several instances each keep their own count; the scrypt cost bounds the rate anyway.)
 */
export class LoginLimiter {
  private readonly failures = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly max = 10,
    private readonly windowMs = 15 * 60_000,
  ) {}

  blocked(key: string): boolean {
    const f = this.failures.get(key);
    return !!f && Date.now() - f.since < this.windowMs && f.count >= this.max;
  }

  fail(key: string): void {
    const f = this.failures.get(key);
    const cur = f && Date.now() - f.since < this.windowMs ? f : { count: 0, since: Date.now() };
    this.failures.set(key, { count: cur.count + 1, since: cur.since });
  }

  succeed(key: string): void {
    this.failures.delete(key);
  }
}
