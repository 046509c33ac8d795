import { ArshaiError } from '../errors/arshai-error.js';
import type { PendingWrite } from './checkpointer.js';
import type { CompiledWorkflow, JoinProgress } from './compiled-workflow.js';
import type { NodeOutcome } from './node-execution.js';
import { RouteError, type Routes, routeStep } from './step-routes.js';
import {
  InvalidNodeUpdateError,
  NodeExecutionError,
  ReducerError,
  StateConflictError,
  type WorkflowRunError,
} from './workflow-errors.js';
import {
  DEFAULT_REDUCERS,
  END,
  MERGED_KEYS,
  type Reducer,
  type WorkflowErrorRecord,
  type WorkflowState,
} from './workflow-state.js';

/** The state after a step and the nodes to run next, or the error that ends the run. */
export interface MergedStep<S extends object> {
  state: WorkflowState<S>;
  next: string[];
  /** The joins' progress after the step (absent when no join waits). */
  joins?: JoinProgress;
  error?: WorkflowRunError;
  /**
   * With `error`: where `resume` continues the failed run — the nodes to run again (the
   * failed ones with the successors of the others), and the step's writes to keep when the
   * whole step is to be merged again (a reducer failed).
   */
  retry?: { next: string[]; writes?: PendingWrite[] };
}

/**
 * Merges one step's updates into the state (through reducers; parallel writes to one key or
 * one `agentData` / `workingMemories` entry without a reducer are a `StateConflictError`, a
 * reducer that throws a `ReducerError`), records node and route errors, and finds the next
 * nodes (error routes included; async route functions are awaited, bounded by `signal`).
 * Interrupted nodes change nothing and run again next.
 */
export function mergeStep<S extends object>(
  workflow: CompiledWorkflow<S, object>,
  reducers: Readonly<Record<string, Reducer>>,
  runId: string,
  before: WorkflowState<S>,
  outcomes: NodeOutcome<S>[],
  now: () => Date,
  stampEveryStep: boolean,
  joins?: JoinProgress,
  signal?: AbortSignal,
): MergedStep<S> | Promise<MergedStep<S>> {
  const stamp = (merged: MergedStep<S>): MergedStep<S> => {
    // `userContext.lastActive` moves with every persisted step, and when the run stops (no
    // clock read per step when nothing is persisted).
    const stops = merged.error !== undefined || merged.next.length === 0 || outcomes.some(asked);
    if (stampEveryStep || stops) {
      const state = merged.state === before ? { ...before } : merged.state;
      state.userContext = { ...state.userContext, lastActive: now().toISOString() };
      merged.state = state;
    }
    return merged;
  };
  const applied = apply(reducers, runId, before, outcomes, now);
  if (applied.done === undefined) return stamp(applied);
  const { state, done, errors } = applied;
  const routed = done.filter((o) => !o.error).map((o) => o.node);
  const routes = routeStep(workflow, routed, state, signal);
  const finish = (r: Routes) =>
    stamp(follow(workflow, runId, state, done, outcomes, errors, r, now, joins));
  return routes instanceof Map ? finish(routes) : routes.then(finish);
}

function asked<S extends object>(outcome: NodeOutcome<S>): boolean {
  return outcome.interrupt !== undefined;
}

type Applied<S extends object> =
  | { state: WorkflowState<S>; done: NodeOutcome<S>[]; errors: WorkflowErrorRecord[] }
  | (MergedStep<S> & { done?: undefined });

/** The step's updates merged into a copy of the state, or the error that refuses them. */
function apply<S extends object>(
  reducers: Readonly<Record<string, Reducer>>,
  runId: string,
  before: WorkflowState<S>,
  outcomes: NodeOutcome<S>[],
  now: () => Date,
): Applied<S> {
  // A refused update fails the run before anything of the step is merged.
  for (const o of outcomes) {
    if (o.error && InvalidNodeUpdateError.isInstance(o.error)) {
      return {
        state: before,
        next: [],
        error: new NodeExecutionError(o.node, runId, before, o.error),
      };
    }
  }
  if (outcomes.length > 1) {
    const conflict = findConflict(reducers, outcomes);
    if (conflict) {
      return {
        state: before,
        next: [],
        error: new StateConflictError(conflict.key, conflict.nodes, runId, before),
      };
    }
  }
  const state = { ...before } as Record<string, unknown>;
  const done =
    outcomes.length === 1 && outcomes[0]?.interrupt === undefined
      ? outcomes
      : outcomes.filter((o) => o.interrupt === undefined);
  const errors: WorkflowErrorRecord[] = [];
  for (const o of done) {
    const update = o.update as Record<string, unknown> | undefined;
    for (const key in update) {
      const reducer = reducerOf(reducers, key);
      const value = update[key];
      const current = Object.hasOwn(state, key) ? state[key] : undefined;
      if (!reducer || current === undefined || value === undefined) {
        state[key] = value;
        continue;
      }
      try {
        state[key] = reducer(current, value);
      } catch (cause) {
        // Nothing of the step is merged; resume merges it again (no branch runs twice).
        const writers = done.filter((w) => w.update && Object.hasOwn(w.update, key));
        return {
          state: before,
          next: [],
          error: new ReducerError(
            key,
            writers.map((w) => w.node),
            runId,
            before,
            cause,
          ),
          retry: { next: outcomes.map((w) => w.node), writes: pendingOf(done) },
        };
      }
    }
    if (o.error) errors.push(errorRecord(o.node, o.step, o.error, now));
  }
  const typed = state as unknown as WorkflowState<S>;
  typed.stepCount = before.stepCount + done.length;
  typed.processingPath = typed.processingPath.concat(done.map((o) => o.node));
  typed.currentStep = done.at(-1)?.node ?? typed.currentStep;
  return { state: typed, done, errors };
}

