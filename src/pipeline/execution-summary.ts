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
  failed: number;
  pending: number;
  started_at: string;
  finished_at: string | null;
  deadline_at: string;
  duration_ms: number | null;
  slowest_job_ms: number | null;
  cost_usd: number;
  failures: { ticker: string; job_id: string; error: string }[];
  jobs?: Pick<JobRecord, 'job_id' | 'ticker' | 'status' | 'attempts' | 'started_at' | 'finished_at' | 'duration_ms' | 'error'>[];
}

export function summarizeExecution(
  execution: ExecutionRecord,
  jobs: JobRecord[],
  { includeJobs }: { includeJobs: boolean },
): ExecutionSummary {
  return {
    execution_id: execution.execution_id,
    status: execution.status,
    source: execution.source,
    requested: execution.requested,
    business_date: execution.business_date,
    total: execution.total,
    completed: execution.completed,
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
      })),
    }),
  };
}
