/** The ticker list (`#/`): every ticker with its latest report's headline numbers, filtered and sorted in place. */
import { API, ApiError, SNAPSHOT, api, errorBox, itemsOf } from './api.js';
import { badge, changeClass, fmtDate, fmtPct, fmtPrice, freshnessBadges, h, isNum, stanceBadge } from './dom.js';
import { briefPanel } from './brief-panel.js';
import { setView } from './router.js';
import { S } from './strings.js';

const listState = { filter: '', stance: 'all', sort: { key: 'change', dir: 'desc' }, rows: /** @type {any[] | null} */ (null) };

const SORTS = {
  ticker: (a, b) => a.ticker.localeCompare(b.ticker),
  price: (a, b) => (a.price ?? -Infinity) - (b.price ?? -Infinity),
  change: (a, b) => (a.price_change_pct ?? -Infinity) - (b.price_change_pct ?? -Infinity),
  as_of: (a, b) => String(a.as_of ?? '').localeCompare(String(b.as_of ?? '')),
};

export async function listView(scope) {
  const tbody = h('tbody');
  const caption = h('p', { class: 'list-summary', id: 'list-summary' }, S.list.loading);
  const filterInput = h('input', {
    type: 'search',
    id: 'ticker-filter',
    placeholder: S.list.filterPlaceholder,
    autocomplete: 'off',
    spellcheck: 'false',
    value: listState.filter,
    'aria-controls': 'ticker-table',
    onInput: (e) => {
      listState.filter = e.target.value;
      renderRows();
    },
  });
  const stanceSelect = h(
    'select',
    {
      id: 'stance-filter',
      'aria-controls': 'ticker-table',
      onChange: (e) => {
        listState.stance = e.target.value;
        renderRows();
      },
    },
    ['all', 'bullish', 'neutral', 'bearish'].map((s) =>
      h('option', { value: s, selected: listState.stance === s }, s === 'all' ? S.list.allStances : S.stance[s]),
    ),
  );

  const headerCells = {};
  const sortHeader = (key, label, cls) => {
    const button = h('button', { type: 'button', class: 'sort', onClick: () => toggleSort(key) }, label, h('span', { class: 'sort__icon', 'aria-hidden': 'true' }));
    const th = h('th', { scope: 'col', class: cls }, button);
    headerCells[key] = th;
    return th;
  };
  const table = h(
    'table',
    { class: 'tickers', id: 'ticker-table' },
    h('caption', { class: 'visually-hidden' }, S.list.caption),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        sortHeader('ticker', S.list.columns.ticker),
        sortHeader('price', S.list.columns.price, 'num'),
        sortHeader('change', S.list.columns.change, 'num'),
        h('th', { scope: 'col' }, S.list.columns.stance),
        sortHeader('as_of', S.list.columns.as_of, 'col-fresh'),
      ),
    ),
    tbody,
  );

  function toggleSort(key) {
    const s = listState.sort;
    listState.sort = s.key === key ? { key, dir: s.dir === 'asc' ? 'desc' : 'asc' } : { key, dir: key === 'ticker' ? 'asc' : 'desc' };
    renderRows();
  }

  function renderRows() {
    const rows = listState.rows ?? [];
    const q = listState.filter.trim().toLowerCase();
    const visible = rows.filter(
      (r) =>
        (!q || r.ticker.toLowerCase().includes(q) || r.company_name.toLowerCase().includes(q)) &&
        (listState.stance === 'all' || r.stance === listState.stance),
    );
    const { key, dir } = listState.sort;
    visible.sort((a, b) => {
      // Tickers without a report sink to the bottom whatever the direction.
      if (a.has_report !== b.has_report) return a.has_report ? -1 : 1;
      const c = SORTS[key](a, b) || a.ticker.localeCompare(b.ticker);
      return dir === 'asc' ? c : -c;
    });
    for (const [k, th] of Object.entries(headerCells)) {
      if (k === key) th.setAttribute('aria-sort', dir === 'asc' ? 'ascending' : 'descending');
      else th.removeAttribute('aria-sort');
    }
    tbody.replaceChildren(
      ...visible.map((r) =>
        h(
          'tr',
          { 'data-ticker': r.ticker, class: r.has_report ? null : 'row--empty' },
          h(
            'th',
            { scope: 'row', class: 'sym' },
            h('a', { href: `#/report/${encodeURIComponent(r.ticker)}`, class: 'sym__link' }, r.ticker),
            h('span', { class: 'sym__name' }, r.company_name),
            // Narrow screens hide the freshness column and show it here.
            h('span', { class: 'sym__fresh' }, r.as_of ? `${S.list.asOf}${fmtDate(r.as_of)} ` : '', freshnessBadges(r)),
          ),
          h('td', { class: 'num' }, fmtPrice(r.price), r.currency && isNum(r.price) ? h('span', { class: 'ccy' }, r.currency) : null),
          h('td', { class: 'num' }, h('span', { class: changeClass(r.price_change_pct) }, fmtPct(r.price_change_pct))),
          h('td', { class: 'col-stance' }, stanceBadge(r.stance)),
          h(
            'td',
            { class: 'col-fresh' },
            r.as_of ? h('span', { class: 'asof' }, S.list.asOf, h('time', { datetime: r.as_of }, fmtDate(r.as_of))) : h('span', { class: 'muted' }, S.list.notComputed),
            ' ',
            freshnessBadges(r),
          ),
        ),
      ),
    );
    if (visible.length === 0) {
      tbody.append(
        h('tr', {}, h('td', { colspan: 5, class: 'empty' }, rows.length === 0 ? emptyUniverseMessage() : S.list.noMatch)),
      );
    }
    const withReport = rows.filter((r) => r.has_report);
    const counts = { bullish: 0, neutral: 0, bearish: 0 };
    for (const r of withReport) if (r.stance in counts) counts[r.stance]++;
    const latest = withReport.map((r) => r.as_of).filter(Boolean).sort().at(-1);
    caption.replaceChildren(
      S.list.count(visible.length, rows.length),
      withReport.length < rows.length ? S.list.withReport(withReport.length) : '',
      ' · ',
      h('span', { class: 'chg--up' }, S.list.bullish(counts.bullish)),
      ' · ',
      `${S.list.neutral(counts.neutral)} · `,
      h('span', { class: 'chg--down' }, S.list.bearish(counts.bearish)),
      latest ? S.list.latest(fmtDate(latest)) : '',
      withReport.some((r) => r.data_source === 'demo') ? ' · ' : '',
      withReport.some((r) => r.data_source === 'demo') ? badge(S.demo, 'demo', S.demoTitle) : '',
    );
  }

  const section = h(
    'section',
    { class: 'list', 'aria-labelledby': 'list-title' },
    briefPanel(scope),
    h('div', { class: 'page-head' }, h('h1', { id: 'list-title' }, S.list.title), caption),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'ticker-filter', class: 'field' }, h('span', { class: 'field__label' }, S.list.filter), filterInput),
      h('label', { for: 'stance-filter', class: 'field' }, h('span', { class: 'field__label' }, S.list.stance), stanceSelect),
    ),
    h('div', { class: 'table-wrap' }, table),
  );
  setView(S.list.title, section);

  if (listState.rows) renderRows();
  try {
    const rows = await loadTickerRows(scope.signal);
    if (!scope.alive) return;
    listState.rows = rows;
    renderRows();
    section.setAttribute('data-loaded', 'true');
  } catch (error) {
    if (!scope.alive) return;
    caption.replaceChildren();
    tbody.replaceChildren(h('tr', {}, h('td', { colspan: 5 }, errorBox(error))));
  }
}

