/** One ticker's report (`#/report/:symbol`), or a way to generate it when there is none yet. */
import { API, ApiError, LIVE_POLL_MS, SNAPSHOT, api, didYouMean, errorBox, errorMessage, reportJsonUrl } from './api.js';
import { badge, changeClass, DASH, fmtAgo, fmtDate, fmtDateTime, fmtDuration, fmtNumber, fmtPct, fmtPrice, freshnessBadges, h, isNum, recLabel, stanceBadge, textLang, time } from './dom.js';
import { fundamentalsSection } from './fundamentals-view.js';
import { chartFigure } from './live-chart.js';
import { renderMarkdown } from './markdown.js';
import { route, setView } from './router.js';
import { S, warningText } from './strings.js';
import { followButton } from './watchlist-view.js';

const REC_KIND = { BUY: 'stance-bullish', SELL: 'stance-bearish', HOLD: 'stance-neutral' };

export async function reportView(scope, symbol) {
  setView(symbol, h('p', { class: 'loading' }, S.report.loading(symbol)));
  let report;
  try {
    report = await api(`${API}/report/${encodeURIComponent(symbol)}`, { signal: scope.signal });
  } catch (error) {
    if (!scope.alive) return;
    const suggestions = Array.isArray(error?.details?.suggestions) ? error.details.suggestions : [];
    const notReady = error instanceof ApiError && error.code === 'report_not_ready';
    setView(
      symbol,
      h(
        'section',
        {},
        h('p', {}, h('a', { href: '#/', class: 'back' }, S.report.back)),
        h('h1', {}, symbol),
        notReady
          ? h('div', { class: 'card not-ready' }, h('p', {}, errorMessage(error).replace(/ POST \S+ to generate it now\.$/, '')), generateNow(error.details?.ticker ?? symbol, scope))
          : errorBox(error, didYouMean(suggestions)),
      ),
    );
    return;
  }
  if (!scope.alive) return;
  // A symbol typed in another form (nvda, NVDA) lands on the canonical address.
  if (report.ticker && report.ticker !== symbol) history.replaceState(null, '', `#/report/${encodeURIComponent(report.ticker)}`);
  setView(`${report.ticker} ${report.company_name ?? ''}`.trim(), renderReport(report, scope));
}

/**
 * On-demand generation for a known ticker without a report: `POST /api/v1/report/:symbol` starts a one-ticker job;
 * its status is polled every second and the report is shown once it has landed.
 */
function generateNow(symbol, scope) {
  const status = h('p', { class: 'form-message', role: 'status', id: 'generate-status' });
  const button = h(
    'button',
    {
      type: 'button',
      class: 'button button--primary',
      id: 'generate-now',
      onClick: async () => {
        button.disabled = true;
        status.className = 'form-message';
        status.textContent = S.report.starting;
        try {
          let job = await api(`${API}/report/${encodeURIComponent(symbol)}`, { method: 'POST', body: {}, signal: scope.signal });
          while (scope.alive && (job.status === 'pending' || job.status === 'in_progress')) {
            status.textContent = job.status === 'pending' ? S.report.waiting : S.report.computing;
            await new Promise((resolve) => scope.later(resolve, LIVE_POLL_MS));
            job = await api(job.status_url ?? `${API}/report/status/${encodeURIComponent(job.job_id)}`, { signal: scope.signal });
          }
          if (!scope.alive) return;
          if (job.status !== 'completed') throw new ApiError(500, 'job_failed', S.report.jobFailed(job.error));
          status.textContent = S.report.done;
          // The server's copy follows the store within about a second; wait for it rather than show a 404.
          for (let i = 0; i < 10 && scope.alive; i++) {
            try {
              await api(`${API}/report/${encodeURIComponent(symbol)}`, { signal: scope.signal });
              break;
            } catch (error) {
              if (!(error instanceof ApiError) || error.status !== 404) throw error;
              await new Promise((resolve) => scope.later(resolve, 500));
            }
          }
          if (scope.alive) route();
        } catch (error) {
          if (!scope.alive) return;
          button.disabled = false;
          status.className = 'form-message form-message--error';
          status.textContent = errorMessage(error);
        }
      },
    },
    S.report.generate,
  );
  return h('div', { class: 'run-form__actions' }, button, status);
}

