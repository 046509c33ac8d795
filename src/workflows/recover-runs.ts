import { InvalidInputError } from '../errors/invalid-input-error.js';
import { abortErrorFrom } from '../utils/abort.js';
import { checkCount } from '../utils/option-checks.js';
import type { RunSummary } from './checkpointer.js';
import type { RecoverOptions, RecoverReport } from './runner-options.js';
import { CheckpointError, RunConflictError } from './workflow-errors.js';
import type { WorkflowRunner } from './workflow-runner.js';

/**
 * `WorkflowRunner.recover`: resumes (claiming each, so two recovering processes never both run
 * one) the runs of the runner's workflow left `running` longer than `olderThanMs` ago.
 */
export async function recoverRuns<S extends object, I extends object>(
  runner: WorkflowRunner<S, I>,
  options: RecoverOptions,
  now: () => Date,
): Promise<RecoverReport<S>> {
  const checkpointer = runner.checkpointer;
  if (!checkpointer) throw new InvalidInputError('checkpointer', 'recover needs a checkpointer');
  if (options?.olderThanMs === undefined)
    throw new InvalidInputError('olderThanMs', 'is required: how old a stalled run must be');
  checkCount(options.olderThanMs, 'olderThanMs', 0);
  const concurrency = options.concurrency ?? 4;
  checkCount(concurrency, 'concurrency', 1);
  const { signal } = options;
  const before = now().getTime() - options.olderThanMs;
  let runs: RunSummary[];
  try {
    runs = await checkpointer.listRuns({ status: 'running', ...(signal ? { signal } : {}) });
  } catch (error) {
    if (signal?.aborted) throw abortErrorFrom(signal);
    throw new CheckpointError('*', -1, error, 'read');
  }
  // (A checkpointer of your own may list every status: the filter stays.)
  const stalled = runs.filter(
    (r) =>
      r.status === 'running' &&
      r.workflow === runner.workflow.name &&
      Date.parse(r.updatedAt) < before,
  );
  const report: RecoverReport<S> = { recovered: [], skipped: [], errors: [] };
  let i = 0;
  const work = async () => {
    for (let run = stalled[i++]; run; run = stalled[i++]) {
      try {
        report.recovered.push(await runner.resume(run.runId, signal ? { signal } : {}));
      } catch (error) {
        if (RunConflictError.isInstance(error)) report.skipped.push(run.runId);
        else
          report.errors.push({
            runId: run.runId,
            error: error instanceof Error ? error : new Error(String(error)),
          });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, stalled.length) }, work));
  return report;
}