function emptyUniverseMessage() {
  if (SNAPSHOT) return h('span', {}, S.list.emptySnapshot);
  const [before, middle, after] = S.list.empty;
  return h('span', {}, before, h('a', { href: '#/executions' }, S.nav.executions), middle, h('code', {}, 'daybreak precompute'), after);
}

/**
 * Every ticker with its latest report's headline numbers. Preferred: one endpoint listing the whole registry,
 * tickers without a report included. Failing that (404), the union of the two rankings that together cover every
 * stored report.
 */
async function loadTickerRows(signal) {
  try {
    const data = await api(`${API}/tickers`, { signal });
    const items = itemsOf(data, 'tickers');
    if (items.length > 0) return items.map(normalizeTickerRow);
  } catch (error) {
    if (!(error instanceof ApiError) || (error.status !== 404 && error.status !== 405)) throw error;
  }
  const lists = await Promise.all(
    ['top_gainers', 'top_losers'].map((category) => api(`${API}/rankings?category=${category}&limit=50`, { signal })),
  );
  const byTicker = new Map();
  for (const item of lists.flatMap((l) => itemsOf(l, 'rankings'))) byTicker.set(item.ticker, normalizeTickerRow(item));
  return [...byTicker.values()];
}

function normalizeTickerRow(item) {
  // Either a flat ranking item or a registry entry carrying its latest report (`report` / `latest_report`).
  const report = item.report ?? item.latest_report ?? item.latest ?? (item.stance !== undefined ? item : null);
  return {
    ticker: item.ticker ?? item.symbol,
    company_name: item.company_name ?? item.name ?? '',
    currency: item.currency ?? report?.currency ?? '',
    price: report?.price ?? null,
    price_change_pct: report?.price_change_pct ?? null,
    stance: report?.stance ?? null,
    recommendation: report?.recommendation ?? null,
    as_of: report?.as_of ?? null,
    stale: Boolean(report?.stale),
    data_source: report?.data_source ?? null,
    has_report: Boolean(report && report.stance),
  };
}
