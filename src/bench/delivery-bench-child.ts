/**
 * Step 7 measured: precompute the 56 DRs, then deliver the execution to SUBSCRIPTIONS subscriptions (watchlists of
 * 1–10 tickers, popular tickers more often, as readers pick them) against loopback receivers in another process.
 * argv: DATABASE_URL SUBSCRIPTIONS EMAIL_SHARE. Prints one JSON line.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { openDaybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { DELIVERY_ENDED, type DeliveryEndedEvent, deliverExecution } from '../delivery/deliver.js';
import type { SubscriptionInput } from '../store/subscription-store.js';
import { JOB_ENDED } from '../pipeline/pipeline-deps.js';
import { runPrecompute } from '../pipeline/precompute.js';

const [databaseUrl, countArg, emailShareArg] = process.argv.slice(2);
const count = Number(countArg ?? 10_000);
const emailShare = Number(emailShareArg ?? 0.2);
const secret = 'bench-webhook-secret-0123456789';

const receiver = fork(fileURLToPath(new URL('./delivery-receiver-child.js', import.meta.url)), [secret], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
const [urls] = (await once(receiver, 'message')) as [{ webhook_url: string; smtp_url: string }];
const ask = async () => {
  receiver.send('count');
  return ((await once(receiver, 'message')) as [{ webhooks: number; rejected: number; mails: number; smtp_connections: number; cpu_ms: number }])[0];
};

const app = await openDaybreak(
  loadConfig({
    ...process.env,
    DATABASE_URL: databaseUrl,
    WEBHOOK_SECRET: secret,
    PUBLIC_BASE_URL: 'https://daybreak.example.com',
    SMTP_URL: urls.smtp_url,
    MAIL_FROM: 'Daybreak <digest@daybreak.example.com>',
  }),
);
const { store, registry } = app.deps;

// A fixed pseudo-random stream, so every bench run subscribes the same readers.
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
const symbols = registry.active().map((t) => t.symbol);
const weights = symbols.map((_, i) => 1 / (i + 1));
const totalWeight = weights.reduce((a, b) => a + b, 0);
const pickTicker = () => {
  let r = random() * totalWeight;
  for (let i = 0; i < symbols.length; i++) if ((r -= weights[i]!) <= 0) return symbols[i]!;
  return symbols.at(-1)!;
};
const subscribeStarted = performance.now();
let emails = 0;
for (let i = 0; i < count; i++) {
  const size = 1 + Math.floor(random() * 10);
  const tickers = new Set<string>();
  while (tickers.size < size) tickers.add(pickTicker());
  const email = random() < emailShare;
  if (email) emails++;
  const input: SubscriptionInput = {
    channel: email ? 'email' : 'webhook',
    address: email ? `reader${i}@example.com` : `${urls.webhook_url}/hook/${i}`,
    tickers: [...tickers].sort(),
    language: random() < 0.7 ? 'th' : 'en',
    deliver_at: null,
  };
  await store.upsertSubscription(input, new Date().toISOString());
}
const subscribeMs = performance.now() - subscribeStarted;

let lastJobEndedAt = 0;
app.deps.events.on(JOB_ENDED, () => (lastJobEndedAt = performance.now()));
const queue = app.openQueue();
const execution = await runPrecompute(app.deps, queue, {}, 'manual');
await queue.close();

const lastAt: Record<string, number> = {};
app.deps.events.on(DELIVERY_ENDED, (e: DeliveryEndedEvent) => {
  if (e.outcome === 'delivered') lastAt[e.channel] = performance.now();
});
const rssBefore = process.memoryUsage.rss();
let peakRss = rssBefore;
// memoryUsage.rss() reads one number; memoryUsage() also walks the heap spaces (~1 s of CPU over a run sampled every 50 ms).
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
// CPU time as well as wall: on a machine others share, CPU per delivery moves far less than deliveries per second.
const receiverBefore = await ask();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const summary = await deliverExecution(app.delivery, execution, { selection: 'all', retryFailed: true });
const ended = performance.now();
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
peakRss = Math.max(peakRss, process.memoryUsage.rss());
const received = await ask();
receiver.send('stop');
await app.close();

const webhooks = count - emails;
process.stdout.write(
  `${JSON.stringify({
    subscriptions: count,
    webhooks,
    emails,
    subscribe_ms: subscribeMs,
    precompute_status: execution.status,
    delivered: summary.delivered,
    failed: summary.failed,
    failures: summary.failures.slice(0, 3),
    wall_ms: ended - started,
    deliveries_per_s: summary.delivered / ((ended - started) / 1000),
    webhooks_per_s: webhooks / (((lastAt.webhook ?? ended) - started) / 1000),
    emails_per_s: emails / (((lastAt.email ?? ended) - started) / 1000),
    after_last_job_ms: ended - lastJobEndedAt,
    delivery_cpu_ms: (cpu.user + cpu.system) / 1000,
    receivers_cpu_ms: received.cpu_ms - receiverBefore.cpu_ms,
    rss_before_delivery_mb: rssBefore / 2 ** 20,
    peak_rss_delivery_mb: peakRss / 2 ** 20,
    peak_rss_process_mb: process.resourceUsage().maxRSS / 1024,
    received,
    concurrency: app.config.DELIVERY_CONCURRENCY,
    smtp_max_connections: app.config.SMTP_MAX_CONNECTIONS,
  })}\n`,
);
