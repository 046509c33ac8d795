import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { Budget, Spent } from '../llm/budget.js';
import type { WorkflowState } from './workflow-state.js';

/**
 * Where a run stands. `running` after a crash means: resume continues it. `cancelled` (its
 * signal aborted, or its stream's consumer stopped reading) and `timed-out` (its `timeoutMs`
 * passed) mean the caller stopped it: it runs nowhere, and `resume` continues it safely.
 * `over-budget`: its budget ran out before a model or tool call; `resume(runId, { budget })`
 * with a larger one continues it.
 */
export type RunStatus =
  | 'running'
  | 'interrupted'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'timed-out'
  | 'over-budget';

/**
 * Every {@link RunStatus}, in the order of a run's life.
 *
 * @example
 * ```ts
 * const waiting = await checkpointer.listRuns({ status: 'interrupted' });
 * console.log(RUN_STATUSES.includes('interrupted')); // true
 * ```
 */
export const RUN_STATUSES: readonly RunStatus[] = Object.freeze([
  'running',
  'interrupted',
  'completed',
  'failed',
  'cancelled',
  'timed-out',
  'over-budget',
] as const);

/** The state of a run after one step, as persisted (JSON: values like `Date` become strings). */
export interface Checkpoint {
  runId: string;
  /** The workflow's name. */
  workflow: string;
  /** Super-step number: 0 is the initial state, then one per step. */
  step: number;
  /**
   * The checkpoint's number in its run: 0, 1, 2, ... (a resume writes one too, to claim the
   * run). `put` refuses a version the run already has, so two runners never both continue it.
   */
  version: number;
  status: RunStatus;
  state: WorkflowState<Record<string, unknown>>;
  /** Nodes to run next. */
  next: string[];
  /** Nodes that ran in this step. */
  ran: string[];
  /** Set while interrupted: which node asked, and what it asked. */
  interrupt?: { node: string; payload: unknown };
  /** Answers given so far to a node's interrupts, in order; kept until the node finishes. */
  answers?: { node: string; values: unknown[] };
  /** The fingerprint of the graph that wrote it (`CompiledWorkflow.fingerprint`). */
  graph?: string;
  /** Set when failed, cancelled or timed out. */
  error?: {
    name: string;
    message: string;
    node?: string;
    retryable?: boolean;
    /** The error a node failed with (`NodeExecutionError`'s cause). */
    cause?: { name: string; message: string };
  };
  /**
   * How many times this step was resumed (claimed again after a crash, a stop or an
   * interrupt); absent when 0. A node's `ctx.attempt` counts from it, and a queue names the
   * step's job by it, so a resumed step gets a job of its own.
   */
  resumes?: number;
  /** The run's budget, when it has one (`executeWorkflow({ budget })`, raised by `resume`). */
  budget?: Budget;
  /** What the run has spent so far (model calls, tool calls, tokens, cost), once it spent any. */
  spent?: Spent;
  /** The run's trace (W3C `traceparent`) when traced: a run continued elsewhere joins it. */
  trace?: string;
  /**
   * While a step waits on an interrupt: the updates of its branches that finished, merged
   * (with the answered branch's) when the step completes — a parallel step is one unit.
   */
  writes?: PendingWrite[];
  /**
   * A subworkflow's run only: how many of its parent node's answers it has been given (each
   * answer of the parent reaches the child once, also across crashes).
   */
  delivered?: number;
  /** Set on the first checkpoint of a run made by `fork`: the run and step it started from. */
  forkedFrom?: { runId: string; step: number };
  /** Joins some of whose sources have finished: join (`a&b>merge`) → the sources done. */
  joins?: Record<string, string[]>;
  /** ISO time. */
  createdAt: string;
  /** When the run started: its first checkpoint's `createdAt` (absent in runs stored before it was kept). */
  startedAt?: string;
}

/** One line per run, newest first, as `listRuns` gives them. */
export interface RunSummary {
  runId: string;
  workflow: string;
  status: RunStatus;
  step: number;
  userId: string;
  updatedAt: string;
  /** When the run started, where recorded. */
  startedAt?: string;
  /** What the run has spent (tokens, cost, calls), where recorded. */
  spent?: Spent;
  /**
   * Where the run stands in the listing (opaque): `listRuns({ cursor })` lists the runs after
   * it. A run updated meanwhile moves to the top of the list.
   */
  cursor?: string;
}

