import { spawn } from 'node:child_process';
import type { StudioRunner } from '../../studio/studio-api.js';
import type { Checkpointer } from '../../workflows/checkpointer.js';
import { WorkflowRunner } from '../../workflows/workflow-runner.js';
import { type CommandSpec, helpText, type OptionSpec, parseCommand } from '../args.js';
import type { Command } from '../context.js';
import { openRunStore } from '../run-store.js';
import { SESSION_OPTIONS, sessionFromOptions } from '../showcase-session.js';
import { EXIT, UsageError } from '../usage-error.js';
import { loadWorkflows } from '../workflow-module.js';

export const STUDIO_SPEC: CommandSpec = {
  usage:
    'studio [--store path | --redis url | --postgres url] [--workflow module] [--port n] [--open] [--run id]',
  summary:
    'Serves a local page over the runs of a store: the list, each run drawn on its workflow graph\n' +
    'with the path it took, what every step changed, answers to interrupts, forks; live.',
  options: {
    store: {
      type: 'string',
      hint: 'path',
      description: 'The SQLite store (default .arshai/arshai.db)',
    },
    workflow: {
      type: 'string',
      hint: 'module',
      description: 'Draw and continue the workflows this module exports (default: the showcase)',
    },
    port: { type: 'string', hint: 'n', description: 'The port (default 4400; 0 picks a free one)' },
    host: {
      type: 'string',
      hint: 'host',
      description: 'The address to listen on (default 127.0.0.1; any other needs --token)',
    },
    token: {
      type: 'string',
      hint: 'text',
      description: 'Required on every request (also read from ARSHAI_STUDIO_TOKEN)',
    },
    run: { type: 'string', hint: 'id', description: 'Open this run' },
    open: { type: 'boolean', description: 'Open the page in the browser' },
    redis: { type: 'string', hint: 'url', description: 'The runs in Redis' },
    postgres: { type: 'string', hint: 'url', description: 'The runs in PostgreSQL' },
    ...Object.fromEntries(
      ['provider', 'model', 'fast'].map((k) => [k, SESSION_OPTIONS[k] as OptionSpec]),
    ),
  },
};

export const studio: Command = {
  name: 'studio',
  summary: 'Watch runs, their graphs and steps in a local page',
  async run(context) {
    const { argv, stdout, cwd, env } = context;
    const { values } = parseCommand(STUDIO_SPEC, argv);
    if (values.help) {
      stdout.write(helpText(STUDIO_SPEC));
      return EXIT.ok;
    }
    const port = values.port === undefined ? 4400 : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535)
      throw new UsageError('--port must be a port number (0 picks a free one)');
    const host = typeof values.host === 'string' ? values.host : '127.0.0.1';
    const token = typeof values.token === 'string' ? values.token : env.ARSHAI_STUDIO_TOKEN;
    if (token !== undefined && token.length < 8)
      throw new UsageError('--token must be 8 characters or more');
    const { createStudio } = await import('../../studio/index.js');
    // The runs, and the runners that can continue them: the module's workflows or the showcase.
    let checkpointer: Checkpointer;
    let runners: StudioRunner[];
    let label: string;
    let close: () => Promise<void>;
    if (typeof values.workflow === 'string') {
      const workflows = await loadWorkflows(cwd, values.workflow);
      const stores = await openRunStore(values, cwd);
      checkpointer = stores.checkpointer;
      runners = workflows.map((w) => new WorkflowRunner(w, { checkpointer: stores.checkpointer }));
      label = stores.label;
      close = stores.close;
    } else {
      // Runs answered in the page go on in this process (with --redis too: not on the queue).
      const session = await sessionFromOptions(values, context, true);
      checkpointer = session.runner.checkpointer as Checkpointer;
      runners = [session.runner];
      label = session.store;
      close = session.close;
    }
    const server = createStudio({
      checkpointer,
      runners,
      ...(token !== undefined ? { token } : {}),
    });
    let url: string;
    try {
      url = (await server.listen({ port, host })).url;
    } catch (error) {
      await close();
      const code = (error as { code?: string }).code;
      if (code === 'EADDRINUSE')
        throw new UsageError(`port ${port} is in use: pass another --port (0 picks a free one)`);
      if ((error as { field?: string }).field === 'token')
        throw new UsageError(
          `--host ${host} is not loopback: it needs --token (8 characters or more)`,
        );
      throw error;
    }
    const page = `${url}${token !== undefined ? `?token=${encodeURIComponent(token)}` : ''}${
      typeof values.run === 'string' ? `#/runs/${encodeURIComponent(values.run)}` : ''
    }`;
    stdout.write(`arshai studio: ${page}\n  runs in ${label}; Ctrl-C stops it\n`);
    if (values.open) openInBrowser(page);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await server.close();
    await close();
    return EXIT.ok;
  },
};

/** Best effort: the platform's opener, detached; a machine without one just has the URL. */
function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args as string[], { stdio: 'ignore', detached: true });
    child.on('error', () => {});
    child.unref();
  } catch {}
}
