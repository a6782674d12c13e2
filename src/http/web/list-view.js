/** The ticker list (`#/`): every ticker with its latest report's headline numbers, filtered and sorted in place. */
import { API, ApiError, api, errorBox, itemsOf } from './api.js';
import { badge, changeClass, fmtDate, fmtPct, fmtPrice, freshnessBadges, h, isNum, stanceBadge, STANCE_LABEL } from './dom.js';
import { briefPanel } from './brief-panel.js';
import { setView } from './router.js';

const listState = { filter: '', stance: 'all', sort: { key: 'change', dir: 'desc' }, rows: /** @type {any[] | null} */ (null) };

const SORTS = {
  ticker: (a, b) => a.ticker.localeCompare(b.ticker),
  price: (a, b) => (a.price ?? -Infinity) - (b.price ?? -Infinity),
  change: (a, b) => (a.price_change_pct ?? -Infinity) - (b.price_change_pct ?? -Infinity),
  as_of: (a, b) => String(a.as_of ?? '').localeCompare(String(b.as_of ?? '')),
};

export async function listView(scope) {
  const tbody = h('tbody');
  const caption = h('p', { class: 'list-summary', id: 'list-summary' }, 'Loading tickers…');
  const filterInput = h('input', {
    type: 'search',
    id: 'ticker-filter',
    placeholder: 'Symbol or company',
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
      h('option', { value: s, selected: listState.stance === s }, s === 'all' ? 'All stances' : STANCE_LABEL[s]),
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
    h('caption', { class: 'visually-hidden' }, 'Tickers with their latest report. Column headers sort.'),
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        sortHeader('ticker', 'Symbol'),
        sortHeader('price', 'Price', 'num'),
        sortHeader('change', 'Change', 'num'),
        h('th', { scope: 'col' }, 'Stance'),
        sortHeader('as_of', 'Freshness', 'col-fresh'),
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
            h('span', { class: 'sym__fresh' }, r.as_of ? `as of ${fmtDate(r.as_of)} ` : '', freshnessBadges(r)),
          ),
          h('td', { class: 'num' }, fmtPrice(r.price), r.currency && isNum(r.price) ? h('span', { class: 'ccy' }, r.currency) : null),
          h('td', { class: 'num' }, h('span', { class: changeClass(r.price_change_pct) }, fmtPct(r.price_change_pct))),
          h('td', { class: 'col-stance' }, stanceBadge(r.stance)),
          h(
            'td',
            { class: 'col-fresh' },
            r.as_of ? h('span', { class: 'asof' }, 'as of ', h('time', { datetime: r.as_of }, fmtDate(r.as_of))) : h('span', { class: 'muted' }, 'not computed yet'),
            ' ',
            freshnessBadges(r),
          ),
        ),
      ),
    );
    if (visible.length === 0) {
      tbody.append(
        h('tr', {}, h('td', { colspan: 5, class: 'empty' }, rows.length === 0 ? emptyUniverseMessage() : 'No ticker matches the filter.')),
      );
    }
    const withReport = rows.filter((r) => r.has_report);
    const counts = { bullish: 0, neutral: 0, bearish: 0 };
    for (const r of withReport) if (r.stance in counts) counts[r.stance]++;
    const latest = withReport.map((r) => r.as_of).filter(Boolean).sort().at(-1);
    caption.replaceChildren(
      `${visible.length === rows.length ? rows.length : `${visible.length} of ${rows.length}`} tickers`,
      withReport.length < rows.length ? ` (${withReport.length} with a report)` : '',
      ' · ',
      h('span', { class: 'chg--up' }, `${counts.bullish} bullish`),
      ' · ',
      `${counts.neutral} neutral · `,
      h('span', { class: 'chg--down' }, `${counts.bearish} bearish`),
      latest ? ` · latest data as of ${fmtDate(latest)}` : '',
      withReport.some((r) => r.data_source === 'demo') ? ' · ' : '',
      withReport.some((r) => r.data_source === 'demo') ? badge('demo data', 'demo', 'Synthetic prices, not market data') : '',
    );
  }

  const section = h(
    'section',
    { class: 'list', 'aria-labelledby': 'list-title' },
    briefPanel(scope),
    h('div', { class: 'page-head' }, h('h1', { id: 'list-title' }, 'Tickers'), caption),
    h(
      'div',
      { class: 'toolbar' },
      h('label', { for: 'ticker-filter', class: 'field' }, h('span', { class: 'field__label' }, 'Filter'), filterInput),
      h('label', { for: 'stance-filter', class: 'field' }, h('span', { class: 'field__label' }, 'Stance'), stanceSelect),
    ),
    h('div', { class: 'table-wrap' }, table),
  );
  setView('Tickers', section);

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
  return h(
    'span',
    {},
    'No reports yet. Start a run from ',
    h('a', { href: '#/executions' }, 'Executions'),
    ' or with ',
    h('code', {}, 'daybreak precompute'),
    '.',
  );
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
