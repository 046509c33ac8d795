import { InvalidInputError } from '../errors/invalid-input-error.js';
import { withFallback } from '../resilience/basic-policies.js';
import { linkedController } from '../utils/abort.js';
import { checkTimeoutMs } from '../utils/option-checks.js';
import type { WorkflowRunnable } from './batch-processor.js';
import type { ExecuteWorkflowInput } from './runner-options.js';
import type { WorkflowResult } from './workflow-events.js';

/** A fallback workflow's result: which workflow produced it (0 = the primary). */
export type FallbackResult<S extends object> = WorkflowResult<S> & { workflowIndex: number };

/**
 * Runs the primary workflow; when it fails (a `failed` result or a thrown error other than
 * an abort of the caller's signal), each fallback in order. Same runnable contract as a
 * `WorkflowRunner`; when every one fails, an `AllAttemptsFailedError` lists their errors.
 * With a `runId`, the primary keeps it and fallback `i` runs as `<runId>-fallback-<i>`.
 *
 * @example
 * ```ts
 * const robust = new FallbackWorkflow(primaryRunner, [simpleRunner]);
 * const result = await robust.executeWorkflow({ userId: 'u1', inputData: 'hi' });
 * console.log(result.workflowIndex); // 1 when the fallback answered
 * ```
 */
export class FallbackWorkflow<S extends object = object> implements WorkflowRunnable<S> {
  readonly workflows: readonly WorkflowRunnable<S>[];

  constructor(primary: WorkflowRunnable<S>, fallbacks: WorkflowRunnable<S>[]) {
    if (!Array.isArray(fallbacks)) throw new InvalidInputError('fallbacks', 'must be an array');
    this.workflows = Object.freeze([primary, ...fallbacks]);
  }

  /**
   * Runs the workflows in order until one does not fail. `timeoutMs` limits the whole call:
   * past it, the workflow running then stops with a `TimeoutError` (resumable, as any run)
   * and no further fallback starts.
   */
  async executeWorkflow(input: ExecuteWorkflowInput<S>): Promise<FallbackResult<S>> {
    checkTimeoutMs(input?.timeoutMs, 'timeoutMs');
    const limit =
      input.timeoutMs === undefined
        ? undefined
        : linkedController(input.signal, input.timeoutMs, 'The fallback workflow call');
    const signal = limit?.signal ?? input.signal;
    const shared = limit ? { ...input, signal, timeoutMs: undefined } : input;
    try {
      // The toolkit's one fallback: a `failed` result counts as a failure of its workflow.
      const { value, index } = await withFallback(
        this.workflows.map((workflow, i) => async () => {
          const result = await workflow.executeWorkflow(
            input.runId && i > 0 ? { ...shared, runId: `${input.runId}-fallback-${i}` } : shared,
          );
          if (result.status === 'failed') throw result.error;
          return result;
        }),
        signal,
        'workflows',
      );
      return { ...value, workflowIndex: index };
    } finally {
      limit?.dispose();
    }
  }
}