function renderReport(r, scope) {
  const lang = r.language === 'th' ? 'th' : r.language || 'en';
  const header = h(
    'header',
    { class: 'report-head' },
    h('p', {}, h('a', { href: '#/', class: 'back' }, S.report.back)),
    h(
      'div',
      { class: 'report-head__main' },
      h(
        'div',
        {},
        h('h1', { class: 'report-title' }, h('span', { class: 'report-title__name' }, r.company_name), ' ', h('span', { class: 'report-title__sym' }, r.ticker)),
        h(
          'p',
          { class: 'report-meta' },
          [r.yahoo_symbol && S.report.onExchange(r.yahoo_symbol, r.exchange), r.sector, r.asset_type === 'etf' ? 'ETF' : null].filter(Boolean).join(' · '),
        ),
      ),
      h(
        'div',
        { class: 'quote' },
        h('span', { class: 'quote__price' }, fmtPrice(r.price, r.currency)),
        h(
          'span',
          { class: changeClass(r.price_change_pct) },
          isNum(r.price_change) ? `${r.price_change > 0 ? '+' : r.price_change < 0 ? '−' : ''}${fmtNumber(Math.abs(r.price_change))} ` : '',
          `(${fmtPct(r.price_change_pct)})`,
        ),
      ),
    ),
    h(
      'div',
      { class: 'verdict' },
      stanceBadge(r.stance),
      r.recommendation ? badge(recLabel(r.recommendation), REC_KIND[r.recommendation] ?? 'muted', S.report.recommendationTitle) : null,
      r.confidence ? badge(S.confidenceBadge(S.confidence[r.confidence] ?? r.confidence), 'muted') : null,
      h('span', { class: 'asof' }, S.report.asOf, h('time', { datetime: r.as_of }, fmtDate(r.as_of))),
      freshnessBadges(r),
      h('span', { class: 'muted', id: 'generated' }, S.report.generated, time(r.generated_at, fmtAgo(r.generated_at) || fmtDateTime(r.generated_at))),
      followButton(r.ticker, scope),
    ),
    r.reused_from
      ? h(
          'p',
          { class: 'carried-forward', id: 'carried-forward' },
          S.report.carriedForward(r.reused_from, fmtDate(r.generated_at.slice(0, 10)), fmtDate(r.business_date)),
        )
      : null,
    r.stance_reasons?.length
      ? h('p', { class: 'reasons' }, h('span', { class: 'reasons__label' }, S.report.why), h('span', { lang: textLang(r.stance_reasons.join(' ')) }, r.stance_reasons.join('; '), '.'))
      : null,
  );

  const warnings = (r.warnings ?? []).length
    ? h(
        'section',
        { class: 'warnings', 'aria-labelledby': 'warnings-title' },
        h('h2', { id: 'warnings-title', class: 'visually-hidden' }, S.report.warnings),
        h(
          'ul',
          {},
          r.warnings.map((w) => {
            const { text, lang: wordedIn } = warningText(w, fmtDate);
            return h('li', { lang: wordedIn }, text);
          }),
        ),
      )
    : null;

  const png = r.chart_url
    ? h(
        'figure',
        { class: 'chart' },
        h('img', {
          src: r.chart_url,
          width: 1200,
          height: 800,
          alt: S.report.chartAlt(r.ticker),
          decoding: 'async',
          id: 'report-chart',
        }),
      )
    : h('p', { class: 'muted' }, S.report.noChart);
  const chart = chartFigure(r, png, scope);

  const narrative = h('article', { class: 'narrative', lang, id: 'narrative', 'aria-label': S.report.analysis });
  narrative.append(renderMarkdown(r.narrative_report ?? '', { headingOffset: 0 }));

  const main = h(
    'div',
    { class: 'report-main' },
    h('section', { 'aria-labelledby': 'chart-title', class: 'card' }, h('h2', { id: 'chart-title' }, S.report.chart), chart),
    h('section', { 'aria-labelledby': 'narrative-title', class: 'card' }, h('h2', { id: 'narrative-title', class: 'visually-hidden' }, S.report.analysis), narrative),
    newsSection(r),
    metricsSection(r),
  );
  const side = h('aside', { class: 'report-side', 'aria-label': S.report.side }, scoresSection(r), fundamentalsSection(r), riskSection(r), peersSection(r), qualitySection(r), aboutSection(r));

  return h('div', { class: 'report', 'data-ticker': r.ticker }, header, warnings, h('div', { class: 'report-grid' }, main, side));
}

