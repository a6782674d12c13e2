/**
 * Daybreak's web page: the ticker list, a report view and the execution monitor, on the JSON API of the same
 * process. Plain ES modules, no framework, no build: one module per view, `dom.js` (the `h()` builder and
 * formatting), `api.js` (fetch helper), `router.js` (hash routes and view lifetimes). A new view is a module of its
 * own and one line in ROUTES.
 *
 * Safety: every piece of server text goes into the page as a text node (the `h()` builder never parses HTML), and
 * the narrative is turned into DOM nodes by markdown.js, so a report can never inject markup.
 */
// First: inside Telegram it takes the launch parameters out of the hash before the router reads it (and strings.js
// reads the Telegram user's language).
import { inTelegram } from './telegram-webapp.js';
import { SNAPSHOT } from './api.js';
import { executionView } from './execution-view.js';
import { executionsView } from './executions-view.js';
import { listView } from './list-view.js';
import { reportView } from './report-view.js';
import { rerender, startRouter } from './router.js';
import { LANG, LOCALE, onLanguageChange, S, setLanguage } from './strings.js';
import { trackRecordView } from './track-record-view.js';
import { watchlistView } from './watchlist-view.js';

/** Path pattern → view; the pattern's groups are the view's parameters. */
const ROUTES = [
  [/^\/?$/, listView],
  [/^\/report\/([^/]+)\/?$/, reportView],
  [/^\/executions\/?$/, executionsView],
  [/^\/executions\/([^/]+)\/?$/, executionView],
  [/^\/track-record\/?$/, trackRecordView],
  [/^\/track-record\/([^/]+)\/?$/, trackRecordView],
  // The reader's own watchlist exists only inside Telegram, where the signed init data says who the reader is.
  ...(inTelegram && !SNAPSHOT ? [[/^\/watchlist\/?$/, watchlistView]] : []),
].filter(([pattern]) => !SNAPSHOT || !pattern.source.includes('executions'));

// A static snapshot has no live executions and runs nothing: the monitor and the admin parts are left out.
if (SNAPSHOT) {
  document.querySelector('[data-nav="executions"]')?.closest('li')?.remove();
  document.documentElement.classList.add('is-snapshot');
  const note = document.createElement('p');
  note.className = 'snapshot-note';
  note.id = 'snapshot-note';
  document.querySelector('.site-header__inner')?.append(note);
}

if (inTelegram && !SNAPSHOT) {
  const item = document.createElement('li');
  const link = Object.assign(document.createElement('a'), { href: '#/watchlist' });
  link.setAttribute('data-nav', 'watchlist');
  link.setAttribute('data-i18n', 'nav.watchlist');
  item.append(link);
  document.querySelector('.nav')?.append(item);
}

/** `nav.list` → S.nav.list. */
const lookup = (path) => path.split('.').reduce((o, k) => o?.[k], S);

/** The page's own words outside the views (index.html's `data-i18n` / `data-i18n-label`) in the current language. */
function translateChrome() {
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = lookup(el.getAttribute('data-i18n')) ?? el.textContent;
  for (const el of document.querySelectorAll('[data-i18n-label]')) el.setAttribute('aria-label', lookup(el.getAttribute('data-i18n-label')) ?? '');
  for (const button of document.querySelectorAll('.lang-switch [data-lang]')) button.setAttribute('aria-pressed', String(button.getAttribute('data-lang') === LANG));
  const note = document.getElementById('snapshot-note');
  if (note && SNAPSHOT) note.textContent = S.snapshotNote(new Date(SNAPSHOT).toLocaleString(LOCALE));
}

for (const button of document.querySelectorAll('.lang-switch [data-lang]')) {
  button.addEventListener('click', () => setLanguage(button.getAttribute('data-lang')));
}
onLanguageChange(() => {
  translateChrome();
  rerender();
});
translateChrome();

/** Path prefix → the header link (`data-nav`) marked current. */
const NAV_SECTIONS = [
  ['/executions', 'executions'],
  ['/report', 'report'],
  ['/track-record', 'track-record'],
  ['/watchlist', 'watchlist'],
];

startRouter(ROUTES, NAV_SECTIONS);
