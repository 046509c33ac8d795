import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BaseLLMClient } from '../../llm/base-llm-client.js';
import { InMemoryManager } from '../../memory/in-memory-manager.js';
import { OfflineModel } from '../../showcase/offline-model.js';
import { loadSupportData } from '../../showcase/support-data.js';
import { buildSupportWorkflow } from '../../showcase/support-workflow.js';
import type { CompiledWorkflow } from '../../workflows/compiled-workflow.js';
import { toMermaid } from '../../workflows/mermaid.js';
import { type CommandSpec, helpText, parseCommand } from '../args.js';
import type { Command } from '../context.js';
import { EXIT, UsageError } from '../usage-error.js';

export const GRAPH_SPEC: CommandSpec = {
  usage: 'graph [module]',
  summary:
    'Prints the Mermaid flowchart of the showcase workflow, or of the workflow a module exports\n' +
    '(a compiled workflow or a WorkflowGraph, as the default export or a named one).',
  options: {},
};

type Compiled = CompiledWorkflow<object>;

function isCompiled(value: unknown): value is Compiled {
  return (
    typeof value === 'object' &&
    value !== null &&
    'entry' in value &&
    'nodes' in value &&
    'conditional' in value
  );
}

function isGraph(value: unknown): value is { compile(): unknown } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { compile?: unknown }).compile === 'function' &&
    'setEntryPoint' in value
  );
}

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
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(resolve(cwd, modulePath)).href)) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(
        `cannot load module ${modulePath}: ${(error as Error).message.split('\n')[0]}`,
      );
    }
    const exported = [mod.default, ...Object.values(mod)];
    const found =
      exported.find(isCompiled) ?? (exported.find(isGraph)?.compile() as Compiled | undefined);
    if (!found || !isCompiled(found))
      throw new UsageError(
        `${modulePath} exports no workflow (a compiled workflow or a WorkflowGraph)`,
      );
    stdout.write(toMermaid(found));
    return EXIT.ok;
  },
};
