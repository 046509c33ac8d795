import { randomUUID } from 'node:crypto';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { Spent } from '../llm/budget.js';
import {
  type Checkpoint,
  type Checkpointer,
  isRunStatus,
  type RunStatus,
  type RunSummary,
  summarize,
} from '../workflows/checkpointer.js';
import type { CompiledWorkflow } from '../workflows/compiled-workflow.js';
import { graphModel } from '../workflows/graph-model.js';
import { type HumanAnswer, pendingApprovals, resumeAnswer } from '../workflows/interrupt-answer.js';
import type { ForkOptions, ResumeOptions } from '../workflows/runner-options.js';
import { RunConflictError, RunNotFoundError } from '../workflows/workflow-errors.js';
import { type GraphLayout, layoutGraph } from './graph-layout.js';
import { type StateChange, stateChanges } from './state-diff.js';

/**
 * What the studio needs of a `WorkflowRunner` to draw a workflow and continue its runs: pass
 * your runners as they are (`new WorkflowRunner(workflow, { checkpointer })`).
 */
export interface StudioRunner {
  readonly workflow: { readonly name: string };
  streamResume(runId: string, options?: ResumeOptions): AsyncIterable<{ type: string }>;
  fork(runId: string, options: ForkOptions): Promise<unknown>;
}

/** A line of `GET /api/runs`. */
export interface StudioRunRow extends RunSummary {
  /** From the run's start to its newest checkpoint, where the start is recorded. */
  durationMs?: number;
}

/** `GET /api/runs`: one page of runs, newest first, and what the filters can pick. */
export interface StudioRunList {
  runs: StudioRunRow[];
  /**
   * Runs that match the filters, of the newest `maxRuns` (with a status filter: of the newest
   * `maxRuns` runs at that status).
   */
  total: number;
  offset: number;
  limit: number;
  workflows: string[];
  statuses: RunStatus[];
  /** The store holds more runs (at the status filtered by) than the `maxRuns` listed. */
  capped: boolean;
}

/** One checkpoint of a run, as the timeline shows it. */
export interface StudioStep {
  version: number;
  step: number;
  status: RunStatus;
  ran: string[];
  next: string[];
  createdAt: string;
  /** Since the checkpoint before (the step's time). */
  elapsedMs?: number;
  changes: StateChange[];
  /** What this step spent (the difference of the run's totals). */
  spent?: Spent;
  error?: { name: string; message: string; node?: string };
  interrupt?: { node: string; payload: unknown };
  resumes?: number;
}

/** `GET /api/runs/:id`: a run with its timeline and its diagram. */
export interface StudioRunView {
  run: StudioRunRow;
  steps: StudioStep[];
  /** The workflow drawn (absent when the studio was not given its runner). */
  graph?: GraphLayout;
  /** Nodes the run has run, first run first. */
  visited: string[];
  /** Where the run stands: the nodes it runs next, or waits at. */
  current: string[];
  /** The node whose error ended the run. */
  failed?: string;
  interrupt?: { node: string; payload: unknown; kind: 'approval' | 'value' };
  forkedFrom?: { runId: string; step: number };
  /** What the page may do: answer or resume the run, fork it. */
  actions: { answer: boolean; resume: boolean; fork: boolean };
}

/** Options of the data behind the studio. */
export interface StudioApiOptions {
  checkpointer: Checkpointer;
  runners?: readonly StudioRunner[];
  /** How many of the newest runs the list covers. @default 10000 */
  maxRuns?: number;
  /** A `running` run whose newest checkpoint is older than this may be resumed (its process died). @default 60000 */
  staleMs?: number;
  now?: () => Date;
}

const RESUMABLE: ReadonlySet<RunStatus> = new Set(['cancelled', 'timed-out', 'over-budget']);

/** The studio's data: reads of the store, and the two writes (resume, fork) through runners. */
export class StudioApi {
  readonly #checkpointer: Checkpointer;
  readonly #runners = new Map<string, StudioRunner>();
  readonly #maxRuns: number;
  readonly #staleMs: number;
  readonly #now: () => Date;
  readonly #layouts = new Map<string, GraphLayout>();
  readonly #running = new Set<Promise<unknown>>();
  readonly #stop = new AbortController();

