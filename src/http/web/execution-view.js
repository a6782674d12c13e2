/** One execution (`#/executions/:id`): its summary, failures and per-ticker jobs, polled while it runs. */
import { API, ApiError, LIVE_POLL_MS, api, errorBox } from './api.js';
import { announce, DASH, fmtDate, fmtDuration, h, isNum, time } from './dom.js';
import { progressBar, progressText, statusBadge } from './executions-view.js';
import { setView } from './router.js';
import { runForm } from './run-form.js';

function describeRequest(req) {
  if (!req || typeof req !== 'object') return 'all active tickers';
  const parts = [];
  if (req.only_failed) parts.push(`failed jobs of ${req.only_failed}`);
  if (Array.isArray(req.tickers) && req.tickers.length) parts.push(req.tickers.length > 8 ? `${req.tickers.length} tickers` : req.tickers.join(', '));
  if (isNum(req.limit)) parts.push(`first ${req.limit}`);
  return parts.join(' · ') || 'all active tickers';
}

export async function executionView(scope, id) {
  const content = h('div', {}, h('p', { class: 'loading' }, `Loading ${id}…`));
  setView(
    id,
    h(
      'section',
      { class: 'execution', 'aria-labelledby': 'execution-title' },
      h('p', {}, h('a', { href: '#/executions', class: 'back' }, '← All executions')),
      h('h1', { id: 'execution-title', class: 'mono' }, id),
      content,
    ),
  );
  let lastStatus = null;
  async function refresh() {
    let e;
    try {
      e = await api(`${API}/executions/${encodeURIComponent(id)}`, { signal: scope.signal });
    } catch (error) {
      if (!scope.alive) return;
      content.replaceChildren(errorBox(error));
      if (!(error instanceof ApiError && error.status === 404)) scope.later(refresh, LIVE_POLL_MS * 3);
      return;
    }
    if (!scope.alive) return;
    content.replaceChildren(renderExecution(e));
    if (lastStatus === 'running' && e.status !== 'running') {
      announce(`Execution ${e.status.replaceAll('_', ' ')}: ${e.completed} completed, ${e.failed} failed.`);
    }
    lastStatus = e.status;
    if (e.status === 'running') scope.later(refresh, LIVE_POLL_MS);
  }
  await refresh();
}

const JOB_ORDER = { in_progress: 0, failed: 1, pending: 2, completed: 3 };

function renderExecution(e) {
  const jobs = [...(e.jobs ?? [])].sort((a, b) => a.ticker.localeCompare(b.ticker));
  const counts = {};
  for (const j of jobs) counts[j.status] = (counts[j.status] ?? 0) + 1;
  const running = e.status === 'running';
  return h(
    'div',
    { class: 'execution__body', 'data-status': e.status },
    h(
      'div',
      { class: 'card exec-summary' },
      h(
        'div',
        { class: 'exec-summary__top' },
        statusBadge(e.status),
        h('span', { class: 'exec-summary__count', id: 'execution-progress-text' }, progressText(e)),
        e.failed ? h('span', { class: 'chg--down' }, `${e.failed} failed`) : null,
        running ? h('span', { class: 'muted small' }, `updating every ${LIVE_POLL_MS / 1000} s`) : null,
      ),
      progressBar(e),
      h(
        'dl',
        { class: 'facts facts--grid' },
        h('dt', {}, 'Source'),
        h('dd', {}, e.source ?? DASH),
        h('dt', {}, 'Requested'),
        h('dd', {}, describeRequest(e.requested)),
        h('dt', {}, 'Business date'),
        h('dd', {}, fmtDate(e.business_date)),
        h('dt', {}, 'Started'),
        h('dd', {}, time(e.started_at)),
        h('dt', {}, running ? 'Deadline' : 'Finished'),
        h('dd', {}, running ? time(e.deadline_at) : time(e.finished_at)),
        h('dt', {}, 'Duration'),
        h('dd', {}, running ? `${fmtDuration(Date.now() - Date.parse(e.started_at))} so far` : fmtDuration(e.duration_ms)),
        h('dt', {}, 'Slowest job'),
        h('dd', {}, fmtDuration(e.slowest_job_ms)),
        h('dt', {}, 'Cost'),
        h('dd', {}, isNum(e.cost_usd) ? `$${e.cost_usd.toFixed(4)}` : DASH),
      ),
    ),
    e.failures?.length
      ? h(
          'section',
          { class: 'card failures', 'aria-labelledby': 'failures-title' },
          h('h2', { id: 'failures-title' }, `Failures (${e.failures.length})`),
          h('ul', {}, e.failures.map((f) => h('li', {}, h('strong', {}, f.ticker), ': ', f.error))),
          running ? null : runForm({ onlyFailed: e.execution_id }),
        )
      : null,
    h(
      'section',
      { 'aria-labelledby': 'jobs-title' },
      h(
        'h2',
        { id: 'jobs-title' },
        'Jobs ',
        h('span', { class: 'muted small' }, Object.entries(counts).sort(([a], [b]) => (JOB_ORDER[a] ?? 9) - (JOB_ORDER[b] ?? 9)).map(([s, n]) => `${n} ${s.replace('_', ' ')}`).join(' · ')),
      ),
      jobs.length === 0
        ? h('p', { class: 'muted' }, 'No per-ticker detail.')
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'exec-table jobs', id: 'jobs-table' },
              h(
                'thead',
                {},
                h('tr', {}, h('th', { scope: 'col' }, 'Ticker'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col', class: 'num' }, 'Attempts'), h('th', { scope: 'col' }, 'Started'), h('th', { scope: 'col', class: 'num' }, 'Duration'), h('th', { scope: 'col' }, 'Error')),
              ),
              h(
                'tbody',
                {},
                jobs.map((j) =>
                  h(
                    'tr',
                    { 'data-ticker': j.ticker, 'data-status': j.status },
                    h('th', { scope: 'row' }, j.status === 'completed' ? h('a', { href: `#/report/${encodeURIComponent(j.ticker)}` }, j.ticker) : j.ticker),
                    h('td', {}, statusBadge(j.status)),
                    h('td', { class: 'num' }, j.attempts ?? DASH),
                    h('td', {}, j.started_at ? time(j.started_at) : DASH),
                    h('td', { class: 'num' }, j.status === 'in_progress' && j.started_at ? fmtDuration(Date.now() - Date.parse(j.started_at)) : fmtDuration(j.duration_ms)),
                    h('td', { class: 'error-cell' }, j.error ?? ''),
                  ),
                ),
              ),
            ),
          ),
    ),
  );
}
