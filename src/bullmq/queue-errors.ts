import { ArshaiError } from '../errors/arshai-error.js';

/**
 * A run waits in the queue of a workflow that no worker serves (no `WorkflowWorker` knows
 * the workflow's name). The run is not lost: it stays queued, and runs once a worker that
 * knows the workflow starts.
 *
 * @example
 * ```ts
 * try { await queue.result(runId) } catch (e) {
 *   if (NoWorkerError.isInstance(e)) console.log(`start a worker for ${e.workflow}`);
 * }
 * ```
 */
export class NoWorkerError extends ArshaiError {
  static override readonly code: string = 'NoWorkerError';

  readonly runId: string;
  readonly workflow: string;

  constructor(runId: string, workflow: string) {
    super(
      `Run "${runId}" is queued, but no worker serves workflow "${workflow}"; it stays queued until one does`,
      { retryable: true },
    );
    this.runId = runId;
    this.workflow = workflow;
  }
}
