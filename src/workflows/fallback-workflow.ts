import { AllAttemptsFailedError } from '../resilience/resilience-errors.js';
import { throwIfAborted } from '../utils/abort.js';
import type { WorkflowRunnable } from './batch-processor.js';
import type { WorkflowResult } from './workflow-events.js';
import type { ExecuteWorkflowInput } from './workflow-runner.js';

/**
 * Runs the primary workflow; when it fails (a `failed` result or a thrown error), each
 * fallback in order. Same runnable contract as a `WorkflowRunner`.
 *
 * @example
 * ```ts
 * const robust = new FallbackWorkflow(primaryRunner, [simpleRunner]);
 * const result = await robust.executeWorkflow({ userId: 'u1', inputData: 'hi' });
 * ```
 */
export class FallbackWorkflow<S extends object = object> implements WorkflowRunnable<S> {
  readonly workflows: WorkflowRunnable<S>[];
  /** Which workflow produced the last result (0 = primary). */
  lastUsed = -1;

  constructor(primary: WorkflowRunnable<S>, fallbacks: WorkflowRunnable<S>[]) {
    this.workflows = [primary, ...fallbacks];
  }

  async executeWorkflow(input: ExecuteWorkflowInput<S>): Promise<WorkflowResult<S>> {
    const errors: unknown[] = [];
    for (const [i, workflow] of this.workflows.entries()) {
      throwIfAborted(input.signal);
      try {
        const result = await workflow.executeWorkflow(
          input.runId ? { ...input, runId: `${input.runId}-${i}` } : input,
        );
        if (result.status !== 'failed') {
          this.lastUsed = i;
          return result;
        }
        errors.push(result.error);
      } catch (error) {
        throwIfAborted(input.signal);
        errors.push(error);
      }
    }
    throw new AllAttemptsFailedError(errors, 'workflows');
  }
}
