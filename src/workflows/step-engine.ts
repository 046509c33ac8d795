import { AbortError, TimeoutError } from '../errors/abort-error.js';
import { BudgetMeter, isBudgetOf, underMeter } from '../llm/budget.js';
import type { Pricing } from '../llm/pricing.js';
import { GEN_AI_METRICS } from '../telemetry/gen-ai.js';
import { endSpan, inSpan, recordMetric, startSpan } from '../telemetry/spans.js';
import type { TelemetryOptions } from '../telemetry/telemetry-types.js';
import { neverAborts, throwIfAborted } from '../utils/abort.js';
import { putCheckpoint } from './checkpoint-io.js';
import type { Checkpoint, Checkpointer, PendingWrite, RunStatus } from './checkpointer.js';
import type { CompiledWorkflow } from './compiled-workflow.js';
import { type Execution, executeNode, type NodeOutcome } from './node-execution.js';
import { type PendingWrites, pendingWrites } from './pending-writes.js';
import { completedResult, type Position, spentOf } from './run-position.js';
import { mergeStep } from './step-merge.js';
import type { ChildCall } from './subworkflow-run.js';
import {
  RunConflictError,
  StepLimitExceededError,
  storedErrorOf,
  type WorkflowRunError,
} from './workflow-errors.js';
import type { WorkflowEvent, WorkflowResult } from './workflow-events.js';
import type { Reducer, StateUpdate, WorkflowState } from './workflow-state.js';

export type Emit<S extends object> = ((event: WorkflowEvent<S>) => void) | undefined;

/**
 * Runs the steps of one run: its nodes concurrently, the merge, the checkpoint after each.
 * Shared by the in-process `WorkflowRunner` loop and the queue workers, which run one step
 * per job.
 */
export class StepEngine<S extends object> {
  constructor(
    readonly workflow: CompiledWorkflow<S, object>,
    readonly checkpointer: Checkpointer | undefined,
    readonly reducers: Readonly<Record<string, Reducer>>,
    readonly maxSteps: number,
    readonly now: () => Date,
    readonly pricing?: Pricing,
    readonly telemetry?: TelemetryOptions,
    readonly runChild?: (call: ChildCall) => Promise<object>,
  ) {}

  /** Runs the loop; a run its caller stopped is recorded `cancelled` / `timed-out`. */
  async stopsRecorded(
    position: Position<S>,
    loop: () => Promise<WorkflowResult<S>>,
  ): Promise<WorkflowResult<S>> {
    try {
      return await loop();
    } catch (error) {
      if (this.checkpointer && AbortError.isInstance(error)) {
        const status = TimeoutError.isInstance(error) ? 'timed-out' : 'cancelled';
        position.signal = undefined; // the record of the stop must not be stopped itself
        try {
          await this.checkpoint(position, status, [], {
            error: { name: error.name, message: error.message },
          });
        } catch (recordError) {
          // Another runner took the run meanwhile: theirs. A failing store is the caller's to see.
          if (!RunConflictError.isInstance(recordError)) throw recordError;
        }
      }
      throw error;
    }
  }

  /** Runs the steps from `position` until the run completes or stops. */
  run(
    position: Position<S>,
    emit: Emit<S>,
    signal: AbortSignal | undefined,
  ): Promise<WorkflowResult<S>> {
    return this.scoped(position, async (): Promise<WorkflowResult<S>> => {
      while (position.next.length > 0) {
        const stopped = await this.step(position, emit, signal);
        if (stopped) return stopped;
      }
      return completedResult(position);
    });
  }

