import { InvalidInputError } from '../errors/invalid-input-error.js';
import { RunConflictError } from './workflow-errors.js';
import type { WorkflowState } from './workflow-state.js';

/**
 * Where a run stands. `running` after a crash means: resume continues it. `cancelled` (its
 * signal aborted, or its stream's consumer stopped reading) and `timed-out` (its `timeoutMs`
 * passed) mean the caller stopped it: it runs nowhere, and `resume` continues it safely.
 */
export type RunStatus =
  | 'running'
  | 'interrupted'
  | 'completed'
  | 'failed'
  | 'cancelled'
  | 'timed-out';

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
  /** Set when failed, cancelled or timed out. */
  error?: { name: string; message: string; node?: string };
  /** ISO time. */
  createdAt: string;
}

/** One line per run, newest first, as `listRuns` gives them. */
export interface RunSummary {
  runId: string;
  workflow: string;
  status: RunStatus;
  step: number;
  userId: string;
  updatedAt: string;
}

/** Per-call options of a checkpointer: a store that can hang (a network) must honour `signal`. */
export interface CheckpointerCallOptions {
  signal?: AbortSignal;
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
  /** Runs, newest first. */
  listRuns(options?: { limit?: number } & CheckpointerCallOptions): Promise<RunSummary[]>;
  /** Removes every checkpoint of a run; resolves with how many went (0 for an unknown run). */
  delete(runId: string, options?: CheckpointerCallOptions): Promise<number>;
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

/** `limit` of `listRuns`, checked: a positive integer, or undefined for all. */
export function runLimit(limit: number | undefined): number | undefined {
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1)) {
    throw new InvalidInputError('limit', 'must be a positive integer');
  }
  return limit;
}

/**
 * Checkpoints in process memory, kept as JSON text like the other backends (so a resumed
 * state is the same whichever checkpointer stored it, and later changes never leak in).
 * Nothing is freed until `delete(runId)`: delete finished runs in a long-lived process.
 *
 * @example
 * ```ts
 * const runner = new WorkflowRunner(workflow, { checkpointer: new InMemoryCheckpointer() });
 * ```
 */
export class InMemoryCheckpointer implements Checkpointer {
  readonly #runs = new Map<string, string[]>();

  async put(checkpoint: Checkpoint): Promise<void> {
    const json = serializeCheckpoint(checkpoint);
    const list = this.#runs.get(checkpoint.runId) ?? [];
    if (checkpoint.version < list.length)
      throw new RunConflictError(checkpoint.runId, checkpoint.version);
    list.push(json);
    // Re-insert so that iteration order is last-updated order.
    this.#runs.delete(checkpoint.runId);
    this.#runs.set(checkpoint.runId, list);
  }

  async getLatest(runId: string): Promise<Checkpoint | undefined> {
    const latest = this.#runs.get(runId)?.at(-1);
    return latest === undefined ? undefined : (JSON.parse(latest) as Checkpoint);
  }

  async history(runId: string): Promise<Checkpoint[]> {
    return (this.#runs.get(runId) ?? []).map((c) => JSON.parse(c) as Checkpoint);
  }

  async delete(runId: string): Promise<number> {
    const count = this.#runs.get(runId)?.length ?? 0;
    this.#runs.delete(runId);
    return count;
  }

  async listRuns(options: { limit?: number } = {}): Promise<RunSummary[]> {
    const limit = runLimit(options.limit) ?? this.#runs.size;
    const runs: RunSummary[] = [];
    for (const list of [...this.#runs.values()].reverse().slice(0, limit)) {
      runs.push(summarize(JSON.parse(list.at(-1) as string) as Checkpoint));
    }
    return runs;
  }

  async close(): Promise<void> {}
}
