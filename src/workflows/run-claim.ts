import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { Budget } from '../llm/budget.js';
import { type ApprovalDecision, checkResume } from '../llm/tool-approval.js';
import { assertRunId } from '../utils/ids.js';
import { latestCheckpoint, putCheckpoint } from './checkpoint-io.js';
import type { Checkpoint, Checkpointer } from './checkpointer.js';
import type { RunPosition } from './runner-options.js';
import {
  NodeExecutionError,
  RunConflictError,
  RunNotFoundError,
  StoredRunError,
  WorkflowRunError,
} from './workflow-errors.js';
import type { WorkflowResult } from './workflow-events.js';
import type { WorkflowState } from './workflow-state.js';

/** What `claimRun` and `cancelRun` take. */
export interface RunControlOptions {
  signal?: AbortSignal | undefined;
  /** Clock of the checkpoint written. @default () => new Date() */
  now?: () => Date;
}

/**
 * Claims a stored run to continue it — `resume` without running anything, for queues (after
 * it, a worker runs the step the result names): writes a `running` checkpoint of its own,
 * with the step's resumes counted and `value` as the answer to a pending interrupt. If
 * another process continued the run meanwhile, it rejects with `RunConflictError`. A
 * completed or failed run is not claimed: its result comes back.
 *
 * @example
 * ```ts
 * const { step, resumes } = await claimRun(checkpointer, runId, { value: 'approve' });
 * ```
 */
export async function claimRun<S extends object = object>(
  checkpointer: Checkpointer,
  runId: string,
  options: RunControlOptions & { value?: unknown; budget?: Budget; approvals?: unknown } = {},
): Promise<RunPosition<S>> {
  return claimStored<S>(
    checkpointer,
    await storedRun(checkpointer, runId, options.signal),
    options,
  );
}

/** `claimRun` of a checkpoint already read (the newest of its run): checked, then claimed. */
export async function claimStored<S extends object = object>(
  checkpointer: Checkpointer,
  last: Checkpoint,
  options: RunControlOptions & { value?: unknown; budget?: Budget; approvals?: unknown } = {},
): Promise<RunPosition<S>> {
  const claimed = claimOf(last, options, options.now ?? (() => new Date()));
  if (!isCheckpoint(claimed))
    return { ...positionOfRun<S>(last), result: claimed as WorkflowResult<S> };
  await putCheckpoint(checkpointer, claimed, options.signal);
  return positionOfRun<S>(claimed);
}

/**
 * Records a stored run as `cancelled` where it stands (a compare-and-set: if a step lands
 * meanwhile, the cancel applies to it). The worker running its step, if any, loses the
 * race to store it and drops its result. Resolves `false` when the run had already stopped
 * (completed, failed, cancelled or timed out); `resume` continues a cancelled run.
 *
 * @example
 * ```ts
 * await cancelRun(checkpointer, runId, { reason: 'the customer left' });
 * ```
 */
export async function cancelRun(
  checkpointer: Checkpointer,
  runId: string,
  options: RunControlOptions & { reason?: string } = {},
): Promise<boolean> {
  const now = options.now ?? (() => new Date());
  for (;;) {
    const last = await storedRun(checkpointer, runId, options.signal);
    if (last.status !== 'running' && last.status !== 'interrupted') return false;
    const { interrupt: _asked, ...rest } = last;
    const cancelled: Checkpoint = {
      ...rest,
      version: last.version + 1,
      status: 'cancelled',
      ran: [],
      error: { name: 'AbortError', message: options.reason ?? 'The run was cancelled' },
      createdAt: now().toISOString(),
    };
    try {
      await putCheckpoint(checkpointer, cancelled, options.signal);
      return true;
    } catch (error) {
      if (!RunConflictError.isInstance(error)) throw error; // else: a step landed; again
    }
  }
}

/** The claim of `last`, or the result of a run that is finished (nothing to claim). */
export function claimOf(
  last: Checkpoint,
  given: { value?: unknown; budget?: Budget; approvals?: unknown },
  now: () => Date,
): Checkpoint | WorkflowResult {
  const { runId } = last;
  const options = withApprovals(last, given);
  const state = last.state as unknown as WorkflowState<object>;
  if ('value' in options && last.status !== 'interrupted') {
    // The question was answered already (or never asked): this answer must not count.
    throw new RunConflictError(runId, last.version + 1, `it is ${last.status}, not waiting`);
  }
  if (last.status === 'completed') return { runId, status: 'completed', state };
  // A failed run that kept where it stood (a node failure, its step limit, a reducer) is
  // retried from there; one that did not (its state broke the schema) stays failed.
  if (last.status === 'failed' && last.next.length === 0) return failedResult(last);
  let answers = last.answers;
  if (last.status === 'interrupted' && last.interrupt) {
    const { node } = last.interrupt;
    if (!('value' in options)) {
      throw new InvalidInputError('value', `run "${runId}" waits for an answer to "${node}"`);
    }
    const before = answers?.node === node ? answers.values : [];
    answers = { node, values: [...before, options.value] };
  }
  const { interrupt: _asked, error: _stopped, answers: _old, ...rest } = last;
  return {
    ...rest,
    version: last.version + 1,
    status: 'running',
    ran: [],
    ...(answers ? { answers } : {}),
    ...(options.budget ? { budget: options.budget } : {}),
    resumes: (last.resumes ?? 0) + 1,
    createdAt: now().toISOString(),
  };
}

