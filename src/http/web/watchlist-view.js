/**
 * The Telegram Mini App reader's own watchlist (`#/watchlist`) and the follow / unfollow button of the report view.
 * Both read and replace it through `GET/PUT /api/v1/me/watchlist`, which trust only Telegram's signed init data
 * (`X-Telegram-Init-Data`); the server resolves any symbol form and answers with the list as stored. Outside Telegram
 * (no init data) neither exists.
 */
import { API, ApiError, SNAPSHOT, api, didYouMean, errorBox, errorMessage } from './api.js';
import { h } from './dom.js';
import { setView } from './router.js';
import { LANG, S } from './strings.js';
import { inTelegram, telegramInitData } from './telegram-webapp.js';

const WATCHLIST = `${API}/me/watchlist`;

/** Whether this page can edit a watchlist: inside Telegram, on the live server. */
export const hasWatchlist = () => inTelegram && !SNAPSHOT && Boolean(telegramInitData());

async function loadWatchlist(signal) {
  return api(WATCHLIST, { signal, initData: telegramInitData() });
}

/**
 * Replaces the watchlist with `tickers` (any symbol form); resolves with the stored subscription. `language`, when
 * given, becomes the digest's language; otherwise the server keeps the stored one.
 */
async function saveWatchlist(tickers, signal, language) {
  return api(WATCHLIST, { method: 'PUT', body: { tickers, ...(language && { language }) }, signal, initData: telegramInitData() });
}

/**
 * The language a save should set: the page's, when the reader has no subscription yet (their first follow creates it,
 * and the page speaks their language); none otherwise, since a digest language chosen with `/lang` is not undone by
 * following one more ticker.
 */
const languageForSave = (subscription) => (subscription.active || subscription.tickers.length > 0 ? undefined : LANG);

export async function watchlistView(scope) {
  const list = h('ul', { class: 'watchlist__items', id: 'watchlist-items' });
  const summary = h('p', { class: 'list-summary', id: 'watchlist-summary' }, S.watchlist.loading);
  const message = h('div', { class: 'form-message', role: 'status', id: 'watchlist-message' });
  const input = h('input', {
    type: 'text',
    id: 'watchlist-symbol',
    name: 'symbol',
    placeholder: S.watchlist.addPlaceholder,
    autocomplete: 'off',
    autocapitalize: 'characters',
    spellcheck: 'false',
    maxlength: 20,
  });
  const addButton = h('button', { type: 'submit', class: 'button button--primary', id: 'watchlist-add' }, S.watchlist.add);
  const digestLanguage = h('p', { class: 'small watchlist__language', id: 'watchlist-language' });
  let subscription = { tickers: /** @type {string[]} */ ([]), language: LANG, active: false };
  let busy = false;

  const say = (text, error) => {
    message.className = error ? 'form-message form-message--error' : 'form-message';
    message.replaceChildren(...(Array.isArray(text) ? text : [text]).filter(Boolean));
  };

  /** Which language the digests arrive in, and a button to have them in the page's when that differs. */
  function renderLanguage() {
    if (subscription.tickers.length === 0) return digestLanguage.replaceChildren();
    const same = subscription.language === LANG;
    digestLanguage.replaceChildren(
      S.watchlist.digestIn(S.languageNames[subscription.language] ?? subscription.language),
      ...(same
        ? []
        : [' ', h('button', { type: 'button', class: 'link-button', id: 'watchlist-use-language', onClick: () => change(subscription.tickers, S.watchlist.digestLanguageSet, LANG) }, S.watchlist.useLanguage)]),
    );
  }

  function render() {
    renderLanguage();
    summary.textContent = subscription.tickers.length ? S.watchlist.count(subscription.tickers.length) : S.watchlist.empty;
    list.replaceChildren(
      ...subscription.tickers.map((t) =>
        h(
          'li',
          { class: 'watchlist__item', 'data-ticker': t },
          h('a', { href: `#/report/${encodeURIComponent(t)}`, class: 'sym__link' }, t),
          h('button', { type: 'button', class: 'button button--quiet watchlist__remove', 'aria-label': S.watchlist.removeLabel(t), onClick: () => change(subscription.tickers.filter((x) => x !== t), S.watchlist.unfollowed(t)) }, S.watchlist.remove),
        ),
      ),
    );
  }

  /**
   * PUTs `next` (and `language`, else the one a save sets); on success shows the stored list and `done`, on failure
   * the API's error (and its suggestions).
   */
  async function change(next, done, language = languageForSave(subscription)) {
    if (busy) return;
    busy = true;
    addButton.disabled = true;
    say(S.watchlist.saving);
    try {
      const saved = await saveWatchlist(next, scope.signal, language);
      if (!scope.alive) return;
      subscription = saved;
      render();
      say(typeof done === 'function' ? done(saved.tickers) : done);
      return true;
    } catch (error) {
      if (!scope.alive) return;
      const suggestions = error instanceof ApiError ? error.details?.suggestions : null;
      // A suggestion is a button that adds it: the reader meant to follow something.
      const choice = (s) => h('button', { type: 'button', class: 'link-button', 'data-suggestion': s, onClick: () => add(s) }, s);
      say([h('p', {}, errorMessage(error)), didYouMean(suggestions, choice)], true);
      return false;
    } finally {
      busy = false;
      addButton.disabled = false;
    }
  }

  async function add(symbol) {
    if (!symbol) {
      say(S.watchlist.needSymbol, true);
      input.focus();
      return;
    }
    const before = new Set(subscription.tickers);
    const ok = await change([...subscription.tickers, symbol], (stored) => {
      const added = stored.filter((t) => !before.has(t));
      return added.length ? S.watchlist.followed(added.join(', ')) : S.watchlist.already(symbol.toUpperCase());
    });
    if (ok) input.value = '';
  }

  const form = h(
    'form',
    {
      class: 'card watchlist__form',
      id: 'watchlist-form',
      onSubmit: (event) => {
        event.preventDefault();
        void add(input.value.trim());
      },
    },
    h('label', { for: input.id, class: 'field field--wide' }, h('span', { class: 'field__label' }, S.watchlist.addLabel), input),
    h('div', { class: 'run-form__actions' }, addButton),
  );

  const section = h(
    'section',
    { class: 'watchlist', 'aria-labelledby': 'watchlist-title' },
    h('div', { class: 'page-head' }, h('h1', { id: 'watchlist-title' }, S.watchlist.title), summary),
    h('p', { class: 'muted' }, S.watchlist.intro),
    list,
    digestLanguage,
    form,
    message,
  );
  setView(S.watchlist.title, section);
  try {
    const data = await loadWatchlist(scope.signal);
    if (!scope.alive) return;
    subscription = data;
    render();
    section.setAttribute('data-loaded', 'true');
  } catch (error) {
    if (!scope.alive) return;
    summary.replaceChildren();
    list.replaceChildren();
    form.remove();
    section.append(errorBox(error));
  }
}

