import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { CompiledWorkflow } from './compiled-workflow.js';
import { type GraphEdgeKind, type GraphModel, graphModel } from './graph-model.js';
import type { WorkflowGraph } from './workflow-graph.js';
import { END } from './workflow-state.js';

/**
 * The workflow as a Mermaid flowchart: plain edges as arrows, conditional edges dotted and
 * labelled with their route keys, joins thick and labelled `join`, error routes labelled `error`,
 * subworkflows as subgraphs. Node ids are prefixed
 * (`n_`), so names like `end` or `graph` never clash with Mermaid's keywords. A
 * `WorkflowGraph` is compiled first (an invalid one throws `WorkflowValidationError`).
 *
 * @example
 * ```ts
 * console.log(toMermaid(workflow)); // flowchart TD ...
 * ```
 */
export function toMermaid<S extends object>(graph: CompiledWorkflow<S> | WorkflowGraph<S>): string {
  const workflow: CompiledWorkflow<S> = isGraph<S>(graph) ? graph.compile() : graph;
  if (!(workflow?.nodes instanceof Map) || typeof workflow.entry !== 'string') {
    throw new InvalidInputError('workflow', 'expected a compiled workflow or a WorkflowGraph');
  }
  const lines = ['flowchart TD', '  __start__([start])', '  __end__([end])'];
  lines.push(...drawn(graphModel(workflow), '', mermaidIds()));
  return `${lines.join('\n')}\n`;
}

/**
 * A workflow's nodes and edges, ids prefixed with `prefix` (`n_<parent>__` inside a
 * subworkflow, whose own edges to `END` are left out: they return to the parent node).
 */
function drawn(model: GraphModel, prefix: string, ids: (key: string) => string): string[] {
  const top = prefix === '';
  const id = (name: string) => (name === END ? '__end__' : `n_${ids(`${prefix}${name}`)}`);
  const lines: string[] = [];
  for (const node of model.nodes) {
    if (!node.child) {
      lines.push(`  ${id(node.name)}["${node.name}"]`);
      continue;
    }
    lines.push(`  subgraph ${id(node.name)} ["${node.name} (${quoted(node.child.name)})"]`);
    lines.push(...drawn(node.child, `${prefix}${node.name}__`, ids));
    lines.push('  end');
  }
  if (top) lines.push(`  __start__ --> ${id(model.entry)}`);
  for (const { from, to, kind, label } of model.edges) {
    if (to === null) {
      lines.push(`  ${id(from)} -. "route" .-> r_${ids(`${prefix}${from}`)}{{"route(state)"}}`);
      continue;
    }
    if (!top && to === END) continue;
    const arrow = ARROWS[kind](quoted(label ?? ''));
    lines.push(`  ${id(from)} ${arrow} ${id(to)}`);
  }
  return lines;
}

const ARROWS: Record<GraphEdgeKind, (label: string) => string> = {
  edge: () => '-->',
  route: (label) => `-. "${label}" .->`,
  join: () => '== "join" ==>',
  error: () => '-- "error" -->',
};

/**
 * Mermaid ids of node names: as they are, but with `-` as `_` (Mermaid reads `--`, `---` and
 * `-.` in an id as the start of a link), and a number added where that makes two names one.
 */
function mermaidIds(): (key: string) => string {
  const ids = new Map<string, string>();
  const used = new Set<string>();
  return (key) => {
    let id = ids.get(key);
    if (id !== undefined) return id;
    const base = key.replaceAll('-', '_');
    id = base;
    for (let n = 2; used.has(id); n++) id = `${base}_${n}`;
    ids.set(key, id);
    used.add(id);
    return id;
  };
}

/** Text safe inside a quoted Mermaid label (Mermaid's `#code;` entities). */
function quoted(text: string): string {
  return text.replace(/[#"<>]/g, (c) => `#${c.charCodeAt(0)};`);
}

function isGraph<S extends object>(
  value: CompiledWorkflow<S> | WorkflowGraph<S>,
): value is WorkflowGraph<S> {
  return typeof (value as { compile?: unknown } | null)?.compile === 'function';
}
