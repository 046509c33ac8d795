import { InvalidInputError } from '../errors/invalid-input-error.js';
import {
  type ChildSpec,
  CompiledWorkflow,
  type ConditionalEdge,
  type GraphNode,
  type Join,
} from './compiled-workflow.js';
import { type MigrateState, StateSchema, type StateSchemaType } from './state-schema.js';
import { WorkflowValidationError } from './workflow-errors.js';
import {
  type NodeOptions,
  nodeFunction,
  type SubworkflowOptions,
  type WorkflowNode,
} from './workflow-node.js';
import {
  END,
  type End,
  type Reducer,
  type Reducers,
  type WorkflowState,
} from './workflow-state.js';

/** Where a conditional route may go: possible targets, or route keys mapped to targets. */
export type PathMap<N extends string = string> = N[] | Record<string, N>;

/**
 * The node names a builder accepts: those added so far (`N`), or any string while the builder
 * knows none (a graph built call by call, not chained).
 */
export type NodeName<N extends string> = [N] extends [never] ? string : N;

/** What a route function returns: a node name, `END`, or several names (parallel fan-out). */
export type RouteResult = string | string[];

/** Options of `compile()`. */
export interface CompileOptions<S extends object> {
  /**
   * How to merge a key written by parallel branches (and how an update meets the old value),
   * e.g. `{ items: (a, b) => [...a, ...b] }`.
   */
  reducers?: Reducers<S>;
  /** A name for Mermaid, logs and checkpoints. */
  name?: string;
}

/** Options of `new WorkflowGraph(...)`. */
export interface WorkflowGraphOptions<S extends object, I extends object = S> {
  /**
   * A zod object schema of your own state fields: the run's input state and every step's
   * merged state are checked against it; a node writing a field it does not have or a value
   * of the wrong type fails the run with `StateValidationError` (naming node and field), and
   * nothing of that step is checkpointed. The state type `S` is inferred from it, and the
   * run's input state type from its input (fields with a default may be left out).
   */
  state?: StateSchemaType<S, I>;
  /**
   * Mends the stored state of a run checkpointed under an older schema when it is resumed:
   * gets the stored fields, returns the fields of the current schema. Without it such a
   * resume fails with `StateValidationError` before anything runs.
   */
  migrate?: MigrateState<S>;
}

const NAME = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Builds a workflow graph; `compile()` validates it and returns an immutable runnable.
 * Cycles are allowed (bounded at run time by `maxSteps`). Chained, the builder knows the
 * names of the nodes added so far: an edge to a node never added does not compile.
 *
 * @example
 * ```ts
 * const graph = new WorkflowGraph<{ answer?: string }>()
 *   .addNode('draft', (state) => ({ answer: `draft for ${state.input}` }))
 *   .addNode('review', (state) => ({ answer: `${state.answer} (reviewed)` }))
 *   .addEdge('draft', 'review')
 *   .addEdge('review', END)
 *   .setEntryPoint('draft');
 * const workflow = graph.compile();
 * ```
 */
export class WorkflowGraph<
  S extends object = object,
  I extends object = S,
  N extends string = never,
