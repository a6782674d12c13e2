/**
 * `LLM_DAILY_BUDGET_USD`: the LLM writer behind a limit per business date across every run and process. The day's
 * spend is read from the store before each report (the executions of that date add up their jobs' cost), so the
 * limit holds across processes and restarts; past it, reports are written by the template writer with a warning and
 * `fallback_reason: 'budget'` (the next day, or a raised limit, makes them again with the LLM). The spend counts jobs
 * that have ended, so the calls in flight when the limit is crossed (at most the LLM concurrency of each process)
 * can overshoot it by their cost; each run's own `LLM_BUDGET_USD` still bounds a run exactly.
 */
import type { NarrativeInputs } from '../report/narrative-inputs.js';
import type { NarrativeDraft, NarrativePlan, NarrativeWriter } from './narrative-writer.js';

export interface DailyBudgetWriterOptions {
  inner: NarrativeWriter;
  fallback: NarrativeWriter;
  limitUsd: number;
  /** The business date of the run, and what every run of that date has spent on the LLM so far. */
  spentToday: () => Promise<{ businessDate: string; spentUsd: number }>;
  /** Called with the warning each time a report falls back for the daily limit (to warn on the execution). */
  onExhausted: (warning: string) => void;
}

const usd = (x: number) => `$${x.toFixed(x > 0 && x < 1 ? 4 : 2)}`;

export class DailyBudgetWriter implements NarrativeWriter {
  constructor(private readonly o: DailyBudgetWriterOptions) {}

  get name(): string {
    return this.o.inner.name;
  }

  /** Whether the day's limit still allows an LLM call. */
  async canSpend(): Promise<boolean> {
    return (await this.o.spentToday()).spentUsd < this.o.limitUsd;
  }

  async write(inputs: NarrativeInputs, plan: NarrativePlan): Promise<NarrativeDraft> {
    const { businessDate, spentUsd } = await this.o.spentToday();
    if (spentUsd < this.o.limitUsd) return this.o.inner.write(inputs, plan);
    const warning = `llm daily budget of ${usd(this.o.limitUsd)} for ${businessDate} reached (${usd(spentUsd)} spent by its runs): template writer used`;
    this.o.onExhausted(warning);
    const draft = await this.o.fallback.write(inputs, plan);
    return { ...draft, fallback_reason: 'budget', warnings: [warning, ...draft.warnings] };
  }
}
