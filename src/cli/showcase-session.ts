import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import type { Tool } from '../llm/tool.js';
import type { MemoryManager } from '../memory/memory-types.js';
import { SqliteMemoryManager } from '../memory/sqlite-memory-manager.js';
import { loadSupportData } from '../showcase/support-data.js';
import { buildSupportWorkflow, type SupportState } from '../showcase/support-workflow.js';
import { DEFAULT_SQLITE_PATH } from '../storage/sqlite.js';
import { toMermaid } from '../workflows/mermaid.js';
import { SqliteCheckpointer } from '../workflows/sqlite-checkpointer.js';
import type { WorkflowEvent, WorkflowResult } from '../workflows/workflow-events.js';
import { WorkflowRunner } from '../workflows/workflow-runner.js';
import type { OptionSpec } from './args.js';
import type { CliContext } from './context.js';
import { chooseModel, type ModelChoice, PROVIDERS } from './model-choice.js';
import { openPostgresStores } from './postgres-stores.js';
import { formatDuration, type Output, Progress, preview, table } from './progress.js';
import { openRedisStores, redisLabel } from './redis-stores.js';
import { openStore } from './store.js';
import { UsageError } from './usage-error.js';

/** Everything one CLI invocation of the showcase uses. */
export interface Session {
  runner: WorkflowRunner<SupportState>;
  model: ModelChoice;
  /** Where runs and memory are: a file path, or a Redis URL without its password. */
  store: string;
  /** Where the diagram goes. */
  diagramDir: string;
  /** Set when steps run on the Redis queue: the URL. */
  redisUrl?: string;
  /** The options that reach these runs again (` --redis <url>`, ` --postgres <url>`; passwords masked). */
  flags: string;
  /** What each node run in this process cost (from its node-end event), in order. */
  costs: Array<{ node: string; costUsd: number | undefined }>;
  started: number;
  close(): Promise<void>;
}

/** The options `demo` and `resume` share. */
export const SESSION_OPTIONS: Record<string, OptionSpec> = {
  approve: { type: 'boolean', description: 'Approve a refund that needs approval' },
  reject: { type: 'boolean', description: 'Reject a refund that needs approval' },
  provider: {
    type: 'string',
    hint: 'name',
    description: `Model provider: ${PROVIDERS.join(', ')}`,
  },
  model: { type: 'string', hint: 'name', description: 'Model name for the provider' },
  fast: { type: 'boolean', description: 'No simulated latency for the offline model' },
  redis: {
    type: 'string',
    hint: 'url',
    description: 'Keep runs and memory in Redis and run steps on `arshai worker` processes',
  },
  postgres: {
    type: 'string',
    hint: 'url',
    description:
      'Keep runs and memory in PostgreSQL (tables arshai_*, created on first use); with --redis, steps still run on the queue',
  },
};

type Values = Record<string, string | boolean | undefined>;

/** The human decision given on the command line, if any. */
export function decisionFrom(values: Values): 'approve' | 'reject' | undefined {
  if (values.approve && values.reject)
    throw new UsageError('--approve and --reject exclude each other');
  return values.approve ? 'approve' : values.reject ? 'reject' : undefined;
}

/** Resolves the store and the model from the options, then opens the session. */
export async function sessionFromOptions(
  values: Values,
  context: CliContext,
  mustExist: boolean,
  mcpTools?: Record<string, Tool>,
): Promise<Session> {
  decisionFrom(values);
  const model = await chooseModel(
    values.provider as string | undefined,
    values.model as string | undefined,
    context.env,
    values.fast ? 0 : 120,
  );
  if (typeof values.postgres === 'string') {
    if (values.store !== undefined)
      throw new UsageError('--postgres and --store exclude each other');
    const queue = typeof values.redis === 'string' ? values.redis : undefined;
    return openPostgresSession(values.postgres, model, context.cwd, mcpTools, queue);
  }
  if (typeof values.redis === 'string') {
    if (values.store !== undefined) throw new UsageError('--store and --redis exclude each other');
    return openRedisSession(values.redis, model, context.cwd);
  }
  const storePath = resolve(context.cwd, String(values.store ?? DEFAULT_SQLITE_PATH));
  const session = openSession(storePath, model, mustExist, mcpTools);
  if (typeof values.store === 'string') session.flags = ` --store ${values.store}`;
  return session;
}

