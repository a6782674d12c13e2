const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Spaces sends to stay inside a platform's limits: at most `perSecond` in all and, per key (a chat), at most one
 * every `perKeyIntervalMs`. A caller first waits for its key's turn, then for a slot of the shared rate, so a chat
 * waiting out its own interval never holds up the others. Slots are strictly spaced (no bursts), which is what the
 * platforms measure.
 */
export class RateGate {
  private readonly intervalMs: number;
  private nextShared = 0;
  private readonly nextByKey = new Map<string, number>();

  constructor(
    perSecond: number,
    private readonly perKeyIntervalMs = 0,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.intervalMs = 1000 / perSecond;
  }

  async take(key?: string): Promise<void> {
    if (key !== undefined && this.perKeyIntervalMs > 0) {
      const at = Math.max(this.now(), this.nextByKey.get(key) ?? 0);
      this.nextByKey.set(key, at + this.perKeyIntervalMs);
      if (this.nextByKey.size > 10_000) this.prune();
      const wait = at - this.now();
      if (wait > 0) await sleep(wait);
    }
    const slot = Math.max(this.now(), this.nextShared);
    this.nextShared = slot + this.intervalMs;
    const wait = slot - this.now();
    if (wait > 0) await sleep(wait);
  }

  /** Pushes a key's next turn back, e.g. by a 429's `retry_after`. */
  defer(key: string, ms: number): void {
    this.nextByKey.set(key, Math.max(this.nextByKey.get(key) ?? 0, this.now() + ms));
  }

  private prune(): void {
    const now = this.now();
    for (const [key, at] of this.nextByKey) if (at < now) this.nextByKey.delete(key);
  }
}
