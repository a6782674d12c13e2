/** The execution monitor's list (`#/executions`), with the status and progress pieces the detail view shares. */
import { API, LIVE_POLL_MS, api, errorBox, itemsOf } from './api.js';
import { badge, DASH, fmtDuration, h, time } from './dom.js';
import { setView } from './router.js';
import { S } from './strings.js';
import { runForm } from './run-form.js';

/** With nothing running, the executions list still looks now and then for a run started elsewhere (the scheduler). */
const IDLE_POLL_MS = 15_000;

const STATUS_KIND = {
  running: 'running',
  in_progress: 'running',
  pending: 'muted',
  completed: 'stance-bullish',
  completed_with_failures: 'stale',
  failed: 'stance-bearish',
  timed_out: 'stance-bearish',
};
export const statusLabel = (status) => S.executions.status[status] ?? String(status).replaceAll('_', ' ');
export const statusBadge = (status) => badge(statusLabel(status), STATUS_KIND[status] ?? 'muted');

export function progressBar(e) {
  const total = e.total ?? 0;
  const done = (e.completed ?? 0) + (e.failed ?? 0);
  const pct = total ? (done / total) * 100 : e.status === 'running' ? 0 : 100;
  const ok = h('span', { class: 'progress__ok' });
  const bad = h('span', { class: 'progress__bad' });
  ok.style.width = `${total ? ((e.completed ?? 0) / total) * 100 : 0}%`;
  bad.style.width = `${total ? ((e.failed ?? 0) / total) * 100 : 0}%`;
  return h(
    'div',
    {
      class: ['progress', e.status === 'running' && 'progress--live'],
      role: 'progressbar',
      'aria-valuemin': 0,
      'aria-valuemax': total,
      'aria-valuenow': done,
      'aria-valuetext': S.executions.progressAria(done, total, e.failed),
      'aria-label': S.executions.progressLabel(e.execution_id),
      'data-done': done,
      'data-total': total,
      'data-pct': Math.round(pct),
    },
    ok,
    bad,
  );
}

export function progressText(e) {
  const total = e.total ?? 0;
  const done = (e.completed ?? 0) + (e.failed ?? 0);
  return `${done} / ${total}${total ? ` (${Math.round((done / total) * 100)}%)` : ''}`;
}

export async function executionsView(scope) {
  const body = h('div', { class: 'table-wrap' }, h('p', { class: 'loading' }, S.executions.loading));
  setView(
    S.executions.title,
    h(
      'section',
      { class: 'executions', 'aria-labelledby': 'exec-title' },
      h('div', { class: 'page-head' }, h('h1', { id: 'exec-title' }, S.executions.title), h('p', { class: 'muted' }, S.executions.subtitle)),
      runForm({}),
      body,
    ),
  );
  async function refresh() {
    let list;
    try {
      list = itemsOf(await api(`${API}/executions?limit=25`, { signal: scope.signal }), 'executions');
    } catch (error) {
      if (!scope.alive) return;
      body.replaceChildren(errorBox(error));
      scope.later(refresh, IDLE_POLL_MS);
      return;
    }
    if (!scope.alive) return;
    body.replaceChildren(executionsTable(list));
    scope.later(refresh, list.some((e) => e.status === 'running') ? LIVE_POLL_MS : IDLE_POLL_MS);
  }
  await refresh();
}

function executionsTable(list) {
  if (list.length === 0) return h('p', { class: 'muted' }, S.executions.none);
  return h(
    'table',
    { class: 'exec-table', id: 'executions-table' },
    h('caption', { class: 'visually-hidden' }, S.executions.caption),
    h(
      'thead',
      {},
      h('tr', {}, ...S.executions.columns.map((label, i) => h('th', { scope: 'col', class: [null, null, 'col-progress', 'col-source', null, 'num'][i] }, label))),
    ),
    h(
      'tbody',
      {},
      list.map((e) =>
        h(
          'tr',
          { 'data-execution': e.execution_id, 'data-status': e.status },
          h('th', { scope: 'row' }, h('a', { href: `#/executions/${encodeURIComponent(e.execution_id)}`, class: 'mono' }, e.execution_id)),
          h('td', {}, statusBadge(e.status)),
          h('td', { class: 'col-progress' }, h('div', { class: 'progress-cell' }, progressBar(e), h('span', { class: 'small muted' }, progressText(e), e.failed ? ` · ${S.executions.failed(e.failed)}` : ''))),
          h('td', { class: 'col-source' }, e.source ?? DASH),
          h('td', {}, time(e.started_at)),
          h('td', { class: 'num' }, e.status === 'running' ? fmtDuration(Date.now() - Date.parse(e.started_at)) : fmtDuration(e.duration_ms)),
        ),
      ),
    ),
  );
}
