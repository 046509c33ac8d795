import { SUPPORT_WORKFLOW, type SupportState } from '../../showcase/support-workflow.js';
import type { WorkflowResult } from '../../workflows/workflow-events.js';
import { type CommandSpec, helpText, parseCommand } from '../args.js';
import type { Command } from '../context.js';
import { openQueue } from '../queued-run.js';
import { resolveRunId } from '../run-id.js';
import {
  askApproval,
  decisionFrom,
  followRun,
  printOutcome,
  SESSION_OPTIONS,
  sessionFromOptions,
} from '../showcase-session.js';
import { EXIT, UsageError } from '../usage-error.js';
import { resumeModuleRun } from './resume-module.js';

export const RESUME_SPEC: CommandSpec = {
  usage:
    'resume <runId> [--approve|--reject] | resume <runId> --workflow <module> [--approve|--reject [--reason text]|--value json] | resume --all-stalled [--older-than <ms>]',
  summary:
    'Continues a showcase run from its last checkpoint (after an approval stop or a crash), or with\n' +
    '--workflow a run of a workflow your module exports (tool approvals answered with --approve or\n' +
    '--reject); --all-stalled continues every showcase run a dead process left running.',
  options: {
    ...SESSION_OPTIONS,
    workflow: {
      type: 'string',
      hint: 'module',
      description: 'A module exporting the run’s workflow: resume a run of your own workflow',
    },
    value: {
      type: 'string',
      hint: 'json',
      description: 'With --workflow: the answer to an interrupt',
    },
    reason: {
      type: 'string',
      hint: 'text',
      description: 'With --reject: why (the model reads it)',
    },
    'all-stalled': {
      type: 'boolean',
      description: 'Continue every showcase run left running by a process that died',
    },
    'older-than': {
      type: 'string',
      hint: 'ms',
      description: 'With --all-stalled: only runs idle this long (default 60000)',
    },
  },
};

export const resume: Command = {
  name: 'resume',
  summary: 'Continue an interrupted or crashed run',
  async run(context) {
    const { argv, stdout, stdin } = context;
    const { values, positionals } = parseCommand(RESUME_SPEC, argv);
    if (values.help) {
      stdout.write(helpText(RESUME_SPEC));
      return EXIT.ok;
    }
    if (values['all-stalled']) {
      if (positionals.length > 0)
        throw new UsageError('--all-stalled takes no run id (see: arshai resume --help)');
      return resumeStalled(values, context);
    }
    const [given, extra] = positionals;
    if (!given || extra)
      throw new UsageError('expected exactly one run id (see: arshai resume --help)');
    if (typeof values.workflow === 'string')
      return resumeModuleRun(given, values.workflow, values, context);
    const session = await sessionFromOptions(values, context, true);
    const { store } = session;
    try {
      const runId = await resolveRunId(session.runner.checkpointer, given, store);
      const last = await session.runner.checkpointer?.getLatest(runId);
      if (!last) throw new UsageError(`unknown run id "${runId}" in ${store}`);
      if (last.workflow !== SUPPORT_WORKFLOW) {
        throw new UsageError(
          `run "${runId}" belongs to workflow "${last.workflow}"; the CLI resumes showcase runs only`,
        );
      }
      if (last.status === 'completed' || (last.status === 'failed' && last.next.length === 0)) {
        // Finished: nothing runs. Say so (and how an approval was decided), not as a success.
        // A failed run that kept where it stood (a model call failed) is retried instead.
        const decided = (last.state as { approval?: unknown }).approval;
        const how =
          decided === 'approved' || decided === 'rejected'
            ? `its refund was already ${decided}, and it is ${last.status}`
            : `it is already ${last.status}`;
        context.stderr.write(`arshai: run ${runId} cannot be resumed: ${how}\n`);
        return EXIT.failed;
      }
      let value: string | undefined;
      if (last.status === 'interrupted') {
        const question = String(
          (last.interrupt?.payload as { question?: string })?.question ?? 'Approve?',
        );
        value = decisionFrom(values) ?? (await askApproval(question, stdin, stdout));
        if (!value)
          throw new UsageError(`run "${runId}" waits for approval: pass --approve or --reject`);
        stdout.write(`Human decision: ${value}\n`);
      }
      let result: WorkflowResult<SupportState>;
      if (session.redisUrl) {
        const queue = await openQueue(session, stdout);
        try {
          await queue.resume(runId, value);
          result = await queue.result(runId);
        } finally {
          await queue.close();
        }
      } else {
        result = await followRun(
          session.runner.streamResume(runId, value === undefined ? {} : { value }),
          stdout,
          session.costs,
        );
      }
      printOutcome(session, result, stdout);
      return result.status === 'failed' ? EXIT.failed : EXIT.ok;
    } finally {
      await session.close();
    }
  },
};

/** `resume --all-stalled`: `WorkflowRunner.recover` over the store, with a report. */
async function resumeStalled(
  values: Record<string, string | boolean | undefined>,
  context: Parameters<Command['run']>[0],
): Promise<number> {
  const raw = values['older-than'] ?? '60000';
  const olderThanMs = Number(raw);
  if (!Number.isInteger(olderThanMs) || olderThanMs < 0)
    throw new UsageError(`--older-than must be a whole number of milliseconds, not "${raw}"`);
  const session = await sessionFromOptions(values, context, true);
  const { stdout } = context;
  try {
    const report = await session.runner.recover({ olderThanMs });
    const found = report.recovered.length + report.skipped.length + report.errors.length;
    stdout.write(`Stalled runs: ${found} (idle over ${olderThanMs} ms)\n`);
    for (const r of report.recovered) stdout.write(`  ${r.runId}  continued: ${r.status}\n`);
    for (const id of report.skipped) stdout.write(`  ${id}  taken by another process\n`);
    for (const e of report.errors)
      stdout.write(`  ${e.runId}  could not continue: ${e.error.message}\n`);
    const waiting = report.recovered.filter((r) => r.status === 'interrupted');
    for (const r of waiting)
      stdout.write(`Waiting for approval: npx arshai resume ${r.runId} --approve\n`);
    const failed = report.errors.length > 0 || report.recovered.some((r) => r.status === 'failed');
    return failed ? EXIT.failed : EXIT.ok;
  } finally {
    await session.close();
  }
}