/** What `listRuns` takes. */
export interface ListRunsOptions extends CheckpointerCallOptions {
  /** Most runs to list. @default all */
  limit?: number;
  /** The `cursor` of the last run of the previous page: the runs after it. @default the newest */
  cursor?: string;
  /**
   * Only the runs that stand at this status (or one of these) now: `'interrupted'` lists the
   * runs waiting for a human, `'running'` the ones to recover. `limit` and `cursor` apply
   * to the runs listed. @default every status
   */
  status?: RunStatus | readonly RunStatus[];
}

/**
 * The update one branch of a parallel step returned, stored as soon as the branch finished,
 * so that after a crash only the branches that had not finished run again.
 */
export interface PendingWrite {
  node: string;
  /** The branch's update, as JSON (`undefined` when it returned nothing). */
  update: Record<string, unknown> | undefined;
}

/**
 * How much history finished runs keep: `prune` removes older checkpoints of completed and
 * failed runs (and their pending writes); the latest checkpoint of every run always stays,
 * and runs that can still go on (running, interrupted, stopped) keep all of theirs.
 */
export interface Retention {
  /** Checkpoints to keep per finished run, the newest. @default all */
  keepLast?: number;
  /** Checkpoints older than this go (by `createdAt`). @default none by age */
  maxAgeMs?: number;
}

/** What `prune` takes: a retention, for one run (and its subworkflows' runs) or for all. */
export interface PruneOptions extends Retention, CheckpointerCallOptions {
  /** Only this run. @default every run */
  runId?: string;
  /** The clock `maxAgeMs` counts from. @default new Date() */
  now?: Date;
}

/** Statuses of runs that can never go on: their old checkpoints can be pruned. */
export const FINISHED: ReadonlySet<RunStatus> = new Set(['completed', 'failed']);

/** A retention, checked: `keepLast` a positive integer, `maxAgeMs` non-negative. */
export function checkRetention(retention: Retention): { keep: number; cutoff: string } {
  const { keepLast, maxAgeMs } = retention ?? {};
  if (keepLast !== undefined && !(Number.isInteger(keepLast) && keepLast >= 1))
    throw new InvalidInputError('keepLast', 'must be a positive integer');
  if (maxAgeMs !== undefined && !(Number.isFinite(maxAgeMs) && maxAgeMs >= 0))
    throw new InvalidInputError('maxAgeMs', 'must be a non-negative number of milliseconds');
  const now = (retention as PruneOptions).now ?? new Date();
  return {
    keep: keepLast ?? Number.MAX_SAFE_INTEGER,
    cutoff: maxAgeMs === undefined ? '' : new Date(now.getTime() - maxAgeMs).toISOString(),
  };
}

/**
 * The positions (oldest first) of a finished run's checkpoints that a retention removes:
 * older than the newest `keep`, or created before `cutoff`; never the newest one.
 */
export function prunable(
  entries: readonly { createdAt: string }[],
  limits: { keep: number; cutoff: string },
): number[] {
  const out: number[] = [];
  const last = entries.length - 1;
  entries.forEach((e, i) => {
    if (i < last && (last - i >= limits.keep || e.createdAt < limits.cutoff)) out.push(i);
  });
  return out;
}

/** Per-call options of a checkpointer: a store that can hang (a network) must honour `signal`. */
export interface CheckpointerCallOptions {
  signal?: AbortSignal | undefined;
}

/**
 * Persists a checkpoint after every step, so a run can be resumed after a crash or an
 * interrupt. Implementations: `InMemoryCheckpointer`, `SqliteCheckpointer` (the embedded
 * default), `RedisCheckpointer`; all pass one conformance suite.
 *
 * Retention: checkpoints stay until `delete(runId)` removes a run (the Redis checkpointer
 * can also expire runs with `ttlMs`); delete runs you no longer need to resume or inspect.
 *
 * @example
 * ```ts
 * const checkpointer: Checkpointer = new InMemoryCheckpointer();
 * const runs = await checkpointer.listRuns({ limit: 10 });
 * ```
 */
