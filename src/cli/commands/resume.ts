import { SUPPORT_WORKFLOW } from '../../showcase/support-workflow.js';
import { type CommandSpec, helpText, parseCommand } from '../args.js';
import type { Command } from '../context.js';
import {
  askApproval,
  decisionFrom,
  followRun,
  printOutcome,
  SESSION_OPTIONS,
  sessionFromOptions,
} from '../showcase-session.js';
import { EXIT, UsageError } from '../usage-error.js';

export const RESUME_SPEC: CommandSpec = {
  usage: 'resume <runId> [--approve|--reject]',
  summary: 'Continues a showcase run from its last checkpoint (after an approval stop or a crash).',
  options: {
    ...SESSION_OPTIONS,
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
    const [runId, extra] = positionals;
    if (!runId || extra)
      throw new UsageError('expected exactly one run id (see: arshai resume --help)');
    const session = await sessionFromOptions(values, context, true);
    const { storePath } = session;
    try {
      const last = await session.runner.checkpointer?.getLatest(runId);
      if (!last) throw new UsageError(`unknown run id "${runId}" in ${storePath}`);
      if (last.workflow !== SUPPORT_WORKFLOW) {
        throw new UsageError(
          `run "${runId}" belongs to workflow "${last.workflow}"; the CLI resumes showcase runs only`,
        );
      }
      if (last.status === 'completed' || last.status === 'failed') {
        stdout.write(`Run ${runId} is already ${last.status}; nothing to resume.\n`);
        return EXIT.ok;
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
      const result = await followRun(
        session.runner.streamResume(runId, value === undefined ? {} : { value }),
        stdout,
      );
      printOutcome(session, result, stdout);
      return result.status === 'failed' ? EXIT.failed : EXIT.ok;
    } finally {
      session.close();
    }
  },
};
