import type { Daybreak } from '../composition-root.js';
import type { SubscriptionRecord } from '../store/subscription-store.js';
import { toSubscriptionInput } from '../delivery/subscription-input.js';
import { InputError } from '../errors.js';
import { type CliIo, formatTable } from './cli-io.js';

export interface SubscriptionAddFlags {
  channel: string;
  to: string;
  tickers?: string[];
  language?: string;
  at?: string;
  json?: boolean;
}

/** `daybreak subscriptions add`: creates the subscription of the address, or updates the one it has. Prints the id. */
export async function subscriptionsAddCommand(app: Daybreak, flags: SubscriptionAddFlags, io: CliIo): Promise<number> {
  const input = toSubscriptionInput(flags, app.deps.registry, app.delivery.channels);
  const { subscription, created } = await app.deps.store.upsertSubscription(input, app.deps.now().toISOString());
  if (flags.json) io.out(JSON.stringify({ ...subscription, created }, null, 2));
  else {
    io.err(`${created ? 'created' : 'updated'} ${subscription.channel} subscription for ${subscription.address}: ${describeWatchlist(subscription)}`);
    io.out(subscription.subscription_id);
  }
  return 0;
}

export async function subscriptionsListCommand(app: Daybreak, flags: { json?: boolean }, io: CliIo): Promise<number> {
  const subscriptions = await app.deps.store.listSubscriptions();
  if (flags.json) {
    io.out(JSON.stringify(subscriptions, null, 2));
    return 0;
  }
  if (subscriptions.length === 0) {
    io.out('no subscriptions yet: `daybreak subscriptions add --channel email --to you@example.com --tickers NVDA19`');
    return 0;
  }
  io.out(
    formatTable(
      ['ID', 'CHANNEL', 'ADDRESS', 'TICKERS', 'LANG', 'AT', 'ACTIVE'],
      subscriptions.map((s) => [
        s.subscription_id,
        s.channel,
        s.address,
        s.tickers.join(',') || '(brief only)',
        s.language,
        s.deliver_at ?? 'run end',
        s.active ? 'yes' : `no: ${s.disabled_reason ?? 'disabled'}`,
      ]),
    ),
  );
  return 0;
}

export async function subscriptionsRemoveCommand(app: Daybreak, id: string, io: CliIo): Promise<number> {
  if (!(await app.deps.store.deleteSubscription(id))) throw new InputError(`no subscription ${id}: see \`daybreak subscriptions list\``);
  io.err(`removed subscription ${id}`);
  return 0;
}

function describeWatchlist(s: SubscriptionRecord): string {
  return `${s.tickers.length > 0 ? s.tickers.join(', ') : 'the morning brief only'} in ${s.language}, ${s.deliver_at ? `at ${s.deliver_at}` : 'when the run ends'}`;
}
