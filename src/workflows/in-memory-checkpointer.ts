import { isChildRunId } from '../utils/ids.js';
import {
  type Checkpoint,
  type Checkpointer,
  checkRetention,
  FINISHED,
  type ListRunsOptions,
  type PendingWrite,
  type PruneOptions,
  prunable,
  type RunSummary,
  runLimit,
  runStatuses,
  seqCursor,
  serializeCheckpoint,
  serializeWrite,
  summarize,
} from './checkpointer.js';
import { RunConflictError } from './workflow-errors.js';

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
  /** Each run's summary, with the number of its last put (the cursor). */
  readonly #summaries = new Map<string, RunSummary>();
  /**
   * Root runs by the number of their puts, oldest first (an entry is stale once its run was
   * put again or deleted): a listing walks it from the newest end, reading what it returns.
   */
  #order: Array<{ seq: number; runId: string }> = [];
  #seq = 0;
  /** `runId` → `step:node` → the write as JSON. */
  readonly #writes = new Map<string, Map<string, string>>();

  async put(checkpoint: Checkpoint): Promise<void> {
    const json = serializeCheckpoint(checkpoint);
    const list = this.#runs.get(checkpoint.runId) ?? [];
    if (checkpoint.version < list.length)
      throw new RunConflictError(checkpoint.runId, checkpoint.version);
    list.push(json);
    // Re-insert so that iteration order is last-updated order.
    this.#runs.delete(checkpoint.runId);
    this.#runs.set(checkpoint.runId, list);
    const seq = ++this.#seq;
    this.#summaries.set(checkpoint.runId, {
      ...(JSON.parse(JSON.stringify(summarize(checkpoint))) as RunSummary),
      cursor: String(seq),
    });
    if (!isChildRunId(checkpoint.runId)) this.#index(seq, checkpoint.runId);
  }

  async getLatest(runId: string): Promise<Checkpoint | undefined> {
    const latest = this.#runs.get(runId)?.at(-1);
    return latest === undefined ? undefined : (JSON.parse(latest) as Checkpoint);
  }

  async history(runId: string): Promise<Checkpoint[]> {
    // Pruned checkpoints are '' (the list keeps its length: versions stay compare-and-set).
    return (this.#runs.get(runId) ?? [])
      .filter((c) => c !== '')
      .map((c) => JSON.parse(c) as Checkpoint);
  }

  async prune(options: PruneOptions = {}): Promise<number> {
    const limits = checkRetention(options);
    let removed = 0;
    for (const [id, list] of this.#runs) {
      const { runId } = options;
      if (runId !== undefined && id !== runId && !id.startsWith(`${runId}/`)) continue;
      const last = JSON.parse(list.at(-1) as string) as Checkpoint;
      if (!FINISHED.has(last.status)) continue;
      this.#writes.delete(id);
      const kept = list.flatMap((json, i) => (json === '' ? [] : [{ i, json }]));
      const entries = kept.map((k) => JSON.parse(k.json) as Checkpoint);
      for (const at of prunable(entries, limits)) {
        list[(kept[at] as { i: number }).i] = '';
        removed++;
      }
    }
    return removed;
  }

  async delete(runId: string): Promise<number> {
    const count = this.#runs.get(runId)?.filter((c) => c !== '').length ?? 0;
    for (const id of [...this.#runs.keys()]) {
      if (id === runId || id.startsWith(`${runId}/`)) {
        this.#runs.delete(id);
        this.#summaries.delete(id);
        this.#writes.delete(id);
      }
    }
    return count;
  }

  async putWrite(runId: string, step: number, write: PendingWrite): Promise<void> {
    const json = serializeWrite(write);
    const writes = this.#writes.get(runId) ?? new Map<string, string>();
    this.#writes.set(runId, writes);
    writes.set(`${step}:${write.node}`, json);
  }

  async getWrites(runId: string, step: number): Promise<PendingWrite[]> {
    const found: PendingWrite[] = [];
    for (const [key, json] of this.#writes.get(runId) ?? []) {
      if (key.startsWith(`${step}:`)) found.push(JSON.parse(json) as PendingWrite);
    }
    return found;
  }

  async listRuns(options: ListRunsOptions = {}): Promise<RunSummary[]> {
    const limit = runLimit(options.limit) ?? this.#summaries.size;
    const before = seqCursor(options.cursor);
    const statuses = runStatuses(options.status);
    const runs: RunSummary[] = [];
    // From the newest entry before the cursor (a binary search: seqs only grow).
    let lo = 0;
    let hi = this.#order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.#order[mid] as { seq: number }).seq < before) lo = mid + 1;
      else hi = mid;
    }
    for (let i = lo - 1; i >= 0 && runs.length < limit; i--) {
      const { seq, runId } = this.#order[i] as { seq: number; runId: string };
      const summary = this.#summaries.get(runId);
      if (summary && Number(summary.cursor) === seq && (!statuses || statuses.has(summary.status)))
        runs.push({ ...summary });
    }
    return runs;
  }

  /** Adds a put to the order; stale entries are dropped once they outnumber the live ones. */
  #index(seq: number, runId: string): void {
    this.#order.push({ seq, runId });
    if (this.#order.length > 2 * this.#summaries.size + 1024) {
      this.#order = this.#order.filter(
        (e) => Number(this.#summaries.get(e.runId)?.cursor) === e.seq,
      );
    }
  }

  async close(): Promise<void> {}
}