/**
 * Follow / unfollow for the report of `ticker`, inside Telegram only (null elsewhere). It appears once the
 * watchlist has loaded, so it always says what a click will do.
 */
export function followButton(ticker, scope) {
  if (!hasWatchlist()) return null;
  const status = h('span', { class: 'follow__status small', role: 'status', id: 'follow-status' });
  const button = h('button', { type: 'button', class: 'button follow__button', id: 'follow-button', hidden: true });
  let subscription = { tickers: /** @type {string[]} */ ([]), active: false };
  const following = () => subscription.tickers.includes(ticker);
  const show = () => {
    button.textContent = following() ? S.report.unfollow : S.report.follow;
    button.setAttribute('aria-pressed', String(following()));
    button.classList.toggle('button--primary', !following());
    button.hidden = false;
  };
  button.addEventListener('click', async () => {
    button.disabled = true;
    const wasFollowing = following();
    try {
      const saved = await saveWatchlist(wasFollowing ? subscription.tickers.filter((t) => t !== ticker) : [...subscription.tickers, ticker], scope.signal, languageForSave(subscription));
      if (!scope.alive) return;
      subscription = saved;
      show();
      status.className = 'follow__status small';
      status.textContent = wasFollowing ? S.watchlist.unfollowed(ticker) : S.watchlist.followed(ticker);
    } catch (error) {
      if (!scope.alive) return;
      status.className = 'follow__status small form-message--error';
      status.textContent = errorMessage(error);
    } finally {
      button.disabled = false;
    }
  });
  loadWatchlist(scope.signal).then(
    (data) => {
      if (!scope.alive) return;
      subscription = data;
      show();
    },
    (error) => {
      // A server without Telegram configured (404) has no watchlists: no button, nothing to say.
      if (!scope.alive || (error instanceof ApiError && error.status === 404)) return;
      status.className = 'follow__status small form-message--error';
      status.textContent = errorMessage(error);
    },
  );
  return h('span', { class: 'follow' }, button, status);
}
