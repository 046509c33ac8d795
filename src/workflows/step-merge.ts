import { ArshaiError } from '../errors/arshai-error.js';
import type { CompiledWorkflow, JoinProgress } from './compiled-workflow.js';
import type { NodeOutcome } from './node-execution.js';
import {
  InvalidNodeUpdateError,
  NodeExecutionError,
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
}

/**
 * Merges one step's updates into the state (through reducers; parallel writes to one key or
 * one `agentData` / `workingMemories` entry without a reducer are a `StateConflictError`),
 * records node errors, and finds the next nodes (error routes included). Interrupted nodes
 * change nothing and run again next.
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
): MergedStep<S> {
  const merged = merge(workflow, reducers, runId, before, outcomes, now, joins);
  // `userContext.lastActive` moves with every persisted step, and when the run stops (no clock
  // read per step when nothing is persisted).
  const stops = merged.error !== undefined || merged.next.length === 0 || outcomes.some(asked);
  if (stampEveryStep || stops) {
    const state = merged.state === before ? { ...before } : merged.state;
    state.userContext = { ...state.userContext, lastActive: now().toISOString() };
    merged.state = state;
  }
  return merged;
}

function asked<S extends object>(outcome: NodeOutcome<S>): boolean {
  return outcome.interrupt !== undefined;
}

function merge<S extends object>(
  workflow: CompiledWorkflow<S, object>,
  reducers: Readonly<Record<string, Reducer>>,
  runId: string,
  before: WorkflowState<S>,
  outcomes: NodeOutcome<S>[],
  now: () => Date,
  joins: JoinProgress | undefined,
): MergedStep<S> {
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
  let errors: WorkflowErrorRecord[] | undefined;
  for (const o of done) {
    const update = o.update as Record<string, unknown> | undefined;
    for (const key in update) {
      const reducer = reducerOf(reducers, key);
      const value = update[key];
      const current = Object.hasOwn(state, key) ? state[key] : undefined;
      state[key] =
        reducer && current !== undefined && value !== undefined ? reducer(current, value) : value;
    }
    if (o.error) {
      errors ??= [];
      errors.push({
        node: o.node,
        step: o.step,
        name: o.error.name,
        message: o.error.message,
        retryable: ArshaiError.isInstance(o.error) && o.error.retryable,
        at: now().toISOString(),
      });
    }
  }
  const typed = state as unknown as WorkflowState<S>;
  if (errors) typed.errors = [...typed.errors, ...errors];
  typed.stepCount = before.stepCount + done.length;
  typed.processingPath = typed.processingPath.concat(done.map((o) => o.node));
  typed.currentStep = done.at(-1)?.node ?? typed.currentStep;

  const next: string[] = outcomes.filter((o) => o.interrupt !== undefined).map((o) => o.node);
  // A copy: a step that fails must not have moved the run's joins.
  const progress: JoinProgress | undefined =
    workflow.joins.length > 0
      ? Object.fromEntries(Object.entries(joins ?? {}).map(([k, v]) => [k, [...v]]))
      : undefined;
  for (const o of done) {
    if (o.error) {
      const route = workflow.nodes.get(o.node)?.options.onError;
      if (!route)
        return {
          state: typed,
          next: [],
          error: new NodeExecutionError(o.node, runId, typed, o.error),
        };
      next.push(route);
      continue;
    }
    let targets: string[];
    try {
      targets = workflow.next(o.node, typed);
    } catch (error) {
      return { state: typed, next: [], error: new NodeExecutionError(o.node, runId, typed, error) };
    }
    for (const target of targets) {
      if (target !== END && !workflow.nodes.has(target)) {
        const error = new Error(`routed to unknown node "${String(target)}"`);
        return {
          state: typed,
          next: [],
          error: new NodeExecutionError(o.node, runId, typed, error),
        };
      }
      next.push(target);
    }
    if (progress) next.push(...workflow.joined(o.node, progress));
  }
  const waiting = progress && Object.keys(progress).length > 0 ? { joins: progress } : {};
  return { state: typed, next: nextNodes(next), ...waiting };
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