/**
 * `approvals` as the answer to a tool-approval interrupt: the decisions with the stopped
 * call's state (kept in the interrupt's payload), so the node continues it where it stopped.
 */
function withApprovals(
  last: Checkpoint,
  options: { value?: unknown; budget?: Budget; approvals?: unknown },
): { value?: unknown; budget?: Budget } {
  if (options.approvals === undefined) {
    const asked = last.status === 'interrupted' ? last.interrupt?.payload : undefined;
    if ('value' in options && (asked as { type?: unknown })?.type === 'tool-approval')
      throw new InvalidInputError(
        'value',
        `run "${last.runId}" waits for a tool approval: resume it with { approvals }`,
      );
    return options;
  }
  const { approvals, ...rest } = options;
  if ('value' in options)
    throw new InvalidInputError('approvals', 'give either value or approvals, not both');
  if (typeof approvals !== 'object' || approvals === null)
    throw new InvalidInputError('approvals', 'must be { [callId]: { approve } }');
  if (last.status !== 'interrupted')
    throw new RunConflictError(last.runId, last.version + 1, `it is ${last.status}, not waiting`);
  const payload = last.interrupt?.payload as { type?: unknown; state?: unknown } | undefined;
  if (payload?.type !== 'tool-approval')
    throw new InvalidInputError(
      'approvals',
      `run "${last.runId}" does not wait for a tool approval`,
    );
  // Checked now, so that a wrong answer leaves the run waiting.
  checkResume(payload.state, approvals as Record<string, ApprovalDecision>);
  return { ...rest, value: { approvals, state: payload.state } };
}

/** Whether `claimOf` gave a claim (not a finished run's result). */
export function isCheckpoint(claimed: Checkpoint | WorkflowResult): claimed is Checkpoint {
  return 'version' in claimed;
}

/**
 * The result of a run stored as failed: its error as the checkpoint kept it — a
 * `NodeExecutionError` naming the node when a node failed, with the original error's name,
 * message and retryability (as a `StoredRunError` cause).
 */
export function failedResult<S extends object>(last: Checkpoint): WorkflowResult<S> {
  const state = last.state as unknown as WorkflowState<S>;
  const kept = last.error ?? { name: 'Error', message: 'unknown' };
  const stored = new StoredRunError(kept);
  const error = kept.node
    ? new NodeExecutionError(
        kept.node,
        last.runId,
        state,
        kept.cause ? new StoredRunError({ ...kept.cause, retryable: kept.retryable }) : stored,
      )
    : new WorkflowRunError(`Run "${last.runId}" had failed: ${stored.message}`, last.runId, state, {
        cause: stored,
        retryable: stored.retryable,
      });
  return { runId: last.runId, status: 'failed', state, error };
}

/** Where a stored run stands, with its result once it has stopped. */
export function positionOfRun<S extends object>(c: Checkpoint): RunPosition<S> {
  const position: RunPosition<S> = {
    runId: c.runId,
    workflow: c.workflow,
    status: c.status,
    step: c.step,
    resumes: c.resumes ?? 0,
  };
  const state = c.state as unknown as WorkflowState<S>;
  if (c.status === 'completed') position.result = { runId: c.runId, status: 'completed', state };
  if (c.status === 'failed') position.result = failedResult(c);
  if (c.status === 'interrupted' && c.interrupt)
    position.result = { runId: c.runId, status: 'interrupted', state, interrupt: c.interrupt };
  if (position.result && c.spent) position.result.spent = { ...c.spent };
  return position;
}

/** A run's newest checkpoint, which must exist. */
export async function storedRun(
  checkpointer: Checkpointer,
  runId: string,
  signal: AbortSignal | undefined,
): Promise<Checkpoint> {
  assertRunId(runId, 'runId');
  const last = await latestCheckpoint(checkpointer, runId, signal);
  if (!last) throw new RunNotFoundError(runId);
  return last;
}
