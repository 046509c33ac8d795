import { InvalidInputError } from '../errors/invalid-input-error.js';
import { throwIfAborted } from '../utils/abort.js';
import type { Checkpoint } from './checkpointer.js';
import { type Position, positionOf, type StepEngine } from './step-engine.js';
import { RunConflictError, WorkflowRunError } from './workflow-errors.js';
import type { WorkflowResult } from './workflow-events.js';
import type { WorkflowState } from './workflow-state.js';

/**
 * Claims a run to continue it from its newest checkpoint `last`: writes a checkpoint of its
 * own (`running`, the step's resumes counted), so another runner that continued it meanwhile
 * makes this reject with `RunConflictError` before anything runs. A finished run is not
 * claimed: its result comes back as it was.
 */
export async function claimRun<S extends object>(
  engine: StepEngine<S>,
  last: Checkpoint,
  options: { value?: unknown },
  signal: AbortSignal | undefined,
): Promise<Position<S> | WorkflowResult<S>> {
  const { runId } = last;
  const state = last.state as unknown as WorkflowState<S>;
  if ('value' in options && last.status !== 'interrupted') {
    // The question was answered already (or never asked): this answer must not count.
    throw new RunConflictError(runId, last.version + 1, `it is ${last.status}, not waiting`);
  }
  if (last.status === 'completed') return { runId, status: 'completed', state };
  if (last.status === 'failed') return failedResult(last);
  let answers = last.answers;
  if (last.status === 'interrupted' && last.interrupt) {
    const { node } = last.interrupt;
    if (!('value' in options)) {
      throw new InvalidInputError('value', `run "${runId}" waits for an answer to "${node}"`);
    }
    const before = answers?.node === node ? answers.values : [];
    answers = { node, values: [...before, options.value] };
  }
  const position: Position<S> = { ...positionOf<S>(last, signal, true), answers };
  throwIfAborted(signal);
  await engine.checkpoint(position, 'running', []);
  return position;
}

/** The result of a run stored as failed. */
export function failedResult<S extends object>(last: Checkpoint): WorkflowResult<S> {
  const state = last.state as unknown as WorkflowState<S>;
  const message = `Run "${last.runId}" had failed: ${last.error?.name}: ${last.error?.message}`;
  return {
    runId: last.runId,
    status: 'failed',
    state,
    error: new WorkflowRunError(message, last.runId, state),
  };
}

/** Whether `claimRun` gave a position to continue from (not a finished run's result). */
export function isPosition<S extends object>(
  claimed: Position<S> | WorkflowResult<S>,
): claimed is Position<S> {
  return 'version' in claimed;
}
