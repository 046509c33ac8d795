import { abortErrorFrom } from '../utils/abort.js';
import type { Logger } from '../utils/logger.js';
import type { Checkpoint, Checkpointer, Retention } from './checkpointer.js';
import { CheckpointError, RunConflictError } from './workflow-errors.js';

/**
 * Stores a checkpoint: a conflict stays a `RunConflictError`, an abort an `AbortError`, and
 * any other failure of the store becomes a `CheckpointError`.
 */
export async function putCheckpoint(
  checkpointer: Checkpointer,
  checkpoint: Checkpoint,
  signal: AbortSignal | undefined,
): Promise<void> {
  try {
    await checkpointer.put(checkpoint, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw abortErrorFrom(signal);
    if (RunConflictError.isInstance(error)) throw error;
    throw new CheckpointError(checkpoint.runId, checkpoint.step, error);
  }
}

/** A run's newest checkpoint; a failing store is a `CheckpointError` (never an abort). */
export async function latestCheckpoint(
  checkpointer: Checkpointer,
  runId: string,
  signal: AbortSignal | undefined,
): Promise<Checkpoint | undefined> {
  try {
    return await checkpointer.getLatest(runId, signal ? { signal } : undefined);
  } catch (error) {
    if (signal?.aborted) throw abortErrorFrom(signal);
    throw new CheckpointError(runId, -1, error, 'read');
  }
}

/**
 * Prunes a finished run's history by a runner's `retention`; a failing prune is logged (the
 * run's result stands), never thrown.
 */
export async function retain(
  checkpointer: Checkpointer | undefined,
  options: { retention?: Retention | undefined; logger?: Logger | undefined },
  runId: string,
  status: string,
  now: () => Date,
): Promise<void> {
  const { retention } = options;
  if (!retention || !checkpointer?.prune || (status !== 'completed' && status !== 'failed')) return;
  try {
    await checkpointer.prune({ ...retention, runId, now: now() });
  } catch (error) {
    options.logger?.warn('workflow.prune.failed', {
      runId,
      error: error instanceof Error ? error.name : 'Error',
    });
  }
}
