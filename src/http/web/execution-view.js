/** One execution (`#/executions/:id`): its summary, failures and per-ticker jobs, polled while it runs. */
import { API, ApiError, LIVE_POLL_MS, api, errorBox } from './api.js';
import { announce, DASH, fmtDate, fmtDuration, h, isNum, time } from './dom.js';
import { progressBar, progressText, statusBadge, statusLabel } from './executions-view.js';
import { setView } from './router.js';
import { runForm } from './run-form.js';
import { S } from './strings.js';

function describeRequest(req) {
  if (!req || typeof req !== 'object') return S.executions.allActive;
  const parts = [];
  if (req.only_failed) parts.push(S.executions.failedOf(req.only_failed));
  if (Array.isArray(req.tickers) && req.tickers.length) parts.push(req.tickers.length > 8 ? S.executions.nTickers(req.tickers.length) : req.tickers.join(', '));
  if (isNum(req.limit)) parts.push(S.executions.firstN(req.limit));
  return parts.join(' · ') || S.executions.allActive;
}

export async function executionView(scope, id) {
  const content = h('div', {}, h('p', { class: 'loading' }, S.executions.loadingOne(id)));
  setView(
    id,
    h(
      'section',
      { class: 'execution', 'aria-labelledby': 'execution-title' },
      h('p', {}, h('a', { href: '#/executions', class: 'back' }, S.executions.back)),
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
      announce(S.executions.finishedAnnounce(statusLabel(e.status), e.completed, e.failed));
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
        e.failed ? h('span', { class: 'chg--down' }, S.executions.failed(e.failed)) : null,
        running ? h('span', { class: 'muted small' }, S.executions.updating(fmtDuration(LIVE_POLL_MS))) : null,
      ),
      progressBar(e),
      h(
        'dl',
        { class: 'facts facts--grid' },
        h('dt', {}, S.executions.facts.source),
        h('dd', {}, e.source ?? DASH),
        h('dt', {}, S.executions.facts.requested),
        h('dd', {}, describeRequest(e.requested)),
        h('dt', {}, S.executions.facts.businessDate),
        h('dd', {}, fmtDate(e.business_date)),
        h('dt', {}, S.executions.facts.started),
        h('dd', {}, time(e.started_at)),
        h('dt', {}, running ? S.executions.facts.deadline : S.executions.facts.finished),
        h('dd', {}, running ? time(e.deadline_at) : time(e.finished_at)),
        h('dt', {}, S.executions.facts.duration),
        h('dd', {}, running ? S.executions.soFar(fmtDuration(Date.now() - Date.parse(e.started_at))) : fmtDuration(e.duration_ms)),
        h('dt', {}, S.executions.facts.slowest),
        h('dd', {}, fmtDuration(e.slowest_job_ms)),
        h('dt', {}, S.executions.facts.cost),
        h('dd', {}, isNum(e.cost_usd) ? `$${e.cost_usd.toFixed(4)}` : DASH),
      ),
    ),
    e.failures?.length
      ? h(
          'section',
          { class: 'card failures', 'aria-labelledby': 'failures-title' },
          h('h2', { id: 'failures-title' }, S.executions.failures(e.failures.length)),
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
        `${S.executions.jobs} `,
        h('span', { class: 'muted small' }, Object.entries(counts).sort(([a], [b]) => (JOB_ORDER[a] ?? 9) - (JOB_ORDER[b] ?? 9)).map(([s, n]) => S.executions.jobCount(n, statusLabel(s))).join(' · ')),
      ),
      jobs.length === 0
        ? h('p', { class: 'muted' }, S.executions.noJobs)
        : h(
            'div',
            { class: 'table-wrap' },
            h(
              'table',
              { class: 'exec-table jobs', id: 'jobs-table' },
              h(
                'thead',
                {},
                h('tr', {}, ...S.executions.jobColumns.map((label, i) => h('th', { scope: 'col', class: i === 2 || i === 4 ? 'num' : null }, label))),
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
