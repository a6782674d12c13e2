import { createHmac, timingSafeEqual } from 'node:crypto';

/** Telegram Mini App init data older than this is refused (DESIGN §10). */
export const INIT_DATA_MAX_AGE_S = 24 * 3600;

export type InitDataCheck = { ok: true; userId: string; authDate: number } | { ok: false; reason: string };

/** The data-check string of Telegram's scheme: every field but `hash`, `key=value`, sorted by key, joined by \n. */
function dataCheckString(params: URLSearchParams): string {
  return [...params.entries()]
    .filter(([key]) => key !== 'hash')
    .map(([key, value]) => `${key}=${value}`)
    .sort()
    .join('\n');
}

/** Signs init data as Telegram does (for tests and the fake): HMAC-SHA256 keyed with HMAC-SHA256("WebAppData", token). */
export function signInitData(fields: Record<string, string>, botToken: string): string {
  const params = new URLSearchParams(fields);
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  params.set('hash', createHmac('sha256', secret).update(dataCheckString(params)).digest('hex'));
  return params.toString();
}

/**
 * Validates `Telegram.WebApp.initData` (core.telegram.org/bots/webapps#validating-data-received-via-the-mini-app):
 * the hash must be the HMAC-SHA256 of the data-check string keyed with HMAC-SHA256("WebAppData", bot token),
 * compared in constant time; `auth_date` at most 24 hours old; a `user` with an integer id. The user id is the only
 * thing trusted, and only from signed data.
 */
export function verifyInitData(initData: string | undefined, botToken: string, nowS: number): InitDataCheck {
  if (!initData || initData.length > 8192) return { ok: false, reason: 'X-Telegram-Init-Data is missing or too long' };
  const params = new URLSearchParams(initData);
  const hash = params.get('hash') ?? '';
  if (!/^[0-9a-f]{64}$/.test(hash)) return { ok: false, reason: 'init data carries no valid hash' };
  const secret = createHmac('sha256', 'WebAppData').update(botToken).digest();
  const expected = createHmac('sha256', secret).update(dataCheckString(params)).digest();
  if (!timingSafeEqual(expected, Buffer.from(hash, 'hex'))) return { ok: false, reason: 'init data signature does not match' };
  const authDate = Number(params.get('auth_date'));
  if (!Number.isInteger(authDate)) return { ok: false, reason: 'init data has no auth_date' };
  if (nowS - authDate > INIT_DATA_MAX_AGE_S) return { ok: false, reason: 'init data is more than 24 hours old: reopen the Mini App' };
  if (authDate - nowS > 300) return { ok: false, reason: 'init data auth_date is in the future' };
  let userId: unknown;
  try {
    userId = (JSON.parse(params.get('user') ?? 'null') as { id?: unknown } | null)?.id;
  } catch {
    userId = undefined;
  }
  if (typeof userId !== 'number' || !Number.isInteger(userId)) return { ok: false, reason: 'init data names no user' };
  return { ok: true, userId: String(userId), authDate };
}
