import { AbortError } from '../errors/abort-error.js';
import { createLimiter } from '../utils/limiter.js';
import type { WorkflowResult } from './workflow-events.js';
import type { ExecuteWorkflowInput } from './workflow-runner.js';

/** Anything that runs a workflow: a `WorkflowRunner`, a `FallbackWorkflow`, your own. */
export interface WorkflowRunnable<S extends object = object> {
  executeWorkflow(input: ExecuteWorkflowInput<S>): Promise<WorkflowResult<S>>;
}

/** One item's outcome in a batch. */
export type BatchItemResult<S extends object> =
  | { index: number; status: 'completed' | 'interrupted' | 'failed'; result: WorkflowResult<S> }
  | { index: number; status: 'error' | 'skipped'; error: Error };

/** Options of {@link BatchProcessor.process}. */
export interface BatchOptions {
  /** Runs at once. @default 4 */
  concurrency?: number;
  /** Stop starting new items (and abort running ones) after the first failure. @default false */
  failFast?: boolean;
  signal?: AbortSignal;
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
    const limit = createLimiter(options.concurrency ?? 4);
    const stop = new AbortController();
    const signal = options.signal ? AbortSignal.any([options.signal, stop.signal]) : stop.signal;
    return Promise.all(
      inputs.map((input, index) =>
        limit(async (): Promise<BatchItemResult<S>> => {
          if (signal.aborted)
            return {
              index,
              status: 'skipped',
              error: new AbortError('Skipped: the batch stopped'),
            };
          try {
            const result = await this.workflow.executeWorkflow({ ...input, signal });
            if (result.status === 'failed' && options.failFast)
              stop.abort(new AbortError('A batch item failed'));
            return { index, status: result.status, result };
          } catch (error) {
            if (options.failFast) stop.abort(new AbortError('A batch item failed'));
            return {
              index,
              status: 'error',
              error: error instanceof Error ? error : new Error(String(error)),
            };
          }
        }),
      ),
    );
  }
}
