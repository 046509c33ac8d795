import type { CompiledWorkflow } from './compiled-workflow.js';
import { END } from './workflow-state.js';

/**
 * The workflow as a Mermaid flowchart: plain edges as arrows, conditional edges dotted and
 * labelled with their route keys, error routes labelled `error`.
 *
 * @example
 * ```ts
 * console.log(toMermaid(workflow)); // flowchart TD ...
 * ```
 */
export function toMermaid<S extends object>(workflow: CompiledWorkflow<S>): string {
  const id = (name: string) => (name === END ? '__end__' : name);
  const lines = ['flowchart TD', '  __start__([start])', '  __end__([end])'];
  for (const name of workflow.nodes.keys()) lines.push(`  ${name}[${name}]`);
  lines.push(`  __start__ --> ${workflow.entry}`);
  for (const [from, targets] of workflow.edges) {
    for (const to of targets) lines.push(`  ${from} --> ${id(to)}`);
  }
  for (const [from, { pathMap }] of workflow.conditional) {
    if (!pathMap) {
      lines.push(`  ${from} -. route .-> ${from}_route{{"route(state)"}}`);
      continue;
    }
    const entries = Array.isArray(pathMap)
      ? pathMap.map((t) => [t, t] as const)
      : Object.entries(pathMap);
    for (const [label, to] of entries)
      lines.push(`  ${from} -. ${JSON.stringify(label)} .-> ${id(to)}`);
  }
  for (const node of workflow.nodes.values()) {
    if (node.options.onError) lines.push(`  ${node.name} -- error --> ${id(node.options.onError)}`);
  }
  return `${lines.join('\n')}\n`;
}
