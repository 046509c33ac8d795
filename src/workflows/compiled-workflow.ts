import { graphFingerprint } from './graph-fingerprint.js';
import { graphModel } from './graph-model.js';
import type { StateSchema } from './state-schema.js';
import type { PathMap, RouteResult } from './workflow-graph.js';
import type { NodeFunction, NodeOptions } from './workflow-node.js';
import type { Reducer, WorkflowState } from './workflow-state.js';

/** A node of a compiled graph. */
export interface GraphNode<S extends object> {
  name: string;
  run: NodeFunction<S>;
  options: NodeOptions;
  /** Set when the node is a subworkflow: the engine runs it as a nested durable run. */
  child?: ChildSpec;
}

/** A subworkflow node: the child workflow and how parent state maps in and out. */
export interface ChildSpec {
  // biome-ignore lint/suspicious/noExplicitAny: a child of any state type
  workflow: CompiledWorkflow<any>;
  input?: ((state: never) => object) | undefined;
  output?: ((child: never, state: never) => object) | undefined;
}

/** Conditional edges of a node. */
export interface ConditionalEdge<S extends object> {
  route: (state: Readonly<WorkflowState<S>>) => RouteResult | Promise<RouteResult>;
  pathMap: PathMap | undefined;
}

/** A join: `target` runs once after every one of `sources` has finished. */
export interface Join {
  readonly sources: readonly string[];
  readonly target: string;
}

/** Which sources of each join have finished since it last ran, by {@link joinKey}. */
export type JoinProgress = Record<string, string[]>;

/** The name of a join in a run's join progress: `a&b>merge`. */
export function joinKey(join: Join): string {
  return `${join.sources.join('&')}>${join.target}`;
}

interface Definition<S extends object> {
  name: string;
  entry: string;
  nodes: Map<string, GraphNode<S>>;
  edges: Map<string, string[]>;
  conditional: Map<string, ConditionalEdge<S>>;
  joins: Join[];
  schema: StateSchema | undefined;
  reducers: Record<string, Reducer>;
}

/**
 * A validated, immutable workflow graph. Run it with a `WorkflowRunner`; draw it with
 * `toMermaid()`.
 */
export class CompiledWorkflow<S extends object = object, I extends object = S> {
  /**
   * The type of the state a run starts with (`executeWorkflow({ state })`); types only, never
   * set. Held by a method, so workflows of different input types stay assignable where only
   * the state type matters.
   */
  declare readonly '~types'?: { input(state: I): void };
  readonly name: string;
  readonly entry: string;
  readonly nodes: ReadonlyMap<string, GraphNode<S>>;
  readonly edges: ReadonlyMap<string, readonly string[]>;
  readonly conditional: ReadonlyMap<string, ConditionalEdge<S>>;
  readonly reducers: Readonly<Record<string, Reducer>>;
  /** Joins (`addEdge(['a', 'b'], 'merge')`). */
  readonly joins: readonly Join[];
  /** The state schema, when the graph was given one. */
  readonly schema: StateSchema | undefined;
  /**
   * The fingerprint of the graph's shape (nodes and edges, not code), recorded with each
   * checkpoint (`checkpoint.graph`): see {@link graphFingerprint}.
   */
  readonly fingerprint: string;
  /** The joins each node is a source of. */
  readonly #joinsOf: ReadonlyMap<string, readonly Join[]>;

  constructor(definition: Definition<S>) {
    this.name = definition.name;
    this.entry = definition.entry;
    this.nodes = definition.nodes;
    this.edges = definition.edges;
    this.conditional = definition.conditional;
    this.reducers = Object.freeze(definition.reducers);
    this.joins = Object.freeze(definition.joins);
    this.schema = definition.schema;
    const joinsOf = new Map<string, Join[]>();
    for (const join of definition.joins) {
      for (const source of join.sources)
        joinsOf.set(source, [...(joinsOf.get(source) ?? []), join]);
    }
    this.#joinsOf = joinsOf;
    this.fingerprint = graphFingerprint(graphModel(this));
    Object.freeze(this);
  }

  /**
   * Records that `node` finished in the joins it is a source of; returns the joins' targets
   * that may run now (every source finished), whose progress starts again.
   */
  joined(node: string, progress: JoinProgress): string[] {
    const joins = this.#joinsOf.get(node);
    if (!joins) return [];
    const ready: string[] = [];
    for (const join of joins) {
      const key = joinKey(join);
      const seen = progress[key] ?? [];
      if (!seen.includes(node)) seen.push(node);
      if (seen.length === join.sources.length) {
        delete progress[key];
        ready.push(join.target);
      } else progress[key] = seen;
    }
    return ready;
  }
}