/**
 * Where the step goes: each node's targets (or its error route when it or its route failed,
 * recorded in `state.errors`), the joins that may run, and the failure that ends the run
 * when a node without an error route failed.
 */
function follow<S extends object>(
  workflow: CompiledWorkflow<S, object>,
  runId: string,
  typed: WorkflowState<S>,
  done: NodeOutcome<S>[],
  outcomes: NodeOutcome<S>[],
  errors: WorkflowErrorRecord[],
  routes: Routes,
  now: () => Date,
  joins: JoinProgress | undefined,
): MergedStep<S> {
  const next: string[] = outcomes.filter((o) => o.interrupt !== undefined).map((o) => o.node);
  // A copy: a step that fails must not have moved the run's joins.
  const progress: JoinProgress | undefined =
    workflow.joins.length > 0
      ? Object.fromEntries(Object.entries(joins ?? {}).map(([k, v]) => [k, [...v]]))
      : undefined;
  const failed: Array<{ node: string; error: unknown }> = [];
  for (const o of done) {
    const routed = o.error ? undefined : routes.get(o.node);
    const error = o.error ?? (RouteError.isInstance(routed) ? routed : undefined);
    if (error) {
      if (!o.error) errors.push(errorRecord(o.node, o.step, error, now));
      const route = workflow.nodes.get(o.node)?.options.onError;
      if (route) next.push(route);
      else failed.push({ node: o.node, error });
      continue;
    }
    next.push(...(routed as string[]));
    if (progress) next.push(...workflow.joined(o.node, progress));
  }
  if (errors.length > 0) typed.errors = [...typed.errors, ...errors];
  const waiting = progress && Object.keys(progress).length > 0 ? { joins: progress } : {};
  const first = failed[0];
  if (first) {
    return {
      state: typed,
      next: [],
      error: new NodeExecutionError(first.node, runId, typed, first.error),
      // Resume runs the failed nodes again, with where the others were going.
      retry: { next: nextNodes([...failed.map((f) => f.node), ...next]) },
      ...waiting,
    };
  }
  return { state: typed, next: nextNodes(next), ...waiting };
}

function errorRecord(node: string, step: number, error: Error, now: () => Date) {
  return {
    node,
    step,
    name: error.name,
    message: error.message,
    retryable: ArshaiError.isInstance(error) && error.retryable,
    at: now().toISOString(),
  };
}

/** The finished branches' writes, kept while the step waits to be merged again. */
function pendingOf<S extends object>(done: NodeOutcome<S>[]): PendingWrite[] {
  return done
    .filter((o) => !o.error)
    .map((o): PendingWrite => ({ node: o.node, update: o.update as PendingWrite['update'] }));
}

/** The nodes of the next step: each once, without `END` (which only ends its branch). */
function nextNodes(targets: string[]): string[] {
  if (targets.length === 1) return targets[0] === END ? [] : targets;
  return [...new Set(targets.filter((n) => n !== END))];
}

/** The first key (or merged entry, like `agentData.answer`) that parallel nodes both wrote. */
function findConflict<S extends object>(
  reducers: Readonly<Record<string, Reducer>>,
  outcomes: NodeOutcome<S>[],
): { key: string; nodes: string[] } | undefined {
  const writers = new Map<string, string[]>();
  const wrote = (key: string, node: string) => {
    const list = writers.get(key);
    if (list) list.push(node);
    else writers.set(key, [node]);
  };
  for (const o of outcomes) {
    const update = o.update as Record<string, unknown> | undefined;
    for (const key in update) {
      const value = update[key];
      // The default key-by-key merge: two writers of one entry would silently overwrite.
      if (isDefaultMerge(reducers, key) && value && typeof value === 'object') {
        for (const entry in value) wrote(`${key}.${entry}`, o.node);
      } else wrote(key, o.node);
    }
  }
  for (const [key, nodes] of writers) {
    if (nodes.length > 1 && (!reducerOf(reducers, key) || isDefaultMerge(reducers, key)))
      return { key, nodes };
  }
  return undefined;
}

/** `agentData` / `workingMemories` with the engine's own key-by-key merge (not yours). */
function isDefaultMerge(reducers: Readonly<Record<string, Reducer>>, key: string): boolean {
  return MERGED_KEYS.has(key) && reducerOf(reducers, key) === DEFAULT_REDUCERS[key];
}

/**
 * The reducer of a key, looked up by own key: state keys named like `constructor` or
 * `toString` (parsed model output can carry them) are data, never a member of `Object`.
 */
function reducerOf(reducers: Readonly<Record<string, Reducer>>, key: string): Reducer | undefined {
  return Object.hasOwn(reducers, key) ? reducers[key] : undefined;
}
