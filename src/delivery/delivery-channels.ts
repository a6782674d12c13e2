import { InputError } from '../errors.js';
import { CHANNEL_NAMES, type ChannelName, type DeliveryChannel } from './delivery-channel.js';

/** How the composition root makes one channel: the variables it needs, and the factory once they are all set. */
export interface ChannelSpec {
  /** Configuration variables the channel needs; any unset one makes the channel absent. */
  requires: readonly string[];
  /** Absent: no adapter in this build yet. Called at most once, on first use. */
  create?: () => DeliveryChannel;
}

/**
 * The channels of this process, ChannelName → DeliveryChannel, built from the config on first use (a command that
 * delivers nothing opens no SMTP pool). A channel whose configuration is missing is absent, and says which
 * variables are missing: adding a subscription for it is bad input, delivering to it fails with that reason.
 */
export class DeliveryChannels {
  private readonly made = new Map<ChannelName, DeliveryChannel>();

  constructor(
    private readonly specs: Partial<Record<ChannelName, ChannelSpec>>,
    private readonly isSet: (variable: string) => boolean,
  ) {}

  /** Why the channel cannot be used, or null when it can. */
  unavailableReason(name: ChannelName): string | null {
    const spec = this.specs[name];
    if (!spec) return `the ${name} channel is not part of this build`;
    const missing = spec.requires.filter((v) => !this.isSet(v));
    if (missing.length > 0) return `the ${name} channel is not configured: set ${missing.join(', ')}`;
    if (!spec.create) return `the ${name} channel is not part of this build`;
    return null;
  }

  get(name: ChannelName): DeliveryChannel | undefined {
    const existing = this.made.get(name);
    if (existing) return existing;
    if (this.unavailableReason(name) !== null) return undefined;
    const channel = this.specs[name]!.create!();
    this.made.set(name, channel);
    return channel;
  }

  /** The channel, or an InputError naming what is missing (exit 2 / 400). */
  require(name: ChannelName): DeliveryChannel {
    const channel = this.get(name);
    if (!channel) throw new InputError(this.unavailableReason(name)!, { channel: name });
    return channel;
  }

  /** Names of the channels usable now. */
  available(): ChannelName[] {
    return CHANNEL_NAMES.filter((n) => this.unavailableReason(n) === null);
  }

  async close(): Promise<void> {
    await Promise.allSettled([...this.made.values()].map((c) => c.close()));
    this.made.clear();
  }
}

export function parseChannelName(value: string): ChannelName {
  const name = value.trim().toLowerCase();
  if (!(CHANNEL_NAMES as readonly string[]).includes(name)) {
    throw new InputError(`unknown channel "${value}": use one of ${CHANNEL_NAMES.join(', ')}`, { field: 'channel', input: value });
  }
  return name as ChannelName;
}
