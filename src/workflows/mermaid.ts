import type { CompiledWorkflow } from './compiled-workflow.js';
import { END } from './workflow-state.js';

/**
 * The workflow as a Mermaid flowchart: plain edges as arrows, conditional edges dotted and
 * labelled with their route keys, error routes labelled `error`. Node ids are prefixed
 * (`n_`), so names like `end` or `graph` never clash with Mermaid's keywords.
 *
 * @example
 * ```ts
 * console.log(toMermaid(workflow)); // flowchart TD ...
 * ```
 */
export function toMermaid<S extends object>(workflow: CompiledWorkflow<S>): string {
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
