import { type CommandSpec, helpText, parseCommand } from '../args.js';
import type { CliContext, Command } from '../context.js';
import { type MountedMcp, mountMcp } from '../mcp-mount.js';
import { openQueue, type QueuedRuns } from '../queued-run.js';
import {
  askApproval,
  decisionFrom,
  followRun,
  printOutcome,
  SESSION_OPTIONS,
  type Session,
  sessionFromOptions,
} from '../showcase-session.js';
import { EXIT, UsageError } from '../usage-error.js';

export const DEMO_SPEC: CommandSpec = {
  usage: 'demo [options]',
  summary:
    'Runs the customer-support showcase: routing, parallel analysis, a specialist team with tools, memory\n' +
    'across runs and a human approval step, in a checkpointed workflow. Offline by default.',
  options: {
    message: { type: 'string', hint: 'text', description: 'The customer message' },
    customer: { type: 'string', hint: 'id', description: 'The customer id (cust_ada, cust_alan)' },
    mcp: {
      type: 'string',
      hint: 'url|command',
      description:
        'Mount an MCP server (a URL, or the command that starts it): its tools join the specialist team',
    },
    ...SESSION_OPTIONS,
  },
};

const DEFAULT_MESSAGE =
  'Hi, the noise-cancelling headphones from order A1001 arrived with a cracked headband. I would like a refund, please.';

export const demo: Command = {
  name: 'demo',
  summary: 'Run the offline multi-agent showcase',
  async run(context) {
    const { argv, stdout, stdin } = context;
    const { values } = parseCommand(DEMO_SPEC, argv);
    if (values.help) {
      stdout.write(helpText(DEMO_SPEC));
      return EXIT.ok;
    }
    if (typeof values.mcp === 'string' && values.redis !== undefined)
      throw new UsageError('--mcp mounts the server in this process: not with --redis');
    const mounted = typeof values.mcp === 'string' ? await mountMcp(values.mcp) : undefined;
    const session = await sessionFromOptions(values, context, false, mounted?.tools).catch(
      async (error: unknown) => {
        await mounted?.close();
        throw error;
      },
    );
    const { model, store } = session;
    try {
      const customerId = String(values.customer ?? 'cust_ada');
      const message = String(values.message ?? DEFAULT_MESSAGE);
      stdout.write(
        `arshai showcase: customer support\nModel:    ${model.description}\nStore:    ${store}\n${mcpLine(mounted)}Customer: ${customerId}\nMessage:  "${message}"\n\n`,
      );
      const input = {
        userId: customerId,
        inputData: { customerId, message },
        state: { customerId, message },
      };
      if (session.redisUrl) return await queued(session, input, values, context);
      let result = await followRun(
        session.runner.streamWorkflow({
          userId: customerId,
          inputData: { customerId, message },
          state: { customerId, message },
        }),
        stdout,
        session.costs,
      );
      if (result.status === 'interrupted') {
        const question = String(
          (result.interrupt?.payload as { question?: string })?.question ?? 'Approve?',
        );
        const decision = decisionFrom(values) ?? (await askApproval(question, stdin, stdout));
        if (decision) {
          stdout.write(`\nHuman decision: ${decision}\n`);
          result = await followRun(
            session.runner.streamResume(result.runId, { value: decision }),
            stdout,
            session.costs,
          );
        }
      }
      printOutcome(session, result, stdout);
      return result.status === 'failed' ? EXIT.failed : EXIT.ok;
    } finally {
      await session.close();
      await mounted?.close();
    }
  },
};

/** The header line naming a mounted MCP server and its tools. */
function mcpLine(mounted: MountedMcp | undefined): string {
  if (!mounted) return '';
  const names = Object.keys(mounted.tools);
  const shown = names.slice(0, 6).join(', ') + (names.length > 6 ? ', …' : '');
  return `MCP:      ${mounted.label} (${names.length} tools: ${shown})\n`;
}

/** `demo --redis`: the run goes through the queue; `arshai worker` processes run its steps. */
async function queued(
  session: Session,
  input: Parameters<QueuedRuns['start']>[0],
  values: Record<string, string | boolean | undefined>,
  { stdout, stdin }: CliContext,
): Promise<number> {
  const queue = await openQueue(session, stdout);
  try {
    const runId = await queue.start(input);
    let result = await queue.result(runId);
    if (result.status === 'interrupted') {
      const question = String(
        (result.interrupt?.payload as { question?: string })?.question ?? 'Approve?',
      );
      const decision = decisionFrom(values) ?? (await askApproval(question, stdin, stdout));
      if (decision) {
        stdout.write(`\nHuman decision: ${decision}\n`);
        await queue.resume(runId, decision);
        result = await queue.result(runId);
      }
    }
    printOutcome(session, result, stdout);
    return result.status === 'failed' ? EXIT.failed : EXIT.ok;
  } finally {
    await queue.close();
  }
}
