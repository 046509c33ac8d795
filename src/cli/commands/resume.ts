import { resolve } from 'node:path';
import { SUPPORT_WORKFLOW } from '../../showcase/support-workflow.js';
import { DEFAULT_SQLITE_PATH } from '../../storage/sqlite.js';
import { type CommandSpec, helpText, parseCommand } from '../args.js';
import type { Command } from '../context.js';
import { chooseModel, PROVIDERS } from '../model-choice.js';
import { askApproval, followRun, openSession, printOutcome } from '../showcase-session.js';
import { EXIT, UsageError } from '../usage-error.js';

export const RESUME_SPEC: CommandSpec = {
  usage: 'resume <runId> [--approve|--reject]',
  summary: 'Continues a showcase run from its last checkpoint (after an approval stop or a crash).',
  options: {
    approve: { type: 'boolean', description: 'Approve the pending refund' },
    reject: { type: 'boolean', description: 'Reject the pending refund' },
    provider: {
      type: 'string',
      hint: 'name',
      description: `Model provider: ${PROVIDERS.join(', ')}`,
    },
    model: { type: 'string', hint: 'name', description: 'Model name for the provider' },
    fast: { type: 'boolean', description: 'No simulated latency for the offline model' },
  },
};

export const resume: Command = {
  name: 'resume',
  summary: 'Continue an interrupted or crashed run',
  async run({ argv, env, stdout, stdin, cwd }) {
    const { values, positionals } = parseCommand(RESUME_SPEC, argv);
    if (values.help) {
      stdout.write(helpText(RESUME_SPEC));
      return EXIT.ok;
    }
    const [runId, extra] = positionals;
    if (!runId || extra)
      throw new UsageError('expected exactly one run id (see: arshai resume --help)');
    if (values.approve && values.reject)
      throw new UsageError('--approve and --reject exclude each other');
    const storePath = resolve(cwd, String(values.store ?? DEFAULT_SQLITE_PATH));
    const model = await chooseModel(
      values.provider as string | undefined,
      values.model as string | undefined,
      env,
      values.fast ? 0 : 120,
    );
    const session = openSession(storePath, model, true);
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
        value = values.approve
          ? 'approve'
          : values.reject
            ? 'reject'
            : await askApproval(question, stdin, stdout);
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
