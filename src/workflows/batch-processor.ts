import { AbortError } from '../errors/abort-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { throwIfAborted } from '../utils/abort.js';
import { createLimiter } from '../utils/limiter.js';
import type { ExecuteWorkflowInput } from './runner-options.js';
import type { WorkflowResult } from './workflow-events.js';

/** Anything that runs a workflow: a `WorkflowRunner`, a `FallbackWorkflow`, your own. */
export interface WorkflowRunnable<S extends object = object> {
  executeWorkflow(input: ExecuteWorkflowInput<S>): Promise<WorkflowResult<S>>;
}

/**
 * One item's outcome in a batch: the run's result, or the error it threw; `skipped` items
 * never started and `cancelled` ones were stopped by fail-fast.
 */
export type BatchItemResult<S extends object> =
  | { index: number; status: 'completed' | 'interrupted' | 'failed'; result: WorkflowResult<S> }
  | { index: number; status: 'error' | 'skipped' | 'cancelled'; error: Error };

/** Options of {@link BatchProcessor.process}. */
export interface BatchOptions {
  /** Runs at once. @default 4 */
  concurrency?: number;
  /** Stop starting new items (and abort running ones) after the first failure. @default false */
  failFast?: boolean;
  /** Aborting it stops the batch: running items are aborted, and `process` rejects. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs one workflow over many inputs with a concurrency limit; each item gets its own result
 * or error, in input order.
 *
 * @example
 * ```ts
 * const results = await new BatchProcessor(runner).process(tickets.map((t) => ({ userId: t.user, inputData: t })), { concurrency: 8 });
 * ```
 */
export class BatchProcessor<S extends object = object> {
  readonly workflow: WorkflowRunnable<S>;

  constructor(workflow: WorkflowRunnable<S>) {
    this.workflow = workflow;
  }

  async process(
    inputs: ExecuteWorkflowInput<S>[],
    options: BatchOptions = {},
  ): Promise<BatchItemResult<S>[]> {
    if (!Array.isArray(inputs)) throw new InvalidInputError('inputs', 'must be an array');
    throwIfAborted(options.signal);
    const limit = createLimiter(options.concurrency ?? 4);
    const stop = new AbortController();
    const batch = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    const results = await Promise.all(
      inputs.map((input, index) =>
        limit(async (): Promise<BatchItemResult<S>> => {
          if (batch.aborted) {
            return {
              index,
              status: 'skipped',
              error: new AbortError('Skipped: the batch stopped'),
            };
          }
          const signal = input.signal ? AbortSignal.any([input.signal, batch]) : batch;
          try {
            const result = await this.workflow.executeWorkflow({ ...input, signal });
            if (result.status === 'failed' && options.failFast)
              stop.abort(new AbortError('A batch item failed'));
            return { index, status: result.status, result };
          } catch (error) {
            const err = error instanceof Error ? error : new Error(String(error));
            if (stop.signal.aborted && !input.signal?.aborted && AbortError.isInstance(error)) {
              return { index, status: 'cancelled', error: err };
            }
            if (options.failFast) stop.abort(new AbortError('A batch item failed'));
            return { index, status: 'error', error: err };
          }
        }),
      ),
    );
    throwIfAborted(options.signal);
    return results;
  }
}
