import type { CompiledWorkflow } from './compiled-workflow.js';
import { END } from './workflow-state.js';

/** How one node of a workflow graph reaches another. */
export type GraphEdgeKind = 'edge' | 'route' | 'join' | 'error';

/** An edge of a {@link GraphModel}: `to` is a node name, `END`, or (`route` without a map) `null`. */
export interface GraphEdge {
  from: string;
  /** `null`: a router without a path map, whose targets are only known at run time. */
  to: string | null;
  kind: GraphEdgeKind;
  /** The route key of a conditional edge. */
  label?: string;
}

/** A node of a {@link GraphModel}; a subworkflow node carries its child's graph. */
export interface GraphModelNode {
  name: string;
  child?: GraphModel;
}

/**
 * A compiled workflow as plain data: its nodes (in the order they were added), where it
 * starts, and every edge (plain, conditional with its route key, join, error route). The one
 * model behind `toMermaid` and the studio's diagram.
 *
 * @example
 * ```ts
 * const { entry, nodes, edges } = graphModel(workflow);
 * ```
 */
export interface GraphModel {
  name: string;
  entry: string;
  nodes: GraphModelNode[];
  edges: GraphEdge[];
}

/** The graph model of a compiled workflow (see {@link GraphModel}). */
export function graphModel<S extends object, I extends object>(
  workflow: CompiledWorkflow<S, I>,
): GraphModel {
  const nodes: GraphModelNode[] = [...workflow.nodes.values()].map((node) =>
    node.child
      ? { name: node.name, child: graphModel(node.child.workflow as CompiledWorkflow<object>) }
      : { name: node.name },
  );
  const edges: GraphEdge[] = [];
  for (const [from, targets] of workflow.edges)
    for (const to of targets) edges.push({ from, to, kind: 'edge' });
  for (const [from, { pathMap }] of workflow.conditional) {
    if (!pathMap) {
      edges.push({ from, to: null, kind: 'route', label: 'route' });
      continue;
    }
    const entries = Array.isArray(pathMap)
      ? pathMap.map((t) => [t === END ? 'END' : t, t] as const)
      : Object.entries(pathMap);
    for (const [label, to] of entries) edges.push({ from, to, kind: 'route', label });
  }
  for (const { sources, target } of workflow.joins)
    for (const from of sources) edges.push({ from, to: target, kind: 'join' });
  for (const node of workflow.nodes.values()) {
    const onError = node.options.onError;
    if (onError) edges.push({ from: node.name, to: onError, kind: 'error' });
  }
  return { name: workflow.name, entry: workflow.entry, nodes, edges };
}
