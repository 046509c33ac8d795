import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { CompiledWorkflow } from './compiled-workflow.js';
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
  lines.push(...drawn(workflow, ''));
  return `${lines.join('\n')}\n`;
}

/**
 * A workflow's nodes and edges, ids prefixed with `prefix` (`n_<parent>__` inside a
 * subworkflow, whose own edges to `END` are left out: they return to the parent node).
 */
function drawn<S extends object>(workflow: CompiledWorkflow<S>, prefix: string): string[] {
  const top = prefix === '';
  const id = (name: string) => (name === END ? '__end__' : `n_${prefix}${name}`);
  const lines: string[] = [];
  const edge = (from: string, arrow: string, to: string) => {
    if (top || to !== END) lines.push(`  ${id(from)} ${arrow} ${id(to)}`);
  };
  for (const node of workflow.nodes.values()) {
    if (!node.child) {
      lines.push(`  ${id(node.name)}["${node.name}"]`);
      continue;
    }
    const child: CompiledWorkflow<object> = node.child.workflow;
    lines.push(`  subgraph ${id(node.name)} ["${node.name} (${quoted(child.name)})"]`);
    lines.push(...drawn(child, `${prefix}${node.name}__`));
    lines.push('  end');
  }
  if (top) lines.push(`  __start__ --> ${id(workflow.entry)}`);
  for (const [from, targets] of workflow.edges) for (const to of targets) edge(from, '-->', to);
  for (const [from, { pathMap }] of workflow.conditional) {
    if (!pathMap) {
      lines.push(`  ${id(from)} -. "route" .-> r_${prefix}${from}{{"route(state)"}}`);
      continue;
    }
    const entries = Array.isArray(pathMap)
      ? pathMap.map((t) => [t === END ? 'END' : t, t] as const)
      : Object.entries(pathMap);
    for (const [label, to] of entries) edge(from, `-. "${quoted(label)}" .->`, to);
  }
  for (const { sources, target } of workflow.joins) {
    for (const from of sources) edge(from, '== "join" ==>', target);
  }
  for (const node of workflow.nodes.values()) {
    const onError = node.options.onError;
    if (onError) edge(node.name, '-- "error" -->', onError);
  }
  return lines;
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