  constructor(options: StudioApiOptions) {
    this.#checkpointer = options.checkpointer;
    for (const runner of options.runners ?? []) this.#runners.set(runner.workflow.name, runner);
    this.#maxRuns = options.maxRuns ?? 10_000;
    this.#staleMs = options.staleMs ?? 60_000;
    this.#now = options.now ?? (() => new Date());
  }

  /** A page of runs (newest first), filtered by status and workflow. */
  async listRuns(query: {
    status?: string;
    workflow?: string;
    offset?: number;
    limit?: number;
    signal?: AbortSignal | undefined;
  }): Promise<StudioRunList> {
    const limit = Math.min(Math.max(1, query.limit ?? 50), 500);
    const offset = Math.max(0, query.offset ?? 0);
    const signal = query.signal ? { signal: query.signal } : {};
    const newest = await this.#checkpointer.listRuns({ limit: this.#maxRuns + 1, ...signal });
    const more = newest.length > this.#maxRuns;
    const runs = more ? newest.slice(0, this.#maxRuns) : newest;
    // A status picked in a store of more runs: its runs from the whole store (a run that has
    // waited for a human for weeks is found behind the newest `maxRuns`).
    const status =
      query.status !== undefined && isRunStatus(query.status) ? query.status : undefined;
    const at =
      status && more
        ? await this.#checkpointer.listRuns({ status, limit: this.#maxRuns + 1, ...signal })
        : undefined;
    const capped = at ? at.length > this.#maxRuns : more;
    const pool = at ? at.slice(0, this.#maxRuns) : runs;
    const matching = pool.filter(
      (r) =>
        (!query.status || r.status === query.status) &&
        (!query.workflow || r.workflow === query.workflow),
    );
    return {
      runs: matching.slice(offset, offset + limit).map(row),
      total: matching.length,
      offset,
      limit,
      workflows: [...new Set(runs.map((r) => r.workflow))].sort(),
      statuses: [...new Set([...runs.map((r) => r.status), ...(status ? [status] : [])])].sort(),
      capped,
    };
  }

  /** The run, or `RunNotFoundError`. */
  async runView(runId: string, signal?: AbortSignal): Promise<StudioRunView> {
    const history = await this.#checkpointer.history(runId, signal ? { signal } : undefined);
    const last = history.at(-1);
    if (!last) throw new RunNotFoundError(runId);
    const runner = this.#runners.get(last.workflow);
    const graph = runner ? this.#layout(runner) : undefined;
    const visited = [...new Set(history.flatMap((c) => c.ran))];
    const failed = last.status === 'failed' ? last.error?.node : undefined;
    const waiting = last.status === 'interrupted' || last.status === 'running';
    const current = failed
      ? [failed]
      : waiting
        ? last.interrupt
          ? [last.interrupt.node]
          : last.next
        : [];
    const payload = last.status === 'interrupted' ? last.interrupt?.payload : undefined;
    return {
      run: row(summarize(last)),
      steps: history.map((c, i) => step(c, history[i - 1])),
      ...(graph ? { graph } : {}),
      visited,
      current,
      ...(failed ? { failed } : {}),
      ...(last.status === 'interrupted' && last.interrupt
        ? {
            interrupt: {
              ...last.interrupt,
              kind: pendingApprovals(payload) ? ('approval' as const) : ('value' as const),
            },
          }
        : {}),
      ...(history[0]?.forkedFrom ? { forkedFrom: history[0].forkedFrom } : {}),
      actions: {
        answer: runner !== undefined && last.status === 'interrupted',
        resume: runner !== undefined && this.#resumable(last),
        fork: runner !== undefined,
      },
    };
  }

  /** The newest checkpoint's version and status (what the live view watches). */
  async version(
    runId: string,
    signal?: AbortSignal,
  ): Promise<{ version: number; status: RunStatus } | undefined> {
    const last = await this.#checkpointer.getLatest(runId, signal ? { signal } : undefined);
    return last && { version: last.version, status: last.status };
  }

  /**
   * Answers or resumes the run as `arshai resume` does: the claim is made before this returns
   * (a second answer gets `RunConflictError`), then the run goes on in this process.
   */
  async resume(runId: string, answer: HumanAnswer): Promise<void> {
    const last = await this.#checkpointer.getLatest(runId);
    if (!last) throw new RunNotFoundError(runId);
    const runner = this.#runnerOf(last);
    if (last.status !== 'interrupted' && !this.#resumable(last))
      throw new RunConflictError(
        runId,
        last.version + 1,
        last.status === 'running'
          ? 'it is running (its newest step is recent): resume it once its process has stopped'
          : `it is ${last.status}`,
      );
    const options =
      last.status === 'interrupted' ? resumeAnswer(last.interrupt?.payload, answer) : {};
    const events = runner
      .streamResume(runId, { ...options, signal: this.#stop.signal })
      [Symbol.asyncIterator]();
    await events.next(); // the claim (or its refusal) comes before the first event
    this.#track(
      (async () => {
        for (let e = await events.next(); !e.done; e = await events.next());
      })(),
    );
  }

  /** Starts a new run from step `step` of this one; resolves with the new run's id once stored. */
  async fork(runId: string, step: number): Promise<string> {
    if (!Number.isInteger(step) || step < 0)
      throw new InvalidInputError('step', 'must be a step of the run (a non-negative integer)');
    const last = await this.#checkpointer.getLatest(runId);
    if (!last) throw new RunNotFoundError(runId);
    const runner = this.#runnerOf(last);
    const id = randomUUID();
    const forked = runner.fork(runId, { step, runId: id, signal: this.#stop.signal });
    this.#track(forked);
    // The fork is stored first thing; a refusal (no such step) comes before that.
    const finished = forked.then(() => 'done' as const);
    for (;;) {
      const settled = await Promise.race([
        finished,
        new Promise<'waiting'>((resolve) => setTimeout(resolve, 25, 'waiting')),
      ]);
      if (settled === 'done' || (await this.#checkpointer.getLatest(id))) return id;
    }
  }

  /** Stops the runs this studio continues (they are recorded as stopped) and waits for them. */
  async close(): Promise<void> {
    this.#stop.abort();
    await Promise.allSettled([...this.#running]);
  }

  #track(work: Promise<unknown>): void {
    const done = work.catch(() => {}).finally(() => this.#running.delete(done));
    this.#running.add(done);
  }

  #runnerOf(last: Checkpoint): StudioRunner {
    const runner = this.#runners.get(last.workflow);
    if (!runner)
      throw new InvalidInputError(
        'workflow',
        `the studio was not given workflow "${last.workflow}" (start it with the module that exports it)`,
      );
    return runner;
  }

  #resumable(last: Checkpoint): boolean {
    if (RESUMABLE.has(last.status)) return true;
    if (last.status !== 'running') return false;
    return this.#now().getTime() - Date.parse(last.createdAt) >= this.#staleMs;
  }

  #layout(runner: StudioRunner): GraphLayout | undefined {
    const name = runner.workflow.name;
    const found = this.#layouts.get(name);
    if (found) return found;
    const workflow = runner.workflow as CompiledWorkflow<object>;
    if (!(workflow.nodes instanceof Map)) return undefined;
    const layout = layoutGraph(graphModel(workflow));
    this.#layouts.set(name, layout);
    return layout;
  }
}

function row(r: RunSummary): StudioRunRow {
  return r.startedAt
    ? { ...r, durationMs: Math.max(0, Date.parse(r.updatedAt) - Date.parse(r.startedAt)) }
    : r;
}

function step(c: Checkpoint, before: Checkpoint | undefined): StudioStep {
  const spent = c.spent && delta(c.spent, before?.spent);
  return {
    version: c.version,
    step: c.step,
    status: c.status,
    ran: c.ran,
    next: c.next,
    createdAt: c.createdAt,
    ...(before
      ? { elapsedMs: Math.max(0, Date.parse(c.createdAt) - Date.parse(before.createdAt)) }
      : {}),
    changes: before ? stateChanges(before.state, c.state) : stateChanges({}, c.state),
    ...(spent ? { spent } : {}),
    ...(c.error ? { error: c.error } : {}),
    ...(c.interrupt ? { interrupt: c.interrupt } : {}),
    ...(c.resumes ? { resumes: c.resumes } : {}),
  };
}

function delta(now: Spent, before: Spent | undefined): Spent | undefined {
  const d: Spent = {
    tokens: now.tokens - (before?.tokens ?? 0),
    costUsd: now.costUsd - (before?.costUsd ?? 0),
    modelCalls: now.modelCalls - (before?.modelCalls ?? 0),
    toolCalls: now.toolCalls - (before?.toolCalls ?? 0),
    unpricedCalls: now.unpricedCalls - (before?.unpricedCalls ?? 0),
  };
  return d.tokens || d.costUsd || d.modelCalls || d.toolCalls ? d : undefined;
}