/** The showcase workflow on a model and a memory. */
export function showcaseWorkflow(
  model: ModelChoice,
  memory: MemoryManager,
  mcpTools?: Record<string, Tool>,
) {
  return buildSupportWorkflow({
    ...(mcpTools ? { mcpTools } : {}),
    llm: model.client,
    memory,
    data: loadSupportData(),
    // The bundled orders were delivered in November 2026: keep the refund window stable.
    now: () => new Date('2026-11-24T12:00:00Z'),
  });
}

/** Opens the SQLite store and builds the showcase on the chosen model. */
export function openSession(
  storePath: string,
  model: ModelChoice,
  mustExist: boolean,
  mcpTools?: Record<string, Tool>,
): Session {
  const db = openStore(storePath, mustExist);
  const memory = new SqliteMemoryManager({ database: db });
  const checkpointer = new SqliteCheckpointer({ database: db });
  return {
    runner: new WorkflowRunner(showcaseWorkflow(model, memory, mcpTools), { checkpointer }),
    model,
    store: storePath,
    diagramDir: dirname(storePath),
    flags: '',
    costs: [],
    started: performance.now(),
    close: async () => db.close(),
  };
}

/** Opens the Redis stores (loaded only now: ioredis is an optional peer) and the showcase. */
export async function openRedisSession(
  url: string,
  model: ModelChoice,
  cwd: string,
): Promise<Session> {
  const stores = await openRedisStores(url);
  return {
    runner: new WorkflowRunner(showcaseWorkflow(model, stores.memory), {
      checkpointer: stores.checkpointer,
    }),
    model,
    store: stores.label,
    diagramDir: join(cwd, '.arshai'),
    redisUrl: url,
    flags: ` --redis ${stores.label}`,
    costs: [],
    started: performance.now(),
    close: stores.close,
  };
}

/**
 * Opens the Postgres stores (`pg` is an optional peer) and the showcase: run in this process,
 * or on the Redis queue at `queueUrl` (its workers keep the state in the same database).
 */
export async function openPostgresSession(
  url: string,
  model: ModelChoice,
  cwd: string,
  mcpTools?: Record<string, Tool>,
  queueUrl?: string,
): Promise<Session> {
  const queue = queueUrl === undefined ? '' : ` --redis ${redisLabel(queueUrl)}`;
  const stores = await openPostgresStores(url);
  return {
    ...(queueUrl === undefined ? {} : { redisUrl: queueUrl }),
    flags: `${queue} --postgres ${stores.label}`,
    runner: new WorkflowRunner(showcaseWorkflow(model, stores.memory, mcpTools), {
      checkpointer: stores.checkpointer,
    }),
    model,
    store: stores.label,
    diagramDir: join(cwd, '.arshai'),
    costs: [],
    started: performance.now(),
    close: stores.close,
  };
}

/** Consumes a run's events, printing live progress; returns the result. */
export async function followRun(
  events: AsyncIterable<WorkflowEvent<SupportState>>,
  out: Output,
  costs?: Session['costs'],
): Promise<WorkflowResult<SupportState>> {
  const progress = new Progress(out);
  let result: WorkflowResult<SupportState> | undefined;
  try {
    for await (const event of events) {
      switch (event.type) {
        case 'run-start':
          progress.line(`${event.resumed ? 'Resuming' : 'Run'} ${event.runId}`);
          break;
        case 'node-start':
          progress.start(event.node);
          break;
        case 'node-end':
          if (event.spent?.modelCalls)
            costs?.push({
              node: event.node,
              costUsd: event.spent.unpricedCalls ? undefined : event.spent.costUsd,
            });
          progress.end(
            event.node,
            '✔',
            describe(event.node, event.update as Partial<SupportState> | undefined),
          );
          break;
        case 'node-error':
          progress.end(event.node, '✖', event.error.message);
          break;
        case 'interrupt':
          progress.end(event.node, '⏸', 'waiting for a human decision');
          break;
        case 'done':
          result = event.result;
          break;
        default:
          break;
      }
    }
  } finally {
    progress.stop();
  }
  return result as WorkflowResult<SupportState>;
}

