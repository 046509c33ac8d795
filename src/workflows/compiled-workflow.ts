import type { PathMap, RouteResult } from './workflow-graph.js';
import type { NodeFunction, NodeOptions } from './workflow-node.js';
import type { Reducer, WorkflowState } from './workflow-state.js';

/** A node of a compiled graph. */
export interface GraphNode<S extends object> {
  name: string;
  run: NodeFunction<S>;
  options: NodeOptions;
}

/** Conditional edges of a node. */
export interface ConditionalEdge<S extends object> {
  route: (state: Readonly<WorkflowState<S>>) => RouteResult;
  pathMap: PathMap | undefined;
}

interface Definition<S extends object> {
  name: string;
  entry: string;
  nodes: Map<string, GraphNode<S>>;
  edges: Map<string, string[]>;
  conditional: Map<string, ConditionalEdge<S>>;
  reducers: Record<string, Reducer>;
}

/**
 * A validated, immutable workflow graph. Run it with a `WorkflowRunner`; draw it with
 * `toMermaid()`.
 */
export class CompiledWorkflow<S extends object = object> {
  readonly name: string;
  readonly entry: string;
  readonly nodes: ReadonlyMap<string, GraphNode<S>>;
  readonly edges: ReadonlyMap<string, readonly string[]>;
  readonly conditional: ReadonlyMap<string, ConditionalEdge<S>>;
  readonly reducers: Readonly<Record<string, Reducer>>;

  constructor(definition: Definition<S>) {
    this.name = definition.name;
    this.entry = definition.entry;
    this.nodes = definition.nodes;
    this.edges = definition.edges;
    this.conditional = definition.conditional;
    this.reducers = Object.freeze(definition.reducers);
    Object.freeze(this);
  }

  /** The nodes to run after `node`, for the state it produced. */
  next(node: string, state: Readonly<WorkflowState<S>>): string[] {
    const targets = [...(this.edges.get(node) ?? [])];
    const conditional = this.conditional.get(node);
    if (conditional) {
      const chosen = conditional.route(state);
      for (const key of Array.isArray(chosen) ? chosen : [chosen]) {
        const pathMap = conditional.pathMap;
        const target = pathMap && !Array.isArray(pathMap) ? pathMap[key] : key;
        if (target === undefined)
          throw new Error(`route of "${node}" returned "${key}", which its path map does not have`);
        targets.push(target);
      }
    }
    return targets;
  }
}
