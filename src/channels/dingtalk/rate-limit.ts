/**
 * A sliding-window limit per conversation. DingTalk documents 20 messages per minute per robot for custom
 * (webhook) robots, with a 10-minute block when exceeded; for app robots it publishes per-app API QPS
 * quotas but no per-group figure, so we hold app robots to the same 20/min per chat to stay clear of
 * either. The limiter never waits: it says how long until the next slot, and the job queue retries then.
 */
export class SlidingWindowLimit {
  private readonly sent = new Map<string, number[]>();

  constructor(private readonly max: number, private readonly windowMs: number) {}

  /** 0 when a message may go now (and counts it), else milliseconds until a slot frees. */
  take(key: string, now: number): number {
    const recent = (this.sent.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (recent.length >= this.max) {
      this.sent.set(key, recent);
      return recent[0]! + this.windowMs - now;
    }
    recent.push(now);
    this.sent.set(key, recent);
    return 0;
  }

  /** Gives back a slot taken for a message that was certainly not delivered. */
  release(key: string, at: number): void {
    const recent = this.sent.get(key);
    const i = recent?.lastIndexOf(at) ?? -1;
    if (recent && i >= 0) recent.splice(i, 1);
  }
}
