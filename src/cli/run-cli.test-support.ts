import type { CliIo } from './cli-io.js';
import { runCli } from './daybreak.js';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

/** Runs one `daybreak` command in this process, as a user would type it, and captures what it printed. */
export async function daybreak(argv: string[], env: NodeJS.ProcessEnv): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), interactive: false };
  const code = await runCli(argv, io, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
