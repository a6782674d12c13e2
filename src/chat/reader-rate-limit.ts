/**
 * Messages per reader per minute, counted after the webhook is authenticated: LINE and Telegram post every reader's
 * messages from a few addresses, so the API's per-IP limit would throttle all readers as one. A fixed one-minute
 * window per reader; the first message over the limit is told to slow down, later ones are ignored until it ends.
 */
export class ReaderRateLimit {
  private readonly windows = new Map<string, { start: number; count: number }>();

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** `ok`, the first `over` of a window (answer "slow down"), or `silent`. */
  take(reader: string): 'ok' | 'over' | 'silent' {
    const now = this.now();
    let w = this.windows.get(reader);
    if (!w || now - w.start >= 60_000) {
      if (this.windows.size > 50_000) this.prune(now);
      w = { start: now, count: 0 };
      this.windows.set(reader, w);
    }
    w.count++;
    if (w.count <= this.perMinute) return 'ok';
    return w.count === this.perMinute + 1 ? 'over' : 'silent';
  }

  private prune(now: number): void {
    for (const [key, w] of this.windows) if (now - w.start >= 60_000) this.windows.delete(key);
  }
}