> {
  readonly #nodes = new Map<string, GraphNode<S>>();
  readonly #edges = new Map<string, string[]>();
  readonly #conditional = new Map<string, ConditionalEdge<S>>();
  readonly #joins: Join[] = [];
  #entry: string | undefined;
  readonly #schema: StateSchema | undefined;

  /**
   * @example
   * ```ts
   * const graph = new WorkflowGraph({ state: z.object({ count: z.number() }) });
   * ```
   */
  constructor(options: WorkflowGraphOptions<S, I> = {}) {
    this.#schema = options.state
      ? new StateSchema(options.state, options.migrate as MigrateState<object> | undefined)
      : undefined;
  }

  /** Adds a node: a function or an object with `run(state, input, ctx)`. */
  addNode<K extends string>(
    name: K,
    node: WorkflowNode<S>,
    options?: NodeOptions,
  ): WorkflowGraph<S, I, N | K>;
  /**
   * Adds a compiled workflow as a node (a subworkflow): its steps are checkpointed under this
   * run (run id `<runId>/<node>.<step>`), and an interrupt inside it, at any depth, pauses
   * the whole run until `resume(runId, { value })` reaches the node that asked.
   *
   * @example
   * ```ts
   * graph.addNode('review', reviewWorkflow, {
   *   input: (state) => ({ draft: state.draft }),
   *   output: (child) => ({ approved: child.approved }),
   * });
   * ```
   */
  addNode<K extends string, C extends object, CI extends object>(
    name: K,
    node: CompiledWorkflow<C, CI>,
    options?: SubworkflowOptions<S, C>,
  ): WorkflowGraph<S, I, N | K>;
  addNode<K extends string, C extends object>(
    name: K,
    node: WorkflowNode<S> | CompiledWorkflow<C, object>,
    options: NodeOptions | SubworkflowOptions<S, C> = {},
  ): WorkflowGraph<S, I, N | K> {
    if (!NAME.test(name) || name === END) {
      throw new InvalidInputError(
        'name',
        'node names are 1-64 characters of letters, digits, _ or -',
      );
    }
    if (this.#nodes.has(name))
      throw new InvalidInputError('name', `a node "${name}" already exists`);
    if (node instanceof CompiledWorkflow) {
      const { input, output, ...rest } = options as SubworkflowOptions<S, C>;
      for (const [field, fn] of [
        ['input', input],
        ['output', output],
      ] as const) {
        if (fn !== undefined && typeof fn !== 'function')
          throw new InvalidInputError(`nodes.${name}.${field}`, 'must be a function');
      }
      const child = Object.freeze({ workflow: node, input, output }) as ChildSpec;
      this.#nodes.set(
        name,
        Object.freeze({ name, run: noRun, options: checked(name, rest), child }),
      );
      return this as WorkflowGraph<S, I, N | K>;
    }
    if (typeof node !== 'function' && typeof node?.run !== 'function') {
      throw new InvalidInputError(
        `nodes.${name}`,
        'must be a function, an object with run(), or a compiled workflow',
      );
    }
    this.#nodes.set(
      name,
      Object.freeze({ name, run: nodeFunction(node), options: checked(name, options) }),
    );
    return this as WorkflowGraph<S, I, N | K>;
  }

  /**
   * Always go from `from` to `to` (a node or `END`). With several sources, a join:
   * `addEdge(['a', 'b'], 'merge')` runs `merge` once, after every listed source has finished
   * (in one step or in different steps), with all their writes merged.
   */
  addEdge(from: NodeName<N> | readonly NodeName<N>[], to: NodeName<N> | End): this {
    if (typeof from !== 'string') {
      if (!Array.isArray(from) || from.length === 0 || from.some((f) => typeof f !== 'string'))
        throw new InvalidInputError('from', 'must be a node name or a non-empty list of them');
      if (new Set(from).size !== from.length)
        throw new InvalidInputError('from', 'lists a source twice');
      if (from.length === 1) return this.addEdge(from[0] as NodeName<N>, to);
      this.#joins.push(Object.freeze({ sources: Object.freeze([...from]), target: to }));
      return this;
    }
    const list = this.#edges.get(from) ?? [];
    list.push(to);
    this.#edges.set(from, list);
    return this;
  }

  /**
   * After `from`, go where `route(state)` says: a node, `END`, or several nodes at once
   * (`route` may be async: the step waits for it). With `pathMap` as a record, `route`
   * returns its keys (used as edge labels).
   */
  addConditionalEdges(
    from: NodeName<N>,
    route: (state: Readonly<WorkflowState<S>>) => RouteResult | Promise<RouteResult>,
    pathMap?: PathMap<NodeName<N> | End>,
  ): this {
    if (this.#conditional.has(from)) {
      throw new InvalidInputError('from', `"${from}" already has conditional edges`);
    }
    if (typeof route !== 'function') throw new InvalidInputError('route', 'must be a function');
    // A copy: changing your path map later must not change a compiled workflow.
    const copy = Array.isArray(pathMap)
      ? Object.freeze([...pathMap])
      : pathMap && Object.freeze({ ...pathMap });
    this.#conditional.set(from, Object.freeze({ route, pathMap: copy as PathMap | undefined }));
    return this;
  }

  /** The node the run starts at. */
  setEntryPoint(name: NodeName<N>): this {
    this.#entry = name;
    return this;
  }

  /** Validates the graph and returns an immutable, runnable workflow. */
  compile(options: CompileOptions<S> = {}): CompiledWorkflow<S, I> {
    const problems = this.#validate();
    for (const [key, reducer] of Object.entries(options.reducers ?? {})) {
      if (typeof reducer !== 'function') problems.push(`reducer of "${key}" is not a function`);
    }
    if (problems.length) throw new WorkflowValidationError(problems);
    return new CompiledWorkflow<S, I>({
      name: options.name ?? 'workflow',
      entry: this.#entry as string,
      nodes: new Map(this.#nodes),
      edges: new Map([...this.#edges].map(([k, v]) => [k, [...v]])),
      conditional: new Map(this.#conditional),
      joins: [...this.#joins],
      schema: this.#schema,
      reducers: { ...options.reducers } as Record<string, Reducer>,
    });
  }

  #validate(): string[] {
    const problems: string[] = [];
    const known = (n: string) => n === END || this.#nodes.has(n);
    if (this.#entry === undefined) problems.push('no entry point: call setEntryPoint(name)');
    else if (!this.#nodes.has(this.#entry))
      problems.push(`entry point "${this.#entry}" is not a node`);
    for (const [from, targets] of this.#edges) {
      if (!this.#nodes.has(from)) problems.push(`edge from unknown node "${from}"`);
      for (const to of targets)
        if (!known(to)) problems.push(`edge "${from}" → "${to}" goes into nothing`);
    }
    for (const [from, { pathMap }] of this.#conditional) {
      if (!this.#nodes.has(from)) problems.push(`conditional edges from unknown node "${from}"`);
      for (const to of pathTargets(pathMap)) {
        if (!known(to)) problems.push(`conditional edge "${from}" → "${to}" goes into nothing`);
      }
    }
    const joined = new Set<string>();
    for (const { sources, target } of this.#joins) {
      const label = `join [${sources.join(', ')}] → "${target}"`;
      if (!this.#nodes.has(target)) problems.push(`${label} goes into nothing`);
      for (const source of sources) {
        if (!this.#nodes.has(source)) problems.push(`${label} waits for unknown node "${source}"`);
        joined.add(source);
      }
    }
    for (const node of this.#nodes.values()) {
      const onError = node.options.onError;
      if (onError !== undefined && !known(onError)) {
        problems.push(`error route "${node.name}" → "${onError}" goes into nothing`);
      }
      if (
        !this.#edges.has(node.name) &&
        !this.#conditional.has(node.name) &&
        !joined.has(node.name)
      ) {
        problems.push(
          `node "${node.name}" has no outgoing edge (add addEdge('${node.name}', END) to finish there)`,
        );
      }
    }
    if (this.#entry && this.#nodes.has(this.#entry)) {
      const reached = this.#reachable(this.#entry);
      for (const name of this.#nodes.keys()) {
        if (!reached.has(name)) problems.push(`node "${name}" is unreachable from the entry point`);
      }
      // A join fires only when each of its sources has run: each must be reachable.
      for (const { sources, target } of this.#joins) {
        const never = sources.filter((n) => this.#nodes.has(n) && !reached.has(n));
        if (never.length > 0)
          problems.push(
            `join [${sources.join(', ')}] → "${target}" can never run: ${never.map((n) => `"${n}"`).join(', ')} cannot be reached`,
          );
      }
    }
    return problems;
  }

  #reachable(entry: string): Set<string> {
    const seen = new Set<string>();
    const queue = [entry];
    while (queue.length) {
      const name = queue.pop() as string;
      if (seen.has(name) || !this.#nodes.has(name)) continue;
      seen.add(name);
      queue.push(...(this.#edges.get(name) ?? []));
      for (const join of this.#joins) if (join.sources.includes(name)) queue.push(join.target);
      const onError = this.#nodes.get(name)?.options.onError;
      if (onError) queue.push(onError);
      const conditional = this.#conditional.get(name);
      // A route without a path map may go anywhere.
      if (conditional)
        queue.push(
          ...(conditional.pathMap ? pathTargets(conditional.pathMap) : this.#nodes.keys()),
        );
    }
    return seen;
  }
}

/** A subworkflow node's `run`: the engine runs its child instead. */
function noRun(): never {
  throw new Error('a subworkflow node runs on a WorkflowRunner');
}

/** The node's options, checked and copied (frozen, so a compiled workflow never changes). */
function checked(name: string, options: NodeOptions): Readonly<NodeOptions> {
  const { timeoutMs, onError, retry } = options ?? {};
  if (timeoutMs !== undefined && !(timeoutMs > 0 && Number.isFinite(timeoutMs))) {
    throw new InvalidInputError(
      `nodes.${name}.timeoutMs`,
      'must be a positive number of milliseconds',
    );
  }
  if (onError !== undefined && typeof onError !== 'string') {
    throw new InvalidInputError(`nodes.${name}.onError`, 'must be a node name or END');
  }
  const maxRetries = retry?.maxRetries;
  if (maxRetries !== undefined && !(Number.isInteger(maxRetries) && maxRetries >= 0)) {
    throw new InvalidInputError(`nodes.${name}.retry.maxRetries`, 'must be a non-negative integer');
  }
  return Object.freeze({ ...options, ...(retry ? { retry: Object.freeze({ ...retry }) } : {}) });
}

/** The nodes a path map can lead to. */
export function pathTargets(pathMap: PathMap | undefined): string[] {
  if (!pathMap) return [];
  return Array.isArray(pathMap) ? pathMap : Object.values(pathMap);
}
