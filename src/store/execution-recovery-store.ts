import type { ExecutionRecord } from './store.js';

/** What reconciliation and resume need from the store: when a run was handed to the queue, and taking a run over. */
export interface ExecutionRecoveryStore {
  /**
   * Records that every runnable job of the execution was handed to the queue. Before that moment its starter is still
   * fanning out (peers first), and nobody else may enqueue its jobs.
   */
  markFannedOut(executionId: string, at: string): Promise<void>;
  /**
   * Takes over a running execution whose owner is `expectedOwner` (an interrupted one): owner, heartbeat and deadline
   * are renewed in one guarded update, so of two processes that try at once exactly one gets it. Undefined when the
   * execution is not running or has another owner by now.
   */
  claimExecution(
    executionId: string,
    expectedOwner: string,
    claim: { owner: string; at: string; deadline_at: string },
  ): Promise<ExecutionRecord | undefined>;
}
