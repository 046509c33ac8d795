import { InvalidInputError } from '../errors/invalid-input-error.js';
import { BudgetMeter, checkScopedBudget, type Spent } from '../llm/budget.js';
import { remoteParent } from '../telemetry/spans.js';
import type { SpanLike } from '../telemetry/telemetry-types.js';
import type { Checkpoint, PendingWrite } from './checkpointer.js';
import type { CompiledWorkflow, JoinProgress } from './compiled-workflow.js';
import type { RunStartOptions } from './runner-options.js';
import type { WorkflowResult } from './workflow-events.js';
import { initialState, type WorkflowState } from './workflow-state.js';

/** Where a run stands between steps. */
export interface Position<S extends object> {
  runId: string;
  step: number;
  /** The version the next checkpoint gets. */
  version: number;
  state: WorkflowState<S>;
  next: string[];
  answers?: { node: string; values: unknown[] } | undefined;
  /** Times the current step was resumed (0 for a step reached by the step before). */
  resumes: number;
  /**
   * The first execution's `ctx.attempt` of the current step's nodes, less one: the step's
   * resumes, plus the re-runs a queue knows of (a job taken again after its worker died).
   */
  attemptBase: number;
  /** Set when the step may have pending writes (it starts from a stored checkpoint). */
  stored: boolean;
  /** The run's signal: checkpoint writes honour it too. */
  signal: AbortSignal | undefined;
  /**
   * The run's never-aborting signal, made on first use, for nodes of a run without a signal:
   * one per run, so listeners that nodes add to it are freed with the run.
   */
  idle?: AbortSignal;
  /** What the run spends, against its budget if it has one (always kept: the run's total). */
  meter: BudgetMeter;
  /** The span the run's steps are children of (its `invoke_workflow` span, or a remote one). */
  span?: SpanLike | undefined;
  /** The run's trace (W3C `traceparent`), kept in its checkpoints to continue it elsewhere. */
  trace?: string | undefined;
  /** A subworkflow's run: how many of its parent node's answers it has been given. */
  delivered?: number | undefined;
  /** Which sources of each join have finished since it last ran. */
  joins?: JoinProgress | undefined;
  /** The finished branches of the current step while it waits on an interrupt. */
  writes?: PendingWrite[] | undefined;
  /** When the run started (its first checkpoint's time). */
  startedAt?: string | undefined;
}

/** The position a stored checkpoint describes (`resumed`: a claim of it is written next). */
export function positionOf<S extends object>(
  last: Checkpoint,
  signal: AbortSignal | undefined,
  resumed: boolean,
): Position<S> {
  const resumes = (last.resumes ?? 0) + (resumed ? 1 : 0);
  return {
    meter: new BudgetMeter(last.budget ?? {}, last.spent),
    ...(last.trace ? { trace: last.trace, span: remoteParent(last.trace) } : {}),
    runId: last.runId,
    step: last.step,
    version: last.version + 1,
    state: last.state as unknown as WorkflowState<S>,
    next: last.next,
    answers: last.answers,
    ...(last.writes ? { writes: last.writes } : {}),
    ...(last.joins ? { joins: last.joins } : {}),
    ...(last.delivered ? { delivered: last.delivered } : {}),
    ...(last.startedAt ? { startedAt: last.startedAt } : {}),
    resumes,
    attemptBase: resumes,
    stored: true,
    signal,
  };
}

/** The run's spending, for its result, once it spent anything. */
export function spentOf<S extends object>(position: Position<S>): { spent?: Spent } {
  return position.meter.used ? { spent: { ...position.meter.spent } } : {};
}

/**
 * A new run's position before its first step: the input's state checked against the
 * workflow's state schema (defaults applied), the entry point next.
 */
export function firstPosition<S extends object, I extends object>(
  workflow: CompiledWorkflow<S, I>,
  runId: string,
  input: Pick<RunStartOptions, 'userId' | 'inputData' | 'interactionCount' | 'budget'> & {
    state?: object | undefined;
  },
  now: Date,
  signal: AbortSignal | undefined,
): Position<S> {
  const schema = workflow.schema;
  const typed = schema
    ? { ...input, state: schema.input(input.state as Record<string, unknown>) as Partial<S> }
    : (input as typeof input & { state?: Partial<S> });
  return {
    runId,
    step: 0,
    version: 0,
    state: initialState<S>(typed, now.toISOString()),
    next: [workflow.entry],
    resumes: 0,
    attemptBase: 0,
    stored: false,
    signal,
    meter: new BudgetMeter(checkScopedBudget(input.budget) ?? {}),
  };
}

/** The result of a run that has no step left. */
export function completedResult<S extends object>(position: Position<S>): WorkflowResult<S> {
  return {
    runId: position.runId,
    status: 'completed',
    state: position.state,
    ...spentOf(position),
  };
}

/** Refuses a stored run of another workflow than `workflow` (`field`: the parameter to blame). */
export function assertOwnRun(workflow: { name: string }, last: Checkpoint, field = 'runId'): void {
  if (last.workflow !== workflow.name) {
    throw new InvalidInputError(
      field,
      `run "${last.runId}" belongs to workflow "${last.workflow}", not "${workflow.name}"`,
    );
  }
}