function describe(node: string, update: Partial<SupportState> | undefined): string {
  if (!update) return '';
  switch (node) {
    case 'recall':
      return update.interaction && update.interaction > 1
        ? `returning customer, visit #${update.interaction}; last time: "${preview(update.previously, 50)}"`
        : 'first visit';
    case 'triage':
      return `routed to ${update.route?.agent} (${update.route?.source}${update.route?.reason ? `: ${update.route.reason}` : ''})`;
    case 'analyze':
      return preview(update.analysis, 80);
    case 'investigate':
      return preview(update.findings, 80);
    case 'assess':
      return update.refund?.eligible
        ? `refund of $${update.refund.amount.toFixed(2)} allowed`
        : `no refund: ${update.refund?.reason}`;
    case 'approval':
      return `decision: ${update.approval}`;
    case 'reply':
      return 'reply written';
    case 'remember':
      return 'customer profile saved';
    default:
      return '';
  }
}

/** Cost per step and in total, at the example prices of `EXAMPLE_PRICING`. */
function costLine(session: Session, result: WorkflowResult<SupportState>): string {
  const usd = (n: number | undefined) => (n === undefined ? 'unknown' : `$${n.toFixed(6)}`);
  const steps = session.costs.map((c) => `${c.node} ${usd(c.costUsd)}`).join(' · ');
  const spent = result.spent;
  const total = spent ? (spent.unpricedCalls ? undefined : spent.costUsd) : undefined;
  const label = 'Cost (EXAMPLE prices, not a quote):';
  return `${label} ${steps ? `${steps} · ` : ''}total ${usd(total)}${spent ? '' : ' (no model calls recorded)'}\n`;
}

/** Asks in a terminal; returns undefined when there is no terminal to ask in. */
export async function askApproval(
  question: string,
  stdin: NodeJS.ReadStream,
  out: Output,
): Promise<'approve' | 'reject' | undefined> {
  if (!stdin.isTTY || !out.isTTY) return undefined;
  // The question goes through the injected output; readline only reads the answer.
  const rl = createInterface({ input: stdin });
  try {
    out.write(`${question} [y/N] `);
    const answer = await rl.question('');
    return /^y(es)?$/i.test(answer.trim()) ? 'approve' : 'reject';
  } finally {
    rl.close();
  }
}

/** The end of a run: the reply, the summary table, where the picture is. */
export function printOutcome(
  session: Session,
  result: WorkflowResult<SupportState>,
  out: Output,
): void {
  const { state } = result;
  const where = session.flags;
  out.write('\n');
  if (result.status === 'interrupted') {
    out.write(
      `Run ${result.runId} is waiting for approval: ${String((result.interrupt?.payload as { question?: string })?.question ?? '')}\n`,
    );
    out.write(
      `Continue it later with: npx arshai resume ${result.runId} --approve${where}   (or --reject)\n`,
    );
  } else if (result.status === 'failed') {
    out.write(`Run ${result.runId} failed: ${result.error?.message}\n`);
  } else {
    out.write(`Reply to the customer:\n  ${state.reply}\n`);
  }
  const counts = session.model.counting.counts;
  const elapsed = formatDuration(performance.now() - session.started);
  // Through the queue, the model calls are made (and counted) by the workers.
  const [heads, cells] = session.redisUrl
    ? [
        ['steps', 'time'],
        [String(state.stepCount), elapsed],
      ]
    : [
        ['steps', 'model calls', 'tool calls', 'tokens in', 'tokens out', 'time'],
        [
          String(state.stepCount),
          String(counts.modelCalls),
          String(counts.toolCalls),
          String(counts.inputTokens),
          String(counts.outputTokens),
          elapsed,
        ],
      ];
  out.write(`\n${table(heads, [cells])}\n`);
  out.write(costLine(session, result));
  mkdirSync(session.diagramDir, { recursive: true, mode: 0o700 });
  const diagram = join(session.diagramDir, 'customer-support.mmd');
  writeFileSync(diagram, toMermaid(session.runner.workflow), { mode: 0o600 });
  out.write(
    `\nWorkflow diagram (Mermaid): ${diagram}\nRun history: npx arshai runs show ${result.runId}${where}\n` +
      `See it in the studio: npx arshai studio --run ${result.runId}${where} --open\n`,
  );
}
