import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CompiledWorkflow } from '../workflows/compiled-workflow.js';
import { UsageError } from './usage-error.js';

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

/**
 * The workflows a user module exports (compiled workflows, or graphs, compiled here), the
 * default export first; a module that cannot load or exports none is a usage error.
 */
export async function loadWorkflows(cwd: string, modulePath: string): Promise<Compiled[]> {
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(resolve(cwd, modulePath)).href)) as Record<string, unknown>;
  } catch (error) {
    throw new UsageError(
      `cannot load module ${modulePath}: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  const exported = [...new Set([mod.default, ...Object.values(mod)])];
  const found = exported.flatMap((e) =>
    isCompiled(e) ? [e] : isGraph(e) ? [e.compile()].filter(isCompiled) : [],
  );
  if (found.length === 0)
    throw new UsageError(
      `${modulePath} exports no workflow (a compiled workflow or a WorkflowGraph)`,
    );
  return found;
}
