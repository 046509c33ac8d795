import { pendingApprovals, resumeAnswer } from '../../workflows/interrupt-answer.js';
import type { WorkflowResult } from '../../workflows/workflow-events.js';
import { WorkflowRunner } from '../../workflows/workflow-runner.js';
import type { CliContext } from '../context.js';
import { openRunStore } from '../run-store.js';
import { decisionFrom } from '../showcase-session.js';
import { EXIT, UsageError } from '../usage-error.js';
import { loadWorkflows } from '../workflow-module.js';

type Values = Record<string, string | boolean | undefined>;

/**
 * `arshai resume <runId> --workflow <module>`: continues a run of a workflow the module
 * exports, in this process, on the SQLite `--store` or on `--redis`. A run waiting for a tool
 * approval takes `--approve` or `--reject [--reason text]` (for every pending call); one
 * waiting at `ctx.interrupt` takes `--value <json>`.
 */
export async function resumeModuleRun(
  runId: string,
  modulePath: string,
  values: Values,
  context: CliContext,
): Promise<number> {
  const { stdout, cwd } = context;
  const workflows = await loadWorkflows(cwd, modulePath);
  const stores = await openRunStore(values, cwd);
  try {
    const last = await stores.checkpointer.getLatest(runId);
    if (!last) throw new UsageError(`unknown run id "${runId}" in ${stores.label}`);
    const workflow = workflows.find((w) => w.name === last.workflow);
    if (!workflow)
      throw new UsageError(
        `run "${runId}" belongs to workflow "${last.workflow}", which ${modulePath} does not export`,
      );
    const runner = new WorkflowRunner(workflow, { checkpointer: stores.checkpointer });
    const payload = last.status === 'interrupted' ? last.interrupt?.payload : undefined;
    const result = await runner.resume(runId, answerFrom(values, runId, payload));
    printResult(result, stdout);
    return result.status === 'failed' ? EXIT.failed : EXIT.ok;
  } finally {
    await stores.close();
  }
}

/** What the command line answers: approvals for a tool approval, a JSON value otherwise. */
function answerFrom(
  values: Values,
  runId: string,
  payload: unknown,
): ReturnType<typeof resumeAnswer> {
  const decision = decisionFrom(values);
  if (pendingApprovals(payload) && !decision)
    throw new UsageError(`run "${runId}" waits for a tool approval: pass --approve or --reject`);
  let value: unknown;
  if (typeof values.value === 'string') {
    try {
      value = JSON.parse(values.value);
    } catch {
      value = values.value; // plain text is an answer too
    }
  }
  const reason = typeof values.reason === 'string' ? values.reason : undefined;
  return resumeAnswer(payload, {
    ...(decision ? { decision } : {}),
    ...(reason ? { reason } : {}),
    ...(value !== undefined ? { value } : {}),
  });
}

/** Where the run stands now, and how to answer it if it waits again. */
function printResult(result: WorkflowResult<object>, stdout: CliContext['stdout']): void {
  stdout.write(`Run ${result.runId}: ${result.status}\n`);
  if (result.status === 'failed') {
    stdout.write(`  ${result.error?.name}: ${result.error?.message}\n`);
    return;
  }
  if (result.status !== 'interrupted') return;
  const pending = pendingApprovals(result.interrupt?.payload);
  if (pending) {
    for (const p of pending)
      stdout.write(`  waits for approval: ${p.toolName} ${JSON.stringify(p.args)} (${p.callId})\n`);
    stdout.write('  answer with --approve or --reject [--reason text]\n');
  } else {
    stdout.write(`  waits at "${result.interrupt?.node}": answer with --value <json>\n`);
  }
}
