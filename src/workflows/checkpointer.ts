import type { WorkflowState } from './workflow-state.js';

/** Where a run stands. `running` after a crash means: resume continues it. */
export type RunStatus = 'running' | 'interrupted' | 'completed' | 'failed';

/** The state of a run after one step, as persisted. */
export interface Checkpoint {
  runId: string;
  /** The workflow's name. */
  workflow: string;
  /** Super-step number: 0 is the initial state, then one per step. */
  step: number;
  status: RunStatus;
  state: WorkflowState<Record<string, unknown>>;
  /** Nodes to run next. */
  next: string[];
  /** Nodes that ran in this step. */
  ran: string[];
  /** Set while interrupted: which node asked, and what it asked. */
  interrupt?: { node: string; payload: unknown };
  /** Set when failed. */
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

/**
 * Persists a checkpoint after every step, so a run can be resumed after a crash or an
 * interrupt. Implementations: `InMemoryCheckpointer`, `SqliteCheckpointer` (the embedded
 * default), `RedisCheckpointer`; all pass one conformance suite.
 */
export interface Checkpointer {
  put(checkpoint: Checkpoint): Promise<void>;
  /** The newest checkpoint of a run. */
  getLatest(runId: string): Promise<Checkpoint | undefined>;
  /** Every checkpoint of a run, oldest first. */
  history(runId: string): Promise<Checkpoint[]>;
  /** Runs, newest first. */
  listRuns(options?: { limit?: number }): Promise<RunSummary[]>;
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

/**
 * Checkpoints in process memory (copies, so later changes to the state never leak in).
 *
 * @example
 * ```ts
 * const runner = new WorkflowRunner(workflow, { checkpointer: new InMemoryCheckpointer() });
 * ```
 */
export class InMemoryCheckpointer implements Checkpointer {
  readonly #runs = new Map<string, Checkpoint[]>();

  async put(checkpoint: Checkpoint): Promise<void> {
    const list = this.#runs.get(checkpoint.runId) ?? [];
    list.push(structuredClone(checkpoint));
    // Re-insert so that iteration order is last-updated order.
    this.#runs.delete(checkpoint.runId);
    this.#runs.set(checkpoint.runId, list);
  }

  async getLatest(runId: string): Promise<Checkpoint | undefined> {
    const latest = this.#runs.get(runId)?.at(-1);
    return latest && structuredClone(latest);
  }

  async history(runId: string): Promise<Checkpoint[]> {
    return structuredClone(this.#runs.get(runId) ?? []);
  }

  async listRuns(options: { limit?: number } = {}): Promise<RunSummary[]> {
    const runs = [...this.#runs.values()].map((l) => summarize(l.at(-1) as Checkpoint)).reverse();
    return runs.slice(0, options.limit ?? runs.length);
  }

  async close(): Promise<void> {}
}
