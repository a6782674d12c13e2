import { CHAT_TEXTS } from '../delivery/chat-texts.js';
import type { ChannelName, MorningBrief } from '../delivery/delivery-channel.js';
import type { ReportCard } from '../delivery/report-card.js';
import { markdownToChatText } from '../delivery/split-text.js';
import { errorMessage } from '../errors.js';
import type { Language } from '../report/narrative-contract.js';
import { type ChatCommand, MAX_CARDS_PER_MESSAGE, parseChatCommand, type SymbolResolver, type UnknownSymbol } from './chat-command.js';

/** What the bot answers, before a platform formats it. */
export type ChatReply = { kind: 'text'; text: string } | { kind: 'card'; card: ReportCard };

/** A chat reader's subscription as the commands need it. */
export interface ChatSubscription {
  subscription_id: string;
  tickers: string[];
  language: Language;
  active: boolean;
  deliver_at?: string | null;
}

/**
 * The part of the delivery subscription store the chat commands use (`SubscriptionStore` of src/delivery
 * satisfies it): a chat reader's watchlist is their `line` / `telegram` subscription, keyed by (channel, address).
 */
export interface ChatSubscriptions {
  getSubscriptionByAddress(channel: ChannelName, address: string): Promise<ChatSubscription | undefined>;
  upsertSubscription(
    input: { channel: ChannelName; address: string; tickers: string[]; language: Language; deliver_at: string | null },
    now: string,
  ): Promise<{ subscription: ChatSubscription; created: boolean }>;
  addSubscriptionTickers(subscriptionId: string, tickers: string[], now: string): Promise<ChatSubscription | undefined>;
  removeSubscriptionTickers(subscriptionId: string, tickers: string[], now: string): Promise<ChatSubscription | undefined>;
  setSubscriptionLanguage(subscriptionId: string, language: Language, now: string): Promise<ChatSubscription | undefined>;
  disableSubscription(subscriptionId: string, reason: string, now: string): Promise<ChatSubscription | undefined>;
  enableSubscription(subscriptionId: string, now: string): Promise<ChatSubscription | undefined>;
}

export interface ChatHandlerDeps {
  resolver: SymbolResolver;
  /** The card of a DR symbol's latest report (the server's `ReportCards`, from its in-memory cache). */
  cards: { card(symbol: string, language: Language): ReportCard | undefined };
  /** Absent when this build has no subscription store: watchlist commands then say so. */
  subscriptions?: ChatSubscriptions;
  /** The morning brief of the latest run in a language, or undefined when there is none yet. */
  brief: (language: Language) => MorningBrief | undefined;
  now: () => Date;
  /** Most tickers one watchlist holds. */
  maxWatchlist: number;
}

export interface ChatReader {
  channel: Extract<ChannelName, 'line' | 'telegram'>;
  /** LINE userId or Telegram chat id. */
  address: string;
}

const text = (t: string): ChatReply => ({ kind: 'text', text: t });

/**
 * Runs one chat message for one reader and says what to answer. Report cards come from memory; only watchlist
 * commands touch the store, and only the reader's own subscription (the address comes from the authenticated
 * webhook, never from the message).
 */
export class ChatHandler {
  constructor(private readonly deps: ChatHandlerDeps) {}

  async handleText(reader: ChatReader, message: string): Promise<ChatReply[]> {
    const subscription = await this.deps.subscriptions?.getSubscriptionByAddress(reader.channel, reader.address);
    const language = subscription?.language ?? 'th';
    return this.run(parseChatCommand(message, this.deps.resolver), reader, subscription, language);
  }

  /** Stickers, images, locations…: a short hint in the reader's language. */
  async handleOther(reader: ChatReader): Promise<ChatReply[]> {
    const language = (await this.deps.subscriptions?.getSubscriptionByAddress(reader.channel, reader.address))?.language ?? 'th';
    return [text(CHAT_TEXTS[language].help)];
  }

  /** A LINE `follow` event (the reader added the bot, or unblocked it): greet, explain, and resume a paused watchlist. */
  async greet(reader: ChatReader): Promise<ChatReply[]> {
    const subscription = await this.deps.subscriptions?.getSubscriptionByAddress(reader.channel, reader.address);
    if (subscription && !subscription.active) await this.deps.subscriptions!.enableSubscription(subscription.subscription_id, this.nowIso());
    const t = CHAT_TEXTS[subscription?.language ?? 'th'];
    return [text(`${t.greeting}\n\n${t.help}`)];
  }

  /** A LINE `unfollow` event (blocked or removed the bot): the subscription stops, with that reason. */
  async readerLeft(reader: ChatReader, reason: string): Promise<void> {
    const subscription = await this.deps.subscriptions?.getSubscriptionByAddress(reader.channel, reader.address);
    if (subscription?.active) await this.deps.subscriptions!.disableSubscription(subscription.subscription_id, reason, this.nowIso());
  }