  /** Runs the step at `position`; resolves with the result when the run stopped there. */
  async step(
    position: Position<S>,
    emit: Emit<S>,
    signal: AbortSignal | undefined,
  ): Promise<WorkflowResult<S> | undefined> {
    const telemetry = this.telemetry;
    if (!telemetry) return this.#step(position, emit, signal);
    const attributes = {
      'arshai.run.id': position.runId,
      'arshai.workflow.name': this.workflow.name,
      'arshai.workflow.step': position.step,
    };
    const span = startSpan(telemetry, `workflow.step ${position.step}`, attributes, {
      parent: position.span,
    });
    const started = performance.now();
    try {
      const result = await inSpan(span, () => this.#step(position, emit, signal));
      const status = result?.status ?? 'running';
      span?.setAttribute('arshai.workflow.status', status);
      endSpan(span);
      recordMetric(
        telemetry,
        GEN_AI_METRICS.STEP_DURATION,
        's',
        (performance.now() - started) / 1000,
        {
          ...attributes,
          'arshai.run.id': undefined,
          'arshai.workflow.step': undefined,
          'arshai.workflow.status': status,
        },
      );
      return result;
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
  }

  async #step(
    position: Position<S>,
    emit: Emit<S>,
    signal: AbortSignal | undefined,
  ): Promise<WorkflowResult<S> | undefined> {
    const { runId } = position;
    throwIfAborted(signal);
    if (position.state.stepCount + position.next.length > this.maxSteps) {
      const error = new StepLimitExceededError(this.maxSteps, runId, position.state);
      // Where it stands is kept: a resume with a higher limit continues from there.
      return this.fail(position, error, [], emit, { next: position.next, writes: position.writes });
    }
    const before = position.state;
    const answers = position.answers;
    const parallel =
      position.next.length > 1 ? pendingWrites<S>(this.checkpointer, position) : undefined;
    // Writes kept by a step that waited (an interrupt, a failed merge) are not run again.
    const done =
      position.next.length > 1 || position.writes
        ? await this.#finished(position, parallel)
        : undefined;
    const idle = () => (position.idle ??= neverAborts());
    const meter = position.meter;
    // The run's meter is in scope: the caller runs its steps under `scoped`.
    const runNode = async (node: string, i: number): Promise<NodeOutcome<S>> => {
      const nodeStep = before.stepCount + i + 1;
      const kept = done?.get(node);
      if (kept) {
        const update = kept.update as StateUpdate<S> | undefined;
        return { node, step: nodeStep, ...(update ? { update } : {}) };
      }
      const execution = {
        runId,
        step: nodeStep,
        superStep: position.step,
        attemptBase: position.attemptBase,
        signal,
        idle,
        answers: answers?.node === node ? answers.values : undefined,
        emit,
        runChild: this.runChild,
      };
      const outcome =
        this.telemetry || emit
          ? await this.#observed(node, position, execution, before)
          : await executeNode(this.workflow, node, before, execution);
      if (parallel && !outcome.error && !outcome.interrupt) await parallel.keep(outcome);
      return outcome;
    };
    // One node (most steps): no array of promises to wait on.
    const outcomes =
      position.next.length === 1
        ? [await runNode(position.next[0] as string, 0)]
        : await Promise.all(position.next.map(runNode));
    throwIfAborted(signal);
    // The run's budget ran out in this step: it stops here, resumable (finished branches kept).
    const over = outcomes.find((o) => isBudgetOf(o.error, meter));
    if (over) {
      await this.checkpoint(position, 'over-budget', [], {
        error: { name: 'BudgetExceededError', message: (over.error as Error).message },
      });
      throw over.error;
    }
    const asked = outcomes.filter((o) => o.interrupt !== undefined);
    // A step is one unit: while a branch waits for an answer, the others' writes wait with it.
    if (asked.length > 0 && !outcomes.some((o) => o.error))
      return this.#paused(position, outcomes, asked, emit);
    position.step++;
    position.resumes = 0;
    position.attemptBase = 0;
    position.stored = false;
    position.writes = undefined;
    const merging = mergeStep(
      this.workflow,
      this.reducers,
      runId,
      before,
      outcomes,
      this.now,
      this.checkpointer !== undefined,
      position.joins,
      signal,
    );
    // Synchronous routes (the usual) cost no await.
    const merged = merging instanceof Promise ? await merging : merging;
    position.state = merged.state;
    position.next = merged.next;
    position.joins = merged.joins;
    if (merged.error) return this.fail(position, merged.error, ran(outcomes), emit, merged.retry);
    const invalid = this.workflow.schema?.check(outcomes, merged.state, runId, before);
    if (invalid) {
      position.state = before; // nothing of this step is kept
      return this.fail(position, invalid, [], emit);
    }
    if (emit) {
      const updates: Record<string, StateUpdate<S> | undefined> = {};
      for (const o of outcomes) if (o.interrupt === undefined) updates[o.node] = o.update;
      emit({ type: 'updates', runId, step: position.step, updates });
      emit({ type: 'state', runId, step: position.step, state: position.state });
    }
    // A branch asked while another failed onto its error route: the asking one runs next.
    if (asked.length > 0) return this.#asked(position, asked, ran(outcomes), emit);
    position.answers = undefined;
    const finished = position.next.length === 0;
    await this.checkpoint(position, finished ? 'completed' : 'running', ran(outcomes));
    return finished
      ? { runId, status: 'completed', state: position.state, ...spentOf(position) }
      : undefined;
  }

  /**
   * The step stays where it is, waiting on an answer: its finished branches' updates are kept
   * in the checkpoint, so the step's successors run once, after the answer, with all of them.
   */
  #paused(
    position: Position<S>,
    outcomes: NodeOutcome<S>[],
    asked: NodeOutcome<S>[],
    emit: Emit<S>,
  ): Promise<WorkflowResult<S>> {
    const writes = outcomes
      .filter((o) => o.interrupt === undefined)
      .map((o): PendingWrite => ({ node: o.node, update: o.update as PendingWrite['update'] }));
    position.writes = writes.length > 0 ? writes : undefined;
    return this.#asked(position, asked, [], emit);
  }