function bar(value, max, { label, kind = 'score', text } = {}) {
  const pct = isNum(value) ? Math.max(0, Math.min(100, (value / max) * 100)) : 0;
  const fill = h('span', { class: 'bar__fill' });
  fill.style.width = `${pct}%`;
  const band = !isNum(value) ? 'none' : pct >= 66.7 ? 'high' : pct >= 33.3 ? 'mid' : 'low';
  return h(
    'span',
    {
      class: `bar bar--${kind} bar--${band}`,
      role: 'meter',
      'aria-valuemin': 0,
      'aria-valuemax': max,
      'aria-valuenow': isNum(value) ? value : null,
      'aria-valuetext': text ?? (isNum(value) ? S.report.meter(value, max) : S.report.notAvailable),
      'aria-label': label,
    },
    fill,
  );
}

function scoresSection(r) {
  const scores = r.user_facing_scores ?? [];
  return h(
    'section',
    { class: 'card scores', 'aria-labelledby': 'scores-title' },
    h('h2', { id: 'scores-title' }, `${S.report.scores} `, h('span', { class: 'muted small' }, '0–10')),
    h(
      'ul',
      { class: 'score-list' },
      scores.map((s) => {
        const label = S.report.scoreLabels[s.category] ?? s.category;
        return h(
          'li',
          { class: 'score', 'data-category': s.category },
          h('div', { class: 'score__row' }, h('span', { class: 'score__label' }, label), h('span', { class: 'score__value' }, isNum(s.score) ? fmtNumber(s.score, 1) : DASH)),
          bar(s.score, s.max_score ?? 10, { label }),
          h('p', { class: 'score__why', lang: textLang(s.rationale) }, s.rationale),
        );
      }),
    ),
  );
}

function qualitySection(r) {
  const q = r.quality_scores;
  if (!q) return null;
  return h(
    'section',
    { class: 'card quality', 'aria-labelledby': 'quality-title' },
    h('h2', { id: 'quality-title' }, `${S.report.quality} `, h('span', { class: 'muted small' }, '0–100')),
    h('div', { class: 'score__row score__row--big' }, h('span', {}, S.report.overall), h('span', { class: 'score__value' }, fmtNumber(q.overall, 1))),
    bar(q.overall, 100, { label: S.report.overallQuality, kind: 'quality' }),
    h(
      'ul',
      { class: 'score-list' },
      Object.entries(S.report.qualityLabels).map(([key, label]) => {
        const d = q[key];
        if (!d) return null;
        const subs = Object.entries(d.sub_scores ?? {});
        return h(
          'li',
          { class: 'score' },
          h('div', { class: 'score__row' }, h('span', { class: 'score__label' }, label), h('span', { class: 'score__value' }, fmtNumber(d.score, 1))),
          bar(d.score, 100, { label, kind: 'quality' }),
          subs.length || d.issues?.length
            ? h(
                'details',
                { class: 'quality__details' },
                h('summary', {}, d.issues?.length ? S.report.issues(d.issues.length) : S.report.details),
                h('dl', { class: 'subscores' }, subs.map(([k, v]) => [h('dt', {}, k.replaceAll('_', ' ')), h('dd', {}, fmtNumber(v, 0))])),
                d.issues?.length ? h('ul', { class: 'issues' }, d.issues.map((i) => h('li', {}, i))) : null,
              )
            : null,
        );
      }),
    ),
    q.scorer_version ? h('p', { class: 'muted small' }, S.report.scorer(q.scorer_version)) : null,
  );
}