  private nowIso(): string {
    return this.deps.now().toISOString();
  }

  private unknownReplies(unknown: UnknownSymbol[], language: Language): ChatReply[] {
    return unknown.length === 0 ? [] : [text(unknown.map((u) => CHAT_TEXTS[language].unknownSymbol(u.input, u.suggestions)).join('\n'))];
  }

  private async run(command: ChatCommand, reader: ChatReader, subscription: ChatSubscription | undefined, language: Language): Promise<ChatReply[]> {
    const t = CHAT_TEXTS[language];
    const subs = this.deps.subscriptions;
    switch (command.kind) {
      case 'help':
        return [text(t.help)];
      case 'need_symbols':
        return [text(t.needSymbols(command.command))];
      case 'symbol_too_long':
        return [text(t.symbolTooLong)];
      case 'not_understood':
        return [text(t.notUnderstood(command.text))];
      case 'report': {
        const replies: ChatReply[] = [];
        const missing: string[] = [];
        for (const symbol of command.symbols) {
          const card = this.deps.cards.card(symbol, language);
          if (card) replies.push({ kind: 'card', card });
          else missing.push(symbol);
        }
        if (missing.length > 0) replies.push(text(missing.map((s) => t.noReportYet(s)).join('\n')));
        return [...replies, ...this.unknownReplies(command.unknown, language)].slice(0, MAX_CARDS_PER_MESSAGE);
      }
      case 'brief': {
        const brief = this.deps.brief(language);
        if (!brief) return [text(t.briefUnavailable)];
        return [text(`${t.digestTitle(brief.business_date)}\n\n${markdownToChatText(brief.narrative)}`)];
      }
      case 'follow':
      case 'unfollow':
      case 'list':
      case 'lang':
        if (!subs) return [text(t.watchlistsUnavailable)];
        return this.runWatchlist(command, reader, subscription, language, subs);
    }
  }

  private async runWatchlist(
    command: Extract<ChatCommand, { kind: 'follow' | 'unfollow' | 'list' | 'lang' }>,
    reader: ChatReader,
    subscription: ChatSubscription | undefined,
    language: Language,
    subs: ChatSubscriptions,
  ): Promise<ChatReply[]> {
    const t = CHAT_TEXTS[language];
    const now = this.nowIso();
    switch (command.kind) {
      case 'follow': {
        const replies = this.unknownReplies(command.unknown, language);
        if (command.symbols.length === 0) return replies;
        const held = subscription?.tickers ?? [];
        const added = command.symbols.filter((s) => !held.includes(s));
        if (held.length + added.length > this.deps.maxWatchlist) return [text(t.tooMany(this.deps.maxWatchlist)), ...replies];
        let after: ChatSubscription | undefined;
        if (!subscription) {
          after = (await subs.upsertSubscription({ channel: reader.channel, address: reader.address, tickers: command.symbols, language, deliver_at: null }, now))
            .subscription;
        } else {
          if (!subscription.active) await subs.enableSubscription(subscription.subscription_id, now);
          after = await subs.addSubscriptionTickers(subscription.subscription_id, command.symbols, now);
        }
        return [text(t.followed(added, after?.tickers ?? [...held, ...added])), ...replies];
      }
      case 'unfollow': {
        const replies = this.unknownReplies(command.unknown, language);
        if (command.symbols.length === 0) return replies;
        const held = subscription?.tickers ?? [];
        const removed = command.symbols.filter((s) => held.includes(s));
        const absent = command.symbols.filter((s) => !held.includes(s));
        if (absent.length > 0) replies.unshift(text(t.notFollowing(absent)));
        if (removed.length > 0 && subscription) {
          const after = await subs.removeSubscriptionTickers(subscription.subscription_id, removed, now);
          replies.unshift(text(t.unfollowed(removed, after?.tickers ?? held.filter((s) => !removed.includes(s)))));
        }
        return replies;
      }
      case 'list': {
        const held = subscription?.active ? subscription.tickers : [];
        return [text(held.length > 0 ? t.list(held) : t.emptyList)];
      }
      case 'lang': {
        if (!command.language) return [text(t.languageUsage)];
        if (subscription) await subs.setSubscriptionLanguage(subscription.subscription_id, command.language, now);
        else await subs.upsertSubscription({ channel: reader.channel, address: reader.address, tickers: [], language: command.language, deliver_at: null }, now);
        return [text(CHAT_TEXTS[command.language].languageSet)];
      }
    }
  }

  /** Never lets one reader's failure become a crash: a store error is logged by the caller and answered politely. */
  static failureReply(error: unknown, language: Language = 'th'): { replies: ChatReply[]; error: string } {
    return { replies: [text(CHAT_TEXTS[language].unavailable)], error: errorMessage(error) };
  }
}
