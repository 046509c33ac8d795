import { abortErrorFrom } from '../utils/abort.js';
import type { Checkpoint, Checkpointer } from './checkpointer.js';
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
