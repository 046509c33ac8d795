import { SUPPORT_WORKFLOW } from '../../showcase/support-workflow.js';
import type { CliContext } from '../context.js';
import { resolveRunId } from '../run-id.js';
import { followRun, printOutcome, sessionFromOptions } from '../showcase-session.js';
import { EXIT, UsageError } from '../usage-error.js';

type Values = Record<string, string | boolean | undefined>;

/**
 * `arshai runs fork <runId> --step N`: a new showcase run from step N of an old one (the
 * old run is untouched), with its progress shown as `demo` shows it.
 */
export async function forkRun(given: string, values: Values, context: CliContext): Promise<number> {
  const step = Number(values.step);
  if (values.step === undefined || !Number.isInteger(step) || step < 0)
    throw new UsageError('runs fork needs --step <n>, a step of the run (see: arshai runs show)');
  if (values.redis !== undefined)
    throw new UsageError('runs fork runs in this process: use the SQLite --store');
  const session = await sessionFromOptions(values, context, true);
  try {
    const runId = await resolveRunId(session.runner.checkpointer, given, session.store);
    const last = await session.runner.checkpointer?.getLatest(runId);
    if (!last) throw new UsageError(`unknown run id "${runId}" in ${session.store}`);
    if (last.workflow !== SUPPORT_WORKFLOW)
      throw new UsageError(
        `run "${runId}" belongs to workflow "${last.workflow}"; the CLI forks showcase runs only (use runner.fork)`,
      );
    const events: Parameters<typeof followRun>[0] = {
      async *[Symbol.asyncIterator]() {
        const result = await session.runner.fork(runId, { step });
        yield { type: 'done', result };
      },
    };
    const result = await followRun(events, context.stdout, session.costs);
    context.stdout.write(`Forked run ${result.runId} from step ${step} of ${runId}.\n`);
    printOutcome(session, result, context.stdout);
    return result.status === 'failed' ? EXIT.failed : EXIT.ok;
  } finally {
    await session.close();
  }
}