function riskSection(r) {
  const risk = r.risk;
  if (!risk) return null;
  const kind = risk.risk_level === 'high' ? 'stance-bearish' : risk.risk_level === 'low' ? 'stance-bullish' : 'stance-neutral';
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'risk-title' },
    h('h2', { id: 'risk-title' }, `${S.report.risk} `, badge(S.report.riskLevel[risk.risk_level] ?? risk.risk_level, kind)),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, S.report.volatilityRegime),
      h('dd', {}, S.report.regime[risk.volatility_regime] ?? risk.volatility_regime ?? DASH),
      h('dt', {}, S.report.atr),
      h('dd', {}, fmtPct(risk.atr_pct, { signed: false }), isNum(risk.atr_pct_percentile) ? h('span', { class: 'muted' }, S.report.percentile(Math.round(risk.atr_pct_percentile))) : null),
      h('dt', {}, S.report.volatility30),
      h('dd', {}, fmtPct(risk.volatility_30d_annualised, { signed: false, digits: 1 }), h('span', { class: 'muted' }, S.report.annualised)),
    ),
    risk.risk_bullets?.length ? h('ul', { class: 'bullets', lang: textLang(risk.risk_bullets.join(' ')) }, risk.risk_bullets.map((b) => h('li', {}, b))) : null,
  );
}

function peersSection(r) {
  const peers = r.peers ?? [];
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'peers-title' },
    h('h2', { id: 'peers-title' }, S.report.peers),
    peers.length === 0
      ? h('p', { class: 'muted' }, S.report.noPeers)
      : h(
          'table',
          { class: 'mini' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, S.report.peerColumns[0]), h('th', { scope: 'col', class: 'num', title: S.report.correlationTitle }, S.report.peerColumns[1]), h('th', { scope: 'col', class: 'num' }, S.report.peerColumns[2]), h('th', { scope: 'col', class: 'num' }, S.report.peerColumns[3]))),
          h(
            'tbody',
            {},
            peers.map((p) =>
              h(
                'tr',
                {},
                h('th', { scope: 'row', class: 'sym' }, h('a', { href: `#/report/${encodeURIComponent(p.ticker)}`, class: 'sym__link' }, p.ticker), h('span', { class: 'sym__name' }, p.company_name)),
                h('td', { class: 'num' }, fmtNumber(p.correlation, 2)),
                h('td', { class: 'num' }, h('span', { class: changeClass(p.return_1m_pct) }, fmtPct(p.return_1m_pct, { digits: 1 }))),
                h('td', { class: 'num' }, fmtPct(p.volatility_30d_pct, { signed: false, digits: 1 })),
              ),
            ),
          ),
        ),
    r.peer_comparison && isNum(r.peer_comparison.return_1m_vs_median_pct)
      ? h('p', { class: 'muted small' }, S.report.vsMedian(fmtPct(r.peer_comparison.return_1m_vs_median_pct, { digits: 1 }).replace('%', '')))
      : null,
    r.peer_comparison?.method ? h('details', { class: 'small' }, h('summary', {}, S.report.method), h('p', { lang: textLang(r.peer_comparison.method) }, r.peer_comparison.method)) : null,
  );
}

const SENTIMENT_KIND = { positive: 'stance-bullish', negative: 'stance-bearish', neutral: 'muted' };

function newsSection(r) {
  const items = r.news_items ?? [];
  const overall = r.overall_sentiment;
  let mix = null;
  if (overall && overall.count > 0) {
    const seg = (cls, pct) => {
      const el = h('span', { class: `mix__seg ${cls}` });
      el.style.width = `${pct}%`;
      return el;
    };
    mix = h(
      'div',
      { class: 'mix-wrap' },
      h(
        'div',
        { class: 'mix', role: 'img', 'aria-label': S.report.mixAria(overall.positive_pct, overall.neutral_pct, overall.negative_pct) },
        seg('mix__seg--pos', overall.positive_pct),
        seg('mix__seg--neu', overall.neutral_pct),
        seg('mix__seg--neg', overall.negative_pct),
      ),
      h(
        'p',
        { class: 'small muted' },
        S.report.headlines(overall.count, r.news_window?.days),
        h('span', { class: 'chg--up' }, S.report.positive(overall.positive_pct)),
        S.report.neutralPct(overall.neutral_pct),
        h('span', { class: 'chg--down' }, S.report.negative(overall.negative_pct)),
      ),
    );
  }
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'news-title' },
    h('h2', { id: 'news-title' }, S.report.news),
    mix,
    items.length === 0
      ? h('p', { class: 'muted' }, S.report.noNews)
      : h(
          'ul',
          { class: 'news' },
          items.map((n) =>
            h(
              'li',
              { class: 'news__item' },
              badge(S.report.sentiment[n.sentiment_label] ?? n.sentiment_label, SENTIMENT_KIND[n.sentiment_label] ?? 'muted', isNum(n.sentiment_score) ? S.report.sentimentTitle(n.sentiment_score) : null),
              h(
                'div',
                { class: 'news__body' },
                /^https?:\/\//i.test(n.url ?? '')
                  ? h('a', { href: n.url, target: '_blank', rel: 'noopener noreferrer nofollow', class: 'news__title' }, n.title)
                  : h('span', { class: 'news__title' }, n.title),
                h(
                  'span',
                  { class: 'news__meta' },
                  [n.source, n.published_at ? fmtDateTime(n.published_at) : null, isNum(n.impact_score) ? S.report.impact(Math.round(n.impact_score)) : null].filter(Boolean).join(' · '),
                ),
              ),
            ),
          ),
        ),
  );
}

