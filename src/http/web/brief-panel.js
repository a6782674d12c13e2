/**
 * The morning brief above the ticker list: breadth, calls, best and worst, by market, and its narrative (numbers
 * injected by the server). Loads on its own, so the list never waits for it; absent until the first run.
 */
import { API, ApiError, api } from './api.js';
import { badge, changeClass, fmtDate, fmtPct, h, textLang } from './dom.js';
import { renderMarkdown } from './markdown.js';
import { LANG, S } from './strings.js';

/** An empty placeholder at once; filled when `/api/v1/brief` answers (removed when there is no brief yet). */
export function briefPanel(scope) {
  const panel = h('section', { class: 'brief', id: 'morning-brief', 'aria-labelledby': 'brief-title', hidden: true });
  void load(panel, scope);
  return panel;
}

const movers = (list) =>
  list.map((m, i) => [i > 0 ? ', ' : '', h('a', { href: `#/report/${encodeURIComponent(m.ticker)}` }, m.ticker), ' ', h('span', { class: changeClass(m.price_change_pct) }, fmtPct(m.price_change_pct))]).flat();

async function load(panel, scope) {
  let brief;
  try {
    // The brief is the page's own summary of the market: in the page's language (the server keeps one per language).
    brief = await api(`${API}/brief?language=${LANG}`, { signal: scope.signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return panel.remove();
    if (!scope.alive) return;
    panel.replaceChildren(h('p', { class: 'muted' }, S.brief.unavailable));
    panel.hidden = false;
    return;
  }
  if (!scope.alive) return;
  panel.replaceChildren(
    h(
      'div',
      { class: 'page-head' },
      h('h2', { id: 'brief-title' }, S.brief.title),
      h('p', { class: 'list-summary' }, fmtDate(brief.business_date), brief.data_source === 'demo' ? ' · ' : '', brief.data_source === 'demo' ? badge(S.demo, 'demo', S.demoTitle) : ''),
    ),
    h(
      'p',
      { class: 'brief__breadth' },
      h('span', { class: 'chg--up' }, S.brief.up(brief.advancers)),
      ' · ',
      h('span', { class: 'chg--down' }, S.brief.down(brief.decliners)),
      S.brief.rest(brief.unchanged, brief.total, brief.calls.BUY, brief.calls.HOLD, brief.calls.SELL),
    ),
    h('p', { class: 'brief__movers' }, S.brief.best, ...movers(brief.best), S.brief.worst, ...movers(brief.worst)),
    h(
      'ul',
      { class: 'brief__markets' },
      brief.by_market.map((m) =>
        h('li', { 'data-market': m.market }, S.brief.median(S.brief.market[m.market] ?? m.market, m.count), h('span', { class: changeClass(m.median_change_pct) }, fmtPct(m.median_change_pct))),
      ),
    ),
    h('div', { class: 'brief__narrative', lang: textLang(brief.narrative) }, renderMarkdown(brief.narrative)),
  );
  panel.hidden = false;
  panel.setAttribute('data-loaded', 'true');
}
