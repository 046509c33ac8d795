import { BaseLLMClient } from '../../llm/base-llm-client.js';
import { InMemoryManager } from '../../memory/in-memory-manager.js';
import { OfflineModel } from '../../showcase/offline-model.js';
import { loadSupportData } from '../../showcase/support-data.js';
import { buildSupportWorkflow } from '../../showcase/support-workflow.js';
import { toMermaid } from '../../workflows/mermaid.js';
import { type CommandSpec, helpText, parseCommand } from '../args.js';
import type { Command } from '../context.js';
import { EXIT, UsageError } from '../usage-error.js';
import { loadWorkflows } from '../workflow-module.js';

export const GRAPH_SPEC: CommandSpec = {
  usage: 'graph [module]',
  summary:
    'Prints the Mermaid flowchart of the showcase workflow, or of the workflow a module exports\n' +
    '(a compiled workflow or a WorkflowGraph, as the default export or a named one).',
  options: {},
  storeless: true,
};

export const graph: Command = {
  name: 'graph',
  summary: 'Print a workflow as a Mermaid flowchart',
  async run({ argv, stdout, cwd }) {
    const { values, positionals } = parseCommand(GRAPH_SPEC, argv);
    if (values.help) {
      stdout.write(helpText(GRAPH_SPEC));
      return EXIT.ok;
    }
    if (positionals.length > 1) throw new UsageError('expected at most one module path');
    const [modulePath] = positionals;
    if (!modulePath) {
      const workflow = buildSupportWorkflow({
        llm: new BaseLLMClient(new OfflineModel({ rules: [] }), { model: 'offline' }),
        memory: new InMemoryManager(),
        data: loadSupportData(),
        now: () => new Date(),
      });
      stdout.write(toMermaid(workflow));
      return EXIT.ok;
    }
    const [found] = await loadWorkflows(cwd, modulePath);
    stdout.write(toMermaid(found as NonNullable<typeof found>));
    return EXIT.ok;
  },
};
