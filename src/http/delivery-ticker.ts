import { errorMessage } from '../errors.js';
import { bangkokDate } from '../report/business-date.js';
import type { RunLog } from './background-runs.js';
import type { ExecutionRecord } from '../store/store.js';
import { deliverExecution, type DeliveryDeps, latestDeliverableExecution } from '../delivery/deliver.js';

const MINUTE_MS = 60_000;

/**
 * `serve`'s delivery clock. Right after each scheduled run ends (`afterRun`), and once a minute, it delivers today's
 * newest full run to the subscriptions that are due (no `deliver_at`, or one that has passed). Every `serve` process
 * ticks; the store's unique (subscription, business date) key makes that safe, and a tick that finds everything
 * done reads one list of rows and sends nothing.
 */
export class DeliveryTicker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;

  constructor(
    private readonly deps: DeliveryDeps,
    private readonly log: RunLog,
  ) {}

  start(): void {
    this.stopped = false;
    this.arm();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => {});
  }

  /** After a scheduled run: deliver it now to those due. */
  afterRun(execution: ExecutionRecord): Promise<void> {
    return this.deliver(execution, 'run end');
  }

  /** One minute's look: today's newest full run, if it has ended. */
  async tick(): Promise<void> {
    const today = bangkokDate(this.deps.now());
    const execution = await latestDeliverableExecution(this.deps.store, { businessDate: today, fullRunOnly: true });
    if (execution) await this.deliver(execution, 'minute tick');
  }

  private arm(): void {
    if (this.stopped) return;
    // On the minute (plus a second), so `deliver_at` 07:30 goes out at 07:30:01, not up to a minute late.
    const wait = MINUTE_MS - (Date.now() % MINUTE_MS) + 1_000;
    this.timer = setTimeout(() => {
      if (!this.running) {
        this.running = this.tick()
          .catch((error) => this.log.error({ err: errorMessage(error) }, 'delivery tick failed'))
          .finally(() => (this.running = undefined));
      }
      this.arm();
    }, wait);
    this.timer.unref();
  }

  private async deliver(execution: ExecutionRecord, trigger: string): Promise<void> {
    try {
      const summary = await deliverExecution(this.deps, execution, { selection: 'due', retryFailed: trigger === 'run end' });
      if (summary.delivered + summary.failed > 0) {
        const log = summary.failed > 0 ? this.log.warn.bind(this.log) : this.log.info.bind(this.log);
        log(
          { trigger, execution_id: summary.execution_id, total: summary.total, delivered: summary.delivered, failed: summary.failed, skipped: summary.skipped, failures: summary.failures.slice(0, 10) },
          'digests delivered',
        );
      }
    } catch (error) {
      this.log.error({ trigger, execution_id: execution.execution_id, err: errorMessage(error) }, 'delivery failed');
    }
  }
}
