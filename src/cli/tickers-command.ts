import type { Daybreak } from '../composition-root.js';
import { tickerJson } from '../registry/ticker-json.js';
import { type CliIo, formatTable } from './cli-io.js';

/** `daybreak tickers`: the registry. */
export async function tickersCommand(app: Daybreak, flags: { json?: boolean }, io: CliIo): Promise<number> {
  const tickers = app.deps.registry.all();
  if (flags.json) {
    io.out(JSON.stringify(tickers.map(tickerJson), null, 2));
    return 0;
  }
  io.out(
    formatTable(
      ['DR', 'YAHOO', 'NAME', 'EXCHANGE', 'CCY', 'TYPE', 'SECTOR', 'ACTIVE'],
      tickers.map((t) => [t.symbol, t.yahooSymbol, t.name, t.exchange, t.currency, t.type, t.sector, t.active ? 'yes' : 'no']),
    ),
  );
  io.out(`${tickers.length} tickers, ${tickers.filter((t) => t.active).length} active`);
  return 0;
}
