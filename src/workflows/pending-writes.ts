import { abortErrorFrom } from '../utils/abort.js';
import type { Checkpointer, PendingWrite } from './checkpointer.js';
import type { NodeOutcome } from './node-execution.js';
import { CheckpointError } from './workflow-errors.js';

/** A parallel step's pending writes in the checkpointer. */
export interface PendingWrites<S extends object> {
  /** The branches that finished before a crash (when the step starts from a stored checkpoint). */
  done(): Promise<Map<string, PendingWrite>>;
  /** Stores a branch's update as soon as it finished. */
  keep(outcome: NodeOutcome<S>): Promise<void>;
}

/**
 * The pending writes of the step `position` stands at, or undefined for a checkpointer
 * without them. A failing store is a `CheckpointError`, an abort stays an abort.
 */
export function pendingWrites<S extends object>(
  store: Checkpointer | undefined,
  position: { runId: string; step: number; signal: AbortSignal | undefined; stored: boolean },
): PendingWrites<S> | undefined {
  if (!store?.putWrite || !store.getWrites) return undefined;
  const { runId, step, signal } = position;
  const options = signal ? { signal } : undefined;
  const guard = async <T>(operation: 'read' | 'write', work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      if (signal?.aborted) throw abortErrorFrom(signal);
      throw new CheckpointError(runId, step, error, operation);
    }
  };
  return {
    done: async (): Promise<Map<string, PendingWrite>> => {
      if (!position.stored) return new Map();
      const writes = await guard(
        'read',
        async () => (await store.getWrites?.(runId, step, options)) ?? [],
      );
      // An interrupted node, answered, must run again: it never left a write.
      return new Map(writes.map((w) => [w.node, w]));
    },
    keep: (outcome: NodeOutcome<S>) =>
      guard('write', () => {
        const update = outcome.update as Record<string, unknown> | undefined;
        const write: PendingWrite = { node: outcome.node, update };
        return store.putWrite?.(runId, step, write, options) ?? Promise.resolve();
      }),
  };
}
