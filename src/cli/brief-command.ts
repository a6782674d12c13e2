import type { Daybreak } from '../composition-root.js';
import { briefOfExecution, latestDeliverableExecution } from '../delivery/deliver.js';
import { parseLanguage } from '../delivery/subscription-input.js';
import { formatChange } from '../delivery/digest-email.js';
import type { CliIo } from './cli-io.js';

/** `daybreak brief [--json] [--language en]`: the morning brief of the newest finished execution. */
export async function briefCommand(app: Daybreak, flags: { json?: boolean; language?: string }, io: CliIo): Promise<number> {
  const language = flags.language === undefined ? app.deps.settings.language : parseLanguage(flags.language);
  const execution = await latestDeliverableExecution(app.deps.store);
  if (!execution) {
    io.err('no finished execution with reports yet: run `daybreak precompute` first');
    return 1;
  }
  const brief = await briefOfExecution(app.deps.store, execution, language);
  if (flags.json) {
    io.out(JSON.stringify(brief, null, 2));
    return 0;
  }
  io.out(
    [
      `Morning brief ${brief.business_date} · ${brief.execution_id}${brief.data_source === 'demo' ? '   [DEMO DATA — synthetic prices]' : ''}`,
      `${brief.advancers} up, ${brief.decliners} down, ${brief.unchanged} unchanged of ${brief.total} · calls BUY ${brief.calls.BUY} HOLD ${brief.calls.HOLD} SELL ${brief.calls.SELL}`,
      `best   ${brief.best.map((b) => `${b.ticker} ${formatChange(b.price_change_pct)}`).join('  ')}`,
      `worst  ${brief.worst.map((b) => `${b.ticker} ${formatChange(b.price_change_pct)}`).join('  ')}`,
      ...brief.by_market.map((m) => `  ${m.market.padEnd(4)} ${String(m.count).padStart(3)} tickers  median ${formatChange(m.median_change_pct).padStart(7)}  ${m.advancers} up ${m.decliners} down`),
      '',
      brief.narrative,
    ].join('\n'),
  );
  return 0;
}