function metricsSection(r) {
  const metrics = r.technical_metrics ?? [];
  if (metrics.length === 0) return null;
  const kind = { bullish: 'stance-bullish', bearish: 'stance-bearish', neutral: 'muted', elevated_risk: 'stale' };
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'metrics-title' },
    h('h2', { id: 'metrics-title' }, S.report.readings),
    h(
      'div',
      { class: 'table-wrap' },
      h(
        'table',
        { class: 'mini metrics' },
        h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, S.report.readingColumns[0]), h('th', { scope: 'col', class: 'num' }, S.report.readingColumns[1]), h('th', { scope: 'col', class: 'num', title: S.report.percentileTitle }, S.report.readingColumns[2]), h('th', { scope: 'col' }, S.report.readingColumns[3]))),
        h(
          'tbody',
          {},
          metrics.map((m) =>
            h(
              'tr',
              {},
              h('th', { scope: 'row' }, h('span', { title: m.explanation, lang: textLang(m.name) }, m.name)),
              h('td', { class: 'num' }, fmtNumber(m.value, 2)),
              h('td', { class: 'num' }, isNum(m.percentile) ? Math.round(m.percentile) : DASH),
              h('td', {}, badge(S.report.signal[m.status] ?? m.status.replace('_', ' '), kind[m.status] ?? 'muted')),
            ),
          ),
        ),
      ),
    ),
  );
}

function aboutSection(r) {
  const stages = Object.entries(r.timing_metrics ?? {}).filter(([k, v]) => isNum(v) && k !== 'total_ms');
  const total = isNum(r.timing_metrics?.total_ms) ? r.timing_metrics.total_ms : stages.reduce((a, [, v]) => a + v, 0);
  const timings = stages;
  const cost = r.api_costs;
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'about-title' },
    h('h2', { id: 'about-title' }, S.report.about),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, S.report.businessDate),
      h('dd', {}, fmtDate(r.business_date)),
      h('dt', {}, S.report.data),
      h('dd', {}, r.data_source === 'demo' ? S.demo : (r.data_source ?? DASH), isNum(r.bars_used) ? h('span', { class: 'muted' }, S.report.bars(r.bars_used)) : null),
      h('dt', {}, S.report.execution),
      h('dd', {}, r.execution_id ? (SNAPSHOT ? r.execution_id : h('a', { href: `#/executions/${encodeURIComponent(r.execution_id)}` }, r.execution_id)) : DASH),
      h('dt', {}, S.report.writer),
      h('dd', {}, [r.narrative_writer, cost?.model].filter(Boolean).join(' · ') || DASH),
      h('dt', {}, S.report.computeTime),
      h(
        'dd',
        {},
        timings.length ? fmtDuration(total) : DASH,
        timings.length
          ? h(
              'details',
              { class: 'small' },
              h('summary', {}, S.report.stages),
              h('dl', { class: 'subscores' }, timings.map(([k, v]) => [h('dt', {}, k.replace(/_ms$/, '').replaceAll('_', ' ')), h('dd', {}, fmtDuration(v))])),
            )
          : null,
      ),
      h('dt', {}, S.report.apiCost),
      h('dd', {}, cost ? `$${(cost.usd ?? 0).toFixed(4)}${cost.input_tokens || cost.output_tokens ? S.report.tokens(cost.input_tokens, cost.output_tokens) : ''}` : DASH),
    ),
    h('p', { class: 'small' }, h('a', { href: reportJsonUrl(r.ticker), type: 'application/json' }, S.report.json)),
  );
}
