/**
 * The morning brief above the ticker list: breadth, calls, best and worst, by market, and its narrative (numbers
 * injected by the server). Loads on its own, so the list never waits for it; absent until the first run.
 */
import { API, ApiError, api } from './api.js';
import { badge, changeClass, fmtDate, fmtPct, h } from './dom.js';
import { renderMarkdown } from './markdown.js';

const MARKET_LABEL = { US: 'US', SG: 'Singapore', HK: 'Hong Kong', JP: 'Tokyo', VN: 'Vietnam', TW: 'Taiwan' };

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
    brief = await api(`${API}/brief`, { signal: scope.signal });
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) return panel.remove();
    if (!scope.alive) return;
    panel.replaceChildren(h('p', { class: 'muted' }, 'The morning brief is unavailable right now.'));
    panel.hidden = false;
    return;
  }
  if (!scope.alive) return;
  panel.replaceChildren(
    h(
      'div',
      { class: 'page-head' },
      h('h2', { id: 'brief-title' }, 'Morning brief'),
      h('p', { class: 'list-summary' }, fmtDate(brief.business_date), brief.data_source === 'demo' ? ' · ' : '', brief.data_source === 'demo' ? badge('demo data', 'demo', 'Synthetic prices, not market data') : ''),
    ),
    h(
      'p',
      { class: 'brief__breadth' },
      h('span', { class: 'chg--up' }, `${brief.advancers} up`),
      ' · ',
      h('span', { class: 'chg--down' }, `${brief.decliners} down`),
      ` · ${brief.unchanged} unchanged of ${brief.total} · calls: ${brief.calls.BUY} BUY, ${brief.calls.HOLD} HOLD, ${brief.calls.SELL} SELL`,
    ),
    h('p', { class: 'brief__movers' }, 'Best: ', ...movers(brief.best), ' · Worst: ', ...movers(brief.worst)),
    h(
      'ul',
      { class: 'brief__markets' },
      brief.by_market.map((m) =>
        h('li', { 'data-market': m.market }, `${MARKET_LABEL[m.market] ?? m.market} (${m.count}): median `, h('span', { class: changeClass(m.median_change_pct) }, fmtPct(m.median_change_pct))),
      ),
    ),
    h('div', { class: 'brief__narrative' }, renderMarkdown(brief.narrative)),
  );
  panel.hidden = false;
  panel.setAttribute('data-loaded', 'true');
}
