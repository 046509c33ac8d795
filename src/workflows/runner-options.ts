import type { Budget, Spent } from '../llm/budget.js';
import type { Pricing } from '../llm/pricing.js';
import type { ApprovalDecision } from '../llm/tool-approval.js';
import type { TelemetryOptions } from '../telemetry/telemetry-types.js';
import type { Logger } from '../utils/logger.js';
import type { Checkpointer, Retention, RunStatus } from './checkpointer.js';
import type { WorkflowResult } from './workflow-events.js';

/** Options of {@link WorkflowRunner}. */
export interface WorkflowRunnerOptions {
  /** Persists a checkpoint after every step; needed for `resume`. */
  checkpointer?: Checkpointer;
  /**
   * Most node executions per run; past it the run fails with `StepLimitExceededError`.
   * @default 100
   */
  maxSteps?: number;
  /** Clock, for tests. @default () => new Date() */
  now?: () => Date;
  /**
   * Prices of models, for the model calls of the run's nodes whose client has no `pricing`
   * of its own: the run's `spent.costUsd` (and its `maxCostUsd` budget) then count them.
   * @default none
   */
  pricing?: Pricing;
  /**
   * OpenTelemetry: an `invoke_workflow {name}` span per run (per call of `executeWorkflow`
   * or `resume`), a child span per step and per node (run id, step, node, attempt, status),
   * the step duration metric with a meter. A run continued in another process (a resume, a
   * queue worker) joins the same trace. The clients of the nodes trace their own calls.
   * @default none
   */
  telemetry?: TelemetryOptions;
  /** When a node starts (run id, node, step). A hook that throws is logged; the run goes on. */
  onNodeStart?: (event: { runId: string; node: string; step: number }) => void;
  /** When a node finished: its update, or its error, and how long it took. */
  onNodeFinish?: (event: {
    runId: string;
    node: string;
    step: number;
    durationMs: number;
    update?: unknown;
    error?: Error;
    /** What the node's model and tool calls spent (tokens, cost, calls), when any. */
    spent?: Spent;
  }) => void;
  /** Receives throwing hooks. @default silent */
  logger?: Logger;
  /**
   * How much history a finished run keeps: when a run completes or fails, its older
   * checkpoints beyond `keepLast` or `maxAgeMs` are pruned (its latest always stays; a
   * checkpointer without `prune` keeps all). A failing prune is logged; the run's result
   * stands. `checkpointer.prune(retention)` prunes every finished run at once.
   * @default keep everything
   */
  retention?: Retention;
}

/**
 * What `executeWorkflow` takes: the run's options, and `state`, the initial values of your
 * own state fields, typed by the workflow's input state `I` — required when `I` has required
 * fields (without a state schema, the fields of `S` that are not optional; with one, those
 * without a default).
 *
 * @example
 * ```ts
 * const input: ExecuteWorkflowInput<{ sources: string[] }> = { userId: 'u1', state: { sources: [] } };
 * ```
 */
export type ExecuteWorkflowInput<S extends object, I extends object = S> = RunStartOptions &
  InitialState<I>;

/** `state` of {@link ExecuteWorkflowInput}: optional only when every field of `I` is. */
// biome-ignore lint/complexity/noBannedTypes: "every field of I is optional" is `{} extends I`
export type InitialState<I extends object> = {} extends I
  ? {
      /** Initial values of your own state fields. */
      state?: I;
    }
  : {
      /** Initial values of your own state fields. */
      state: I;
    };

/** What `executeWorkflow` takes besides the initial state. */
export interface RunStartOptions {
  userId: string;
  /** The run's input: every node receives it (and it is kept as `state.input`). */
  inputData?: unknown;
  /** @default a random UUID */
  runId?: string;
  signal?: AbortSignal | undefined;
  /**
   * Time limit of this call: past it the run stops with a `TimeoutError` and stays resumable
   * from its last checkpoint.
   */
  timeoutMs?: number | undefined;
  /** @default 1 */
  interactionCount?: number;
  /**
   * Limits of the whole run — every model call and tool call of every node and parallel
   * branch counts, also across processes. When one runs out, the run stops before the next
   * call with `BudgetExceededError`, recorded `over-budget`; `resume(runId, { budget })` with
   * a larger one continues it. Branches in flight may overspend by the calls they had started.
   */
  budget?: Budget;
}

/** What `resume` takes. */
export interface ResumeOptions {
  /**
   * The answer to the pending interrupt: required when the run is `interrupted`, refused with
   * `RunConflictError` when it is not (another runner answered or continued it first).
   */
  value?: unknown;
  /**
   * Decisions for a run waiting on a tool approval (a node's `ctx.chat` stopped before tools
   * that need one): one per pending call id, as `chat({ approvals })` takes them.
   */
  approvals?: Record<string, ApprovalDecision>;
  signal?: AbortSignal | undefined;
  /** Time limit of this call, as in `executeWorkflow`. */
  timeoutMs?: number | undefined;
  /** A new budget for the run (it replaces the one it had; what it spent still counts). */
  budget?: Budget;
}

/** What `fork` takes. */
export interface ForkOptions<S extends object = object> {
  /** The step to start from: the state after that step of the old run, and its next nodes. */
  step: number;
  /**
   * Fields to change in that state before going on (your own fields; the engine's are
   * refused), checked against the state schema when the workflow has one.
   */
  state?: Partial<S>;
  /** The new run's id. @default a random UUID */
  runId?: string;
  signal?: AbortSignal | undefined;
  /** Time limit of this call, as in `executeWorkflow`. */
  timeoutMs?: number | undefined;
  /** The new run's budget. @default none */
  budget?: Budget;
}

/** What `recover` takes. */
export interface RecoverOptions {
  /**
   * Only runs whose last checkpoint is older than this: longer than your slowest step, so a
   * run that is still making progress in a live process is left alone.
   */
  olderThanMs: number;
  signal?: AbortSignal | undefined;
  /** Runs continued at once. @default 4 */
  concurrency?: number;
}

/** What `recover` did: every stalled run found is in exactly one list. */
export interface RecoverReport<S extends object> {
  /** The runs it continued, as they ended (completed, interrupted or failed). */
  recovered: WorkflowResult<S>[];
  /** Runs another process claimed first (`RunConflictError`): theirs to finish. */
  skipped: string[];
  /** Runs it could not continue, with why (a failing store, a stop of this call). */
  errors: Array<{ runId: string; error: Error }>;
}

/** What `runStep` takes: which step of the run a queue job stands for. */
export interface RunStepOptions {
  /** The checkpoint step the job continues from. */
  step: number;
  /** The resumes of that step the job was made for. @default 0 */
  resumes?: number;
  /** How many times the job was taken, this one included (a queue's count). @default 1 */
  taken?: number;
  signal?: AbortSignal | undefined;
}

/**
 * Where a run stands, as a queue needs it: its status, and the checkpoint step (with its
 * resumes) that runs next while it is `running` — the job that stands for it.
 */
export interface RunPosition<S extends object> {
  runId: string;
  /** The run's workflow. */
  workflow: string;
  status: RunStatus;
  step: number;
  resumes: number;
  /** Set when the run has stopped: completed, interrupted or failed. */
  result?: WorkflowResult<S>;
}

/** What `runStep` did. */
export interface StepRun<S extends object> extends RunPosition<S> {
  /**
   * `ran`: this call ran the step and stored its checkpoint. `stale`: the run is not at this
   * step (it ran already, was resumed since, or stopped): nothing ran.
   */
  outcome: 'ran' | 'stale';
}