  /** The run stops for a human: the node that was answered keeps its answers while it asks again. */
  async #asked(
    position: Position<S>,
    asked: NodeOutcome<S>[],
    ranNodes: string[],
    emit: Emit<S>,
  ): Promise<WorkflowResult<S>> {
    const { runId, answers } = position;
    const asking = asked.find((o) => o.node === answers?.node) ?? (asked[0] as NodeOutcome<S>);
    position.answers = asking.node === answers?.node ? answers : undefined;
    const interrupt = { node: asking.node, payload: asking.interrupt?.payload };
    await this.checkpoint(position, 'interrupted', ranNodes, { interrupt });
    emit?.({ type: 'interrupt', runId, ...interrupt });
    return { runId, status: 'interrupted', state: position.state, interrupt, ...spentOf(position) };
  }

  /**
   * The branches of a parallel step that finished before: kept while the step waited on an
   * interrupt, or stored as pending writes before a crash.
   */
  async #finished(
    position: Position<S>,
    parallel: PendingWrites<S> | undefined,
  ): Promise<Map<string, PendingWrite>> {
    const done = parallel ? await parallel.done() : new Map<string, PendingWrite>();
    for (const write of position.writes ?? []) done.set(write.node, write);
    // An answered node runs again: what it wrote before it asked is not its result.
    if (position.answers) done.delete(position.answers.node);
    return done;
  }

  /**
   * Runs `work` (the steps of one call on a run) with the run's meter and the runner's prices
   * in scope: once per call, not per step (entering a scope costs about 0.4 µs).
   */
  scoped<T>(position: Position<S>, work: () => Promise<T>): Promise<T> {
    return underMeter(position.meter, work, this.pricing);
  }

  /** A node run with its span and its own meter (for its node-end event), when observed. */
  async #observed(
    node: string,
    position: Position<S>,
    execution: Execution<S>,
    before: WorkflowState<S>,
  ): Promise<NodeOutcome<S>> {
    const span = startSpan(this.telemetry, `workflow.node ${node}`, {
      'arshai.run.id': position.runId,
      'arshai.workflow.step': position.step,
      'arshai.workflow.node': node,
      'arshai.workflow.node.attempt': position.attemptBase + 1,
    });
    // With a listener, each node's spending is its own (for its node-end event).
    const own = execution.emit ? new BudgetMeter({}) : undefined;
    const run = () => executeNode(this.workflow, node, before, { ...execution, meter: own });
    const outcome = await inSpan(span, () => (own ? underMeter(own, run) : run()));
    span?.setAttribute(
      'arshai.workflow.node.outcome',
      outcome.error ? 'error' : outcome.interrupt ? 'interrupted' : 'ok',
    );
    endSpan(span, outcome.error);
    return outcome;
  }

  /**
   * The run fails: recorded `failed` with the error (its node and retryability). With
   * `retry`, where it stood is kept (`next`, and the step's writes), so `resume` continues it.
   */
  async fail(
    position: Position<S>,
    error: WorkflowRunError,
    ranNodes: string[],
    emit: Emit<S>,
    retry?: { next: string[]; writes?: PendingWrite[] | undefined },
  ): Promise<WorkflowResult<S>> {
    position.next = retry?.next ?? [];
    position.writes = retry?.writes;
    if (!retry) position.answers = undefined;
    await this.checkpoint(position, 'failed', ranNodes, { error: storedErrorOf(error) });
    emit?.({ type: 'error', runId: position.runId, error });
    const { runId, state } = position;
    return { runId, status: 'failed', state, error, ...spentOf(position) };
  }

  async checkpoint(
    position: Position<S>,
    status: RunStatus,
    ranNodes: string[],
    extra: Pick<Checkpoint, 'interrupt' | 'error'> = {},
  ): Promise<void> {
    if (!this.checkpointer) return;
    const checkpoint: Checkpoint = {
      runId: position.runId,
      workflow: this.workflow.name,
      graph: this.workflow.fingerprint,
      step: position.step,
      version: position.version,
      status,
      state: position.state as unknown as Checkpoint['state'],
      next: position.next,
      ran: ranNodes,
      ...(position.answers ? { answers: position.answers } : {}),
      ...extra,
      ...(position.resumes > 0 ? { resumes: position.resumes } : {}),
      ...(Object.keys(position.meter.budget).length > 0 ? { budget: position.meter.budget } : {}),
      ...(position.meter.used ? { spent: { ...position.meter.spent } } : {}),
      ...(position.trace ? { trace: position.trace } : {}),
      ...(position.writes ? { writes: position.writes } : {}),
      ...(position.joins ? { joins: position.joins } : {}),
      ...(position.delivered ? { delivered: position.delivered } : {}),
      createdAt: this.now().toISOString(),
    };
    position.startedAt ??= checkpoint.createdAt;
    checkpoint.startedAt = position.startedAt;
    const span = this.telemetry
      ? startSpan(this.telemetry, 'workflow.checkpoint', {
          'arshai.run.id': checkpoint.runId,
          'arshai.workflow.step': checkpoint.step,
          'arshai.checkpoint.version': checkpoint.version,
          'arshai.workflow.status': status,
        })
      : undefined;
    try {
      await putCheckpoint(this.checkpointer, checkpoint, position.signal);
    } catch (error) {
      endSpan(span, error);
      throw error;
    }
    endSpan(span);
    position.version++;
  }
}

function ran<S extends object>(outcomes: NodeOutcome<S>[]): string[] {
  return outcomes.filter((o) => o.interrupt === undefined).map((o) => o.node);
}
