import type { Logger } from '../../utils/logger.js';
import type { Checkpointer } from '../../workflows/checkpointer.js';
import type { CompiledWorkflow } from '../../workflows/compiled-workflow.js';
import { type CommandSpec, helpText, type OptionSpec, parseCommand } from '../args.js';
import type { Command } from '../context.js';
import { openPostgresStores, postgresLabel } from '../postgres-stores.js';
import { loadPeer, openRedisStores, redisLabel } from '../redis-stores.js';
import { SESSION_OPTIONS, sessionFromOptions } from '../showcase-session.js';
import { EXIT, UsageError } from '../usage-error.js';
import { loadWorkflows } from '../workflow-module.js';

export const WORKER_SPEC: CommandSpec = {
  usage: 'worker --redis <url> [--postgres <url>] [--concurrency n] [module]',
  summary:
    'Runs workflow steps from the Redis queue until stopped (Ctrl-C or SIGTERM finish the steps in\n' +
    'flight first): the showcase workflow, or every workflow a module exports. Start as many as you like.\n' +
    'Runs (and the showcase memory) are kept in Redis, or in PostgreSQL with --postgres.',
  options: {
    concurrency: { type: 'string', hint: 'n', description: 'Steps run at once (default 10)' },
    verbose: { type: 'boolean', description: 'Print a line per step' },
    redis: {
      type: 'string',
      hint: 'url',
      description:
        'The Redis queue to take steps from (and, without --postgres, where runs are kept)',
    },
    postgres: { type: 'string', hint: 'url', description: 'Keep runs and memory in PostgreSQL' },
    ...Object.fromEntries(
      ['provider', 'model', 'fast'].map((k) => [k, SESSION_OPTIONS[k] as OptionSpec]),
    ),
  },
  // Steps run over Redis (or PostgreSQL): a SQLite file is not shared between workers.
  storeless: true,
};

export const worker: Command = {
  name: 'worker',
  summary: 'Run workflow steps from a Redis queue',
  async run(context) {
    const { argv, stdout, stderr, cwd } = context;
    const { values, positionals } = parseCommand(WORKER_SPEC, argv);
    if (values.help) {
      stdout.write(helpText(WORKER_SPEC));
      return EXIT.ok;
    }
    const url = values.redis;
    if (typeof url !== 'string') throw new UsageError('worker needs --redis <url>');
    const label = redisLabel(url);
    const concurrency = values.concurrency === undefined ? 10 : Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new UsageError('--concurrency must be a positive integer');
    if (positionals.length > 1) throw new UsageError('expected at most one module path');
    const [modulePath] = positionals;
    const bullmq = await loadPeer(() => import('../../bullmq/index.js'), 'ioredis bullmq');
    // The showcase, on Redis memory; or the module's workflows, on a store of their runs.
    let workflows: CompiledWorkflow<object>[];
    let close: () => Promise<void>;
    let checkpointer: Checkpointer;
    if (modulePath) {
      workflows = await loadWorkflows(cwd, modulePath);
      const stores =
        typeof values.postgres === 'string'
          ? await openPostgresStores(values.postgres)
          : await openRedisStores(url);
      checkpointer = stores.checkpointer;
      close = stores.close;
    } else {
      const session = await sessionFromOptions(values, context, false);
      workflows = [session.runner.workflow as unknown as CompiledWorkflow<object>];
      checkpointer = session.runner.checkpointer as Checkpointer;
      close = session.close;
    }
    const byName: Record<string, CompiledWorkflow<object>> = {};
    for (const w of workflows) {
      if (byName[w.name])
        throw new UsageError(`two workflows are named "${w.name}": name each one`);
      byName[w.name] = w;
    }
    const say = (line: string) => stdout.write(`${line}\n`);
    const logger: Logger = {
      debug: (message, fields) => {
        if (values.verbose && message === 'arshai: step done')
          say(`step ${fields?.runId}:${fields?.step} ${fields?.outcome} → ${fields?.status}`);
      },
      info: (message, fields) => {
        if (values.verbose) say(`${message} ${JSON.stringify(fields ?? {})}`);
      },
      warn: (message, fields) =>
        stderr.write(`arshai: ${message} ${JSON.stringify(fields ?? {})}\n`),
      error: (message, fields) =>
        stderr.write(`arshai: ${message} ${JSON.stringify(fields ?? {})}\n`),
    };
    const running = new bullmq.WorkflowWorker({
      connection: url,
      checkpointer,
      workflows: byName,
      concurrency,
      logger,
    });
    const kept =
      typeof values.postgres === 'string' ? `, runs in ${postgresLabel(values.postgres)}` : '';
    say(
      `Worker ${process.pid} runs ${Object.keys(byName).join(', ')} from ${label}${kept} (concurrency ${concurrency}); Ctrl-C stops it`,
    );
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    say('Stopping: finishing the steps in flight');
    await running.close();
    await close();
    return EXIT.ok;
  },
};