export interface Checkpointer {
  /**
   * Stores a checkpoint atomically. Rejects with `RunConflictError` when the run already has
   * a checkpoint with this `version`, and with `InvalidInputError` when the checkpoint is not
   * JSON; in both cases nothing is stored.
   */
  put(checkpoint: Checkpoint, options?: CheckpointerCallOptions): Promise<void>;
  /** The newest checkpoint of a run. */
  getLatest(runId: string, options?: CheckpointerCallOptions): Promise<Checkpoint | undefined>;
  /** Every checkpoint of a run, oldest first. */
  history(runId: string, options?: CheckpointerCallOptions): Promise<Checkpoint[]>;
  /** Runs, newest first (not the runs of subworkflows inside them). */
  listRuns(options?: ListRunsOptions): Promise<RunSummary[]>;
  /**
   * Removes every checkpoint of a run (and its pending writes, and the runs of subworkflows
   * inside it); resolves with how many checkpoints of the run itself went (0 for an unknown run).
   */
  delete(runId: string, options?: CheckpointerCallOptions): Promise<number>;
  /**
   * Stores the update of a finished branch of the parallel step that starts from checkpoint
   * `step` (a second write of the same branch replaces the first). Optional: a checkpointer
   * without it re-runs every branch of an unfinished parallel step.
   */
  putWrite?(
    runId: string,
    step: number,
    write: PendingWrite,
    options?: CheckpointerCallOptions,
  ): Promise<void>;
  /** The pending writes of the step that starts from checkpoint `step`, in no set order. */
  getWrites?(
    runId: string,
    step: number,
    options?: CheckpointerCallOptions,
  ): Promise<PendingWrite[]>;
  /**
   * Removes old checkpoints of finished runs by `retention` (see {@link Retention});
   * resolves with how many went. Optional: a checkpointer without it keeps everything.
   */
  prune?(options: PruneOptions): Promise<number>;
  close(): Promise<void>;
}

/** The summary line of a checkpoint. */
export function summarize(c: Checkpoint): RunSummary {
  return {
    runId: c.runId,
    workflow: c.workflow,
    status: c.status,
    step: c.step,
    userId: c.state.userContext.userId,
    updatedAt: c.createdAt,
    ...(c.startedAt ? { startedAt: c.startedAt } : {}),
    ...(c.spent ? { spent: c.spent } : {}),
  };
}

/** The checkpoint as JSON, or an `InvalidInputError` naming the state when it is not JSON. */
export function serializeCheckpoint(c: Checkpoint): string {
  try {
    return JSON.stringify(c);
  } catch (error) {
    throw new InvalidInputError('checkpoint.state', 'must be JSON-serialisable', { cause: error });
  }
}

/** A pending write as JSON, or an `InvalidInputError` naming the update when it is not JSON. */
export function serializeWrite(write: PendingWrite): string {
  try {
    return JSON.stringify(write);
  } catch (error) {
    throw new InvalidInputError('write.update', 'must be JSON-serialisable', { cause: error });
  }
}

/**
 * A `cursor` made of a sequence number (SQLite, Postgres, in memory): the runs listed are
 * those before it. No cursor: from the newest.
 */
export function seqCursor(cursor: string | undefined): number {
  if (cursor === undefined) return Number.MAX_SAFE_INTEGER;
  if (typeof cursor !== 'string' || !/^\d{1,15}$/.test(cursor))
    throw new InvalidInputError(
      'cursor',
      'must be the cursor of a run listed by this checkpointer',
    );
  return Number(cursor);
}

/** Whether `value` is one of {@link RUN_STATUSES}. */
export function isRunStatus(value: unknown): value is RunStatus {
  return RUN_STATUSES.includes(value as RunStatus);
}

/** `status` of `listRuns`, checked: the statuses to list, or undefined for all. */
export function runStatuses(status: ListRunsOptions['status']): ReadonlySet<RunStatus> | undefined {
  if (status === undefined) return undefined;
  const given: readonly unknown[] = Array.isArray(status) ? status : [status];
  const wrong = given.findIndex((s) => !isRunStatus(s));
  if (given.length === 0 || wrong >= 0)
    throw new InvalidInputError(
      'status',
      `must be one of ${RUN_STATUSES.join(', ')} (or a non-empty list of them)${wrong < 0 ? '' : `, not ${String(JSON.stringify(given[wrong]))}`}`,
    );
  return new Set(given as RunStatus[]);
}

/** `limit` of `listRuns`, checked: a positive integer, or undefined for all. */
export function runLimit(limit: number | undefined): number | undefined {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new InvalidInputError('limit', 'must be a positive integer');
  }
  return limit;
}
