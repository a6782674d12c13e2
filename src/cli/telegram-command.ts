import { Api, GrammyError } from 'grammy';
import type { Config } from '../config.js';
import { errorMessage, InputError } from '../errors.js';
import type { CliIo } from './cli-io.js';

/** The updates the bot reads: chat messages only (no inline queries, no channel posts). */
const ALLOWED_UPDATES = ['message'] as const;

/**
 * `daybreak telegram set-webhook`: tells Telegram to post the bot's updates to `${PUBLIC_BASE_URL}/webhooks/telegram`
 * (or `--url`) with `TELEGRAM_WEBHOOK_SECRET` as `X-Telegram-Bot-Api-Secret-Token`. Bad configuration, or a URL
 * Telegram refuses (not https…), exits 2 with Telegram's reason; the token is never printed.
 */
export async function telegramSetWebhookCommand(config: Config, flags: { url?: string; dropPending?: boolean; json?: boolean }, io: CliIo): Promise<number> {
  if (!config.TELEGRAM_BOT_TOKEN || !config.TELEGRAM_WEBHOOK_SECRET) {
    throw new InputError('set TELEGRAM_BOT_TOKEN (from @BotFather) and TELEGRAM_WEBHOOK_SECRET (16–256 of A-Z a-z 0-9 _ -) first');
  }
  if (!flags.url && !config.PUBLIC_BASE_URL) {
    throw new InputError('set PUBLIC_BASE_URL (the https address readers reach this server at), or pass --url');
  }
  const url = flags.url ?? `${config.PUBLIC_BASE_URL}/webhooks/telegram`;
  if (!/^https?:\/\/[^\s]+$/.test(url)) throw new InputError(`--url must be an absolute URL, got "${url}"`);
  const api = new Api(config.TELEGRAM_BOT_TOKEN, { apiRoot: config.TELEGRAM_API_BASE_URL.replace(/\/+$/, '') });
  try {
    await api.setWebhook(url, {
      secret_token: config.TELEGRAM_WEBHOOK_SECRET,
      allowed_updates: [...ALLOWED_UPDATES],
      drop_pending_updates: flags.dropPending ?? false,
    });
  } catch (error) {
    if (error instanceof GrammyError) {
      if (error.error_code === 401 || error.error_code === 404) throw new InputError(`Telegram refused the bot token: ${error.description}`);
      throw new InputError(`Telegram refused the webhook ${url}: ${error.description}`);
    }
    io.err(`daybreak: cannot reach Telegram at ${config.TELEGRAM_API_BASE_URL}: ${errorMessage(error)}`);
    return 1;
  }
  if (flags.json) io.out(JSON.stringify({ ok: true, url, allowed_updates: ALLOWED_UPDATES, drop_pending_updates: flags.dropPending ?? false }, null, 2));
  else io.out(`Telegram will post the bot's messages to ${url} (secret token set; updates: ${ALLOWED_UPDATES.join(', ')})`);
  return 0;
}
