import { ArshaiError } from '../errors/arshai-error.js';
import { raceAbort } from '../utils/abort.js';
import type { CompiledWorkflow } from './compiled-workflow.js';
import type { RouteResult } from './workflow-graph.js';
import { END, type WorkflowState } from './workflow-state.js';

/**
 * A route function returned what no edge can follow — nothing (`[]`, `undefined`), a value
 * that is not a node name, or a key its path map does not have — or threw (`cause`). The run
 * records it as a failure of the node the route leaves from (its `onError` route applies).
 */
export class RouteError extends ArshaiError {
  static override readonly code: string = 'RouteError';

  /** The node whose conditional edges failed. */
  readonly node: string;

  constructor(node: string, problem: string, options: { cause?: unknown } = {}) {
    const retryable = ArshaiError.isInstance(options.cause) && options.cause.retryable;
    super(`The route of "${node}" ${problem}`, { ...options, retryable });
    this.node = node;
  }
}

/** Where each node of a step goes: its targets, or why its route failed. */
export type Routes = Map<string, string[] | RouteError>;

/**
 * The targets of every finished node of a step: its edges, and where its route function
 * sends it. Route functions may be async: the step waits for them (bounded by the run's
 * signal); synchronous routes cost no promise.
 */
export function routeStep<S extends object>(
  workflow: CompiledWorkflow<S, object>,
  nodes: readonly string[],
  state: Readonly<WorkflowState<S>>,
  signal: AbortSignal | undefined,
): Routes | Promise<Routes> {
  const routes: Routes = new Map();
  const pending: Array<Promise<void>> = [];
  for (const node of nodes) {
    const edges = workflow.edges.get(node) ?? [];
    const conditional = workflow.conditional.get(node);
    if (!conditional) {
      routes.set(node, [...edges]);
      continue;
    }
    let chosen: RouteResult | PromiseLike<RouteResult>;
    try {
      chosen = conditional.route(state);
    } catch (error) {
      routes.set(node, new RouteError(node, `threw: ${messageOf(error)}`, { cause: error }));
      continue;
    }
    if (isThenable(chosen)) {
      routes.set(node, []); // keeps the step's order; set when it settles
      const settle = raceAbort(Promise.resolve(chosen), signal).then(
        (value) => {
          routes.set(node, targetsOf(workflow, node, edges, value));
        },
        (error: unknown) => {
          if (signal?.aborted) throw error;
          routes.set(node, new RouteError(node, `rejected: ${messageOf(error)}`, { cause: error }));
        },
      );
      pending.push(settle);
    } else routes.set(node, targetsOf(workflow, node, edges, chosen));
  }
  return pending.length > 0 ? Promise.all(pending).then(() => routes) : routes;
}

/** A route's result as node names (through the path map), or what is wrong with it. */
function targetsOf<S extends object>(
  workflow: CompiledWorkflow<S, object>,
  node: string,
  edges: readonly string[],
  chosen: unknown,
): string[] | RouteError {
  const keys = Array.isArray(chosen) ? chosen : [chosen];
  if (keys.length === 0)
    return new RouteError(node, 'returned no node ([]): return END to finish the branch');
  const pathMap = workflow.conditional.get(node)?.pathMap;
  const targets = [...edges];
  for (const key of keys) {
    if (typeof key !== 'string')
      return new RouteError(
        node,
        `returned ${describe(key)}, not a node name (return a name, END or a list of names)`,
      );
    const mapped = pathMap !== undefined && !Array.isArray(pathMap);
    const target = mapped ? (Object.hasOwn(pathMap, key) ? pathMap[key] : undefined) : key;
    if (target === undefined)
      return new RouteError(node, `returned "${key}", which its path map does not have`);
    if (target !== END && !workflow.nodes.has(target))
      return new RouteError(node, `routed to unknown node "${target}"`);
    targets.push(target);
  }
  return targets;
}

function isThenable(value: unknown): value is PromiseLike<RouteResult> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function describe(value: unknown): string {
  if (value === undefined || value === null) return String(value);
  if (typeof value === 'object') return Array.isArray(value) ? 'an array' : 'an object';
  return `a ${typeof value}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
