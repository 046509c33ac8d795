import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { CompiledWorkflow } from './compiled-workflow.js';
import type { WorkflowGraph } from './workflow-graph.js';
import { END } from './workflow-state.js';

/**
 * The workflow as a Mermaid flowchart: plain edges as arrows, conditional edges dotted and
 * labelled with their route keys, joins thick and labelled `join`, error routes labelled `error`. Node ids are prefixed
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
  const id = (name: string) => (name === END ? '__end__' : `n_${name}`);
  const lines = ['flowchart TD', '  __start__([start])', '  __end__([end])'];
  for (const name of workflow.nodes.keys()) lines.push(`  ${id(name)}["${name}"]`);
  lines.push(`  __start__ --> ${id(workflow.entry)}`);
  for (const [from, targets] of workflow.edges) {
    for (const to of targets) lines.push(`  ${id(from)} --> ${id(to)}`);
  }
  for (const [from, { pathMap }] of workflow.conditional) {
    if (!pathMap) {
      lines.push(`  ${id(from)} -. "route" .-> r_${from}{{"route(state)"}}`);
      continue;
    }
    const entries = Array.isArray(pathMap)
      ? pathMap.map((t) => [t === END ? 'END' : t, t] as const)
      : Object.entries(pathMap);
    for (const [label, to] of entries)
      lines.push(`  ${id(from)} -. "${quoted(label)}" .-> ${id(to)}`);
  }
  for (const { sources, target } of workflow.joins) {
    for (const from of sources) lines.push(`  ${id(from)} == "join" ==> ${id(target)}`);
  }
  for (const node of workflow.nodes.values()) {
    const onError = node.options.onError;
    if (onError) lines.push(`  ${id(node.name)} -- "error" --> ${id(onError)}`);
  }
  return `${lines.join('\n')}\n`;
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
