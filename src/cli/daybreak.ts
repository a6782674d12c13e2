import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { openDaybreak, type Daybreak } from '../composition-root.js';
import { loadConfig } from '../config.js';
import { errorMessage, InputError } from '../errors.js';
import { type CliIo, parsePositiveInt, parseSymbolList } from './cli-io.js';
import { briefCommand } from './brief-command.js';
import { deliverCommand } from './deliver-command.js';
import { executionsCommand } from './executions-command.js';
import { ingestCommand } from './ingest-command.js';
import { precomputeCommand } from './precompute-command.js';
import { reportCommand } from './report-command.js';
import { subscriptionsAddCommand, subscriptionsListCommand, subscriptionsRemoveCommand } from './subscriptions-command.js';
import { resumeCommand } from './resume-command.js';
import { tickersCommand } from './tickers-command.js';
import { backtestCommand } from './backtest-command.js';
import { trackRecordCommand } from './track-record-command.js';
import { workerCommand } from './worker-command.js';

function parsePort(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) > 65535) throw new InvalidArgumentError('--port must be a whole number from 0 to 65535.');
  return Number(value);
}

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/**
 * Runs one `daybreak` command and returns its exit code: 0 success, 1 a job/ticker failed, 2 bad input (flags,
 * symbols, configuration). Errors are printed as one readable message, never a stack trace.
 */
