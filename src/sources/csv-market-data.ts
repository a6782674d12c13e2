import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PermanentError } from '../errors.js';
import type { Ticker } from '../registry/ticker.js';
import type { DailyBar } from '../report/daily-bar.js';
import { parseDailyBarsCsv } from '../report/parse-daily-bars-csv.js';
import type { CompanyInfo, CompanyInfoRequest, CompanyInfoSource } from './company-info.js';
import { CsvCompanyInfo } from './csv-company-info.js';
import type { DailyBarsRequest, MarketDataSource } from './market-data.js';

/** Real history from a folder of Yahoo-style CSVs, one `${yahooSymbol}.csv` per ticker (offline, reproducible). */
export class CsvMarketData implements MarketDataSource, CompanyInfoSource {
  readonly name = 'csv';
  private readonly companyInfo: CsvCompanyInfo;

  constructor(readonly dir: string) {
    this.companyInfo = new CsvCompanyInfo(dir);
  }

  /** The ticker's row of `fundamentals.csv` in the same folder (see `FUNDAMENTALS_COLUMNS`). */
  fetchCompanyInfo(ticker: Ticker, _request?: CompanyInfoRequest): Promise<CompanyInfo> {
    return this.companyInfo.fetch(ticker.yahooSymbol);
  }

  async fetchDailyBars(ticker: Ticker, request: DailyBarsRequest): Promise<DailyBar[]> {
    const file = join(this.dir, `${ticker.yahooSymbol}.csv`);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw new PermanentError(`no CSV file for ${ticker.yahooSymbol}: expected ${file}`, { cause: error });
      if (code === 'EISDIR') throw new PermanentError(`${file} is a directory, expected a CSV file`, { cause: error });
      throw error; // EMFILE, EIO…: may pass on retry
    }
    const bars = parseDailyBarsCsv(text, file);
    let end = bars.length;
    while (end > 0 && bars[end - 1]!.date > request.endDate) end--;
    if (end === 0) throw new PermanentError(`${file}: no bars on or before ${request.endDate} (first is ${bars[0]!.date})`);
    return end === bars.length ? bars : bars.slice(0, end);
  }
}
