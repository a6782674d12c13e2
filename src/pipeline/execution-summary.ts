import type { DeliverySummary } from '../store/subscription-store.js';
import type { LlmUsageSummary } from '../narrative/llm-budget.js';
import type { ExecutionRecord, JobRecord } from '../store/store.js';

/** The execution summary of DESIGN §5.3, as `precompute --json` prints it and the API returns it. */
export interface ExecutionSummary {
  execution_id: string;
  status: ExecutionRecord['status'];
  source: ExecutionRecord['source'];
  requested: ExecutionRecord['requested'];
  business_date: string;
  total: number;
  completed: number;
  /** Completed jobs that carried the ticker's latest report forward: inputs unchanged, no chart, no LLM call. */
  reused: number;
  failed: number;
  pending: number;
  started_at: string;
  finished_at: string | null;
  deadline_at: string;
  duration_ms: number | null;
  slowest_job_ms: number | null;
  cost_usd: number;
  failures: { ticker: string; job_id: string; error: string }[];
  /** Run-level warnings (LLM budget reached, 402, fallbacks), each once. */
  warnings: string[];
  /** The LLM accounts of every process that worked on the run, added up; null when no LLM writer was used. */
  llm: {
    spent_usd: number;
    calls: number;
    llm_reports: number;
    fallback_reports: Record<string, number>;
    retries: Record<string, number>;
    input_tokens: number;
    output_tokens: number;
    processes: number;
  } | null;
  jobs?: Pick<JobRecord, 'job_id' | 'ticker' | 'status' | 'attempts' | 'started_at' | 'finished_at' | 'duration_ms' | 'error' | 'reused_from'>[];
  /** Where the execution's deliveries stand (step 7), null before any; only in the detail of one execution. */
  delivery?: DeliverySummary | null;
}

export function summarizeExecution(
  execution: ExecutionRecord,
  jobs: JobRecord[],
  { includeJobs, llmUsage = [], delivery }: { includeJobs: boolean; llmUsage?: unknown[]; delivery?: DeliverySummary | null },
): ExecutionSummary {
  const usage = llmUsage as LlmUsageSummary[];
  return {
    execution_id: execution.execution_id,
    status: execution.status,
    source: execution.source,
    requested: execution.requested,
    business_date: execution.business_date,
    total: execution.total,
    completed: execution.completed,
    reused: execution.reused,
    failed: execution.failed,
    pending: execution.total - execution.completed - execution.failed,
    started_at: execution.started_at,
    finished_at: execution.finished_at,
    deadline_at: execution.deadline_at,
    duration_ms: execution.duration_ms,
    slowest_job_ms: execution.slowest_job_ms,
    cost_usd: execution.cost_usd,
    failures: jobs
      .filter((j) => j.status === 'failed')
      .map((j) => ({ ticker: j.ticker, job_id: j.job_id, error: j.error ?? 'unknown error' })),
    warnings: [...new Set(usage.flatMap((u) => u.warnings))],
    llm: usage.length === 0 ? null : mergeLlmUsage(usage),
    ...(delivery !== undefined && { delivery }),
    ...(includeJobs && {
      jobs: jobs.map((j) => ({
        job_id: j.job_id,
        ticker: j.ticker,
        status: j.status,
        attempts: j.attempts,
        started_at: j.started_at,
        finished_at: j.finished_at,
        duration_ms: j.duration_ms,
        error: j.error,
        reused_from: j.reused_from,
      })),
    }),
  };
}

function mergeLlmUsage(usage: LlmUsageSummary[]): NonNullable<ExecutionSummary['llm']> {
  const add = (into: Record<string, number>, from: Partial<Record<string, number>>) => {
    for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + (v ?? 0);
    return into;
  };
  return {
    spent_usd: usage.reduce((a, u) => a + u.spent_usd, 0),
    calls: usage.reduce((a, u) => a + u.calls, 0),
    llm_reports: usage.reduce((a, u) => a + u.llm_reports, 0),
    fallback_reports: usage.reduce((a, u) => add(a, u.fallback_reports), {} as Record<string, number>),
    retries: usage.reduce((a, u) => add(a, u.retries), {} as Record<string, number>),
    input_tokens: usage.reduce((a, u) => a + u.input_tokens, 0),
    output_tokens: usage.reduce((a, u) => a + u.output_tokens, 0),
    processes: usage.length,
  };
}