export async function runCli(argv: string[], io: CliIo, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let exitCode = EXIT_OK;
  const withApp = (fn: (app: Daybreak) => Promise<number>) => async () => {
    const app = await openDaybreak(loadConfig(env));
    // PostgreSQL or Redis going away and coming back: one line each on stderr (serve logs them as JSON instead).
    app.outages.setReporter((_event, line) => io.err(`daybreak: ${line}`));
    try {
      exitCode = await fn(app);
    } finally {
      await app.close();
    }
  };

  const program = new Command('daybreak')
    .description('Precomputes a daily analysis report for every ticker in the universe.')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .showHelpAfterError('(run with --help for usage)');

  program
    .command('precompute')
    .description('run the daily precompute now: one report job per ticker, followed to the end')
    .option('--limit <n>', 'only the first N tickers', parsePositiveInt('--limit'))
    .option('--tickers <symbols>', 'comma-separated symbols, any form (NVDA19, nvda, D05.SI)', parseSymbolList('--tickers'))
    .option('--only-failed <execution>', 'run again the tickers that failed in that execution')
    .option('--force', 'recompute every report, even those whose inputs have not changed since the latest one')
    .option('--json', 'print only the execution summary as JSON on stdout')
    .option('--deliver', 'then deliver the digests to the subscriptions that are due (step 7)')
    .action((flags) => withApp((app) => precomputeCommand(app, flags, io))());

  program
    .command('deliver')
    .description('deliver the digest of an execution to every active subscription now (once per business date)')
    .option('--execution <id>', 'the execution to deliver (default: the newest finished one)')
    .option('--json', 'print the delivery summary as JSON')
    .action((flags) => withApp((app) => deliverCommand(app, flags, io))());

  const subscriptions = program.command('subscriptions').description('who receives the digests: add, list, remove');
  subscriptions
    .command('add')
    .description('subscribe an address (or update its subscription): prints the subscription id')
    .requiredOption('--channel <channel>', 'email, webhook, line or telegram')
    .requiredOption('--to <address>', 'e-mail address, http(s) URL, LINE userId or Telegram chat id')
    .option('--tickers <symbols>', 'the watchlist, comma-separated, any form (default: the brief only)', parseSymbolList('--tickers'))
    .option('--language <lang>', 'th (default) or en')
    .option('--at <HH:MM>', 'deliver at this time of day in SCHEDULE_TZ instead of when the run ends')
    .option('--json', 'print the subscription as JSON')
    .action((flags) => withApp((app) => subscriptionsAddCommand(app, flags, io))());
  subscriptions
    .command('list')
    .description('every subscription, active or disabled (with the reason)')
    .option('--json', 'print JSON')
    .action((flags) => withApp((app) => subscriptionsListCommand(app, flags, io))());
  subscriptions
    .command('remove')
    .description('delete a subscription')
    .argument('<id>', 'subscription id (sub_…)')
    .action((id) => withApp((app) => subscriptionsRemoveCommand(app, id, io))());

  program
    .command('brief')
    .description('the morning brief of the newest finished execution: breadth, calls, best and worst, by market')
    .option('--language <lang>', 'th or en (default: REPORT_LANGUAGE)')
    .option('--json', 'print JSON')
    .action((flags) => withApp((app) => briefCommand(app, flags, io))());

  program
    .command('resume')
    .description('finish the unfinished jobs of an interrupted execution (default: every interrupted one), in that execution')
    .argument('[id]', 'execution id')
    .option('--json', 'print only the execution summary as JSON on stdout')
    .action((id, flags) => withApp((app) => resumeCommand(app, id, flags, io))());

  program
    .command('ingest')
    .description('fetch daily bars for the tickers into the store')
    .option('--source <source>', 'demo or csv:DIR (default: MARKET_DATA)')
    .option('--tickers <symbols>', 'comma-separated symbols, any form', parseSymbolList('--tickers'))
    .option('--json', 'print the per-ticker results as JSON on stdout')
    .action((flags) => withApp((app) => ingestCommand(app, flags, io))());

  program
    .command('report')
    .description('print the latest report of a ticker')
    .argument('<symbol>', 'any form: NVDA19, nvda, D05.SI')
    .option('--json', 'print the report JSON')
    .action((symbol, flags) => withApp((app) => reportCommand(app, symbol, flags, io))());

  program
    .command('executions')
    .description('list executions, or show one with per-ticker status')
    .argument('[id]', 'execution id')
    .option('--limit <n>', 'how many to list', parsePositiveInt('--limit'))
    .option('--json', 'print JSON')
    .action((id, flags) => withApp((app) => executionsCommand(app, id, flags, io))());

  program
    .command('worker')
    .description('distributed mode: run report jobs from Redis until SIGTERM (finishes the jobs in hand)')
    .action(() => withApp((app) => workerCommand(app, io))());

  program
    .command('serve')
    .description('HTTP API and web page, the daily schedule, and (embedded) the report workers; until SIGTERM')
    .option('--port <n>', 'port to listen on (default: PORT, 8080)', parsePort)
    .option('--host <address>', 'interface to listen on (default: HOST, 127.0.0.1)')
    .option('--no-schedule', 'do not run the daily schedule in this process')
    // The HTTP server (fastify and its plugins) is loaded only by the command that serves.
    .action((flags) => withApp(async (app) => (await import('./serve-command.js')).serveCommand(app, flags, io))());

  program
    .command('backtest')
    .description('replay the call on every past date of a range (no look-ahead), grade it and the baselines, store them')
    .requiredOption('--from <date>', 'first business date, YYYY-MM-DD')
    .requiredOption('--to <date>', 'last business date, YYYY-MM-DD')
    .option('--tickers <symbols>', 'comma-separated symbols, any form (default: every active ticker)', parseSymbolList('--tickers'))
    .option('--json', 'print only the summary as JSON on stdout')
    .action((flags) => withApp((app) => backtestCommand(app, flags, io))());

  program
    .command('track-record')
    .description('how the calls did: hit rates with intervals per call and horizon, the baselines, calibration, flip rate')
    .argument('[symbol]', 'one ticker, any form (default: the whole universe)')
    .option('--horizon <bars>', '1, 5 or 21 trading bars (default: all three)')
    .option('--json', 'print the track record JSON (calls, summary, baselines)')
    .action((symbol, flags) => withApp((app) => trackRecordCommand(app, symbol, flags, io))());

  program
    .command('export')
    .description('write a static snapshot of the read side (web page + API as files) for any static host or CDN')
    .requiredOption('--out <dir>', 'directory to write (replaced atomically; an existing one must be an earlier snapshot or empty)')
    .option('--json', 'print what was written as JSON')
    .action((flags) => withApp(async (app) => (await import('./export-command.js')).exportCommand(app, flags, io))());

  program
    .command('tickers')
    .description('list the ticker registry')
    .option('--json', 'print JSON')
    .action((flags) => withApp((app) => tickersCommand(app, flags, io))());

  program
    .command('telegram')
    .description('Telegram bot set-up')
    .command('set-webhook')
    .description('register ${PUBLIC_BASE_URL}/webhooks/telegram (or --url) with Telegram, with TELEGRAM_WEBHOOK_SECRET')
    .option('--url <url>', 'the webhook URL (default: PUBLIC_BASE_URL + /webhooks/telegram)')
    .option('--drop-pending', 'drop the updates Telegram holds for the bot')
    .option('--json', 'print JSON')
    .action(async (flags) => {
      exitCode = await (await import('./telegram-command.js')).telegramSetWebhookCommand(loadConfig(env), flags, io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.exitCode === 0
        ? EXIT_OK
        : EXIT_BAD_INPUT;
    }
    if (error instanceof InputError) {
      io.err(`daybreak: ${error.message}`);
      return EXIT_BAD_INPUT;
    }
    io.err(`daybreak: ${errorMessage(error)}`);
    return EXIT_FAILED;
  }
}
