import { InvalidArgumentError } from 'commander';

/** Where a command writes: injectable so commands can be tested in-process. */
export interface CliIo {
  out: (text: string) => void;
  err: (text: string) => void;
  /** True when stderr is an interactive terminal: progress bars instead of log lines. */
  interactive: boolean;
}

export const processIo: CliIo = {
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

/** A plain text table: columns padded to their widest cell. */
export function formatTable(headers: string[], rows: (string | number | null)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => (c === null ? '—' : String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => (c ?? '').padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

export function formatMs(ms: number | null): string {
  if (ms === null) return '—';
  return ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export function parsePositiveInt(flag: string) {
  return (value: string): number => {
    if (!/^\d+$/.test(value) || Number(value) < 1) throw new InvalidArgumentError(`${flag} must be a positive whole number.`);
    return Number(value);
  };
}

export function parseSymbolList(flag: string) {
  return (value: string): string[] => {
    const symbols = value.split(',').map((s) => s.trim()).filter(Boolean);
    if (symbols.length === 0) throw new InvalidArgumentError(`${flag} needs at least one symbol, e.g. ${flag} NVDA19,DBS19.`);
    return symbols;
  };
}
