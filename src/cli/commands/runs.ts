import {
  type Checkpoint,
  type Checkpointer,
  isRunStatus,
  RUN_STATUSES,
  type RunStatus,
} from '../../workflows/checkpointer.js';
import { type CommandSpec, helpText, type OptionSpec, parseCommand } from '../args.js';
import type { Command } from '../context.js';
import { preview, table } from '../progress.js';
import { resolveRunId } from '../run-id.js';
import { openRunStore } from '../run-store.js';
import { SESSION_OPTIONS } from '../showcase-session.js';
import { EXIT, UsageError } from '../usage-error.js';
import { forkRun } from './runs-fork.js';

export const RUNS_SPEC: CommandSpec = {
  usage:
    'runs [show <runId> | fork <runId> --step <n> | prune --keep-last <n> --max-age <ms>] [options]',
  summary:
    'Lists the runs in the store, newest first; "runs show <runId>" prints a run step by step (with its subworkflows); "runs fork <runId> --step <n>" replays a showcase run from a step as a new run; "runs prune" removes old checkpoints of finished runs.',
  options: {
    ...Object.fromEntries(
      (['provider', 'model', 'fast'] as const).map((k) => {
        const o = SESSION_OPTIONS[k] as OptionSpec;
        return [k, { ...o, description: `With fork: ${o.description.replace(/^M/, 'm')}` }];
      }),
    ),
    postgres: { type: 'string', hint: 'url', description: 'The runs kept in PostgreSQL' },
    limit: { type: 'string', hint: 'n', description: 'How many runs to list (default 20)' },
    status: {
      type: 'string',
      hint: 'status',
      description: `List only the runs at this status (${RUN_STATUSES.join(', ')}; several: a,b)`,
    },
    redis: { type: 'string', hint: 'url', description: 'List the runs kept in Redis' },
    step: { type: 'string', hint: 'n', description: 'With fork: the step to start from' },
    'keep-last': {
      type: 'string',
      hint: 'n',
      description: 'With prune: checkpoints each finished run keeps',
    },
    'max-age': {
      type: 'string',
      hint: 'ms',
      description: 'With prune: remove checkpoints of finished runs older than this',
    },
  },
};

/** `--status a,b`, checked. */
function statusesOf(given: string | boolean | undefined): RunStatus[] | undefined {
  if (typeof given !== 'string') return undefined;
  const statuses = given.split(',').map((s) => s.trim());
  const wrong = statuses.find((s) => !isRunStatus(s));
  if (wrong !== undefined)
    throw new UsageError(`--status must be one of ${RUN_STATUSES.join(', ')}, not "${wrong}"`);
  return statuses as RunStatus[];
}

const ENGINE_KEYS = new Set(['userContext', 'stepCount', 'processingPath', 'currentStep']);

/** What a step changed: the state keys whose values differ from the previous checkpoint. */
function changes(before: Checkpoint | undefined, after: Checkpoint): string[] {
  const a = (before?.state ?? {}) as Record<string, unknown>;
  const b = after.state as Record<string, unknown>;
  return Object.keys(b)
    .filter((k) => !ENGINE_KEYS.has(k) && JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} = ${preview(b[k], 90)}`);
}

export const runs: Command = {
  name: 'runs',
  summary: 'List runs, or show one step by step',
  async run(context) {
    const { argv, stdout, cwd } = context;
    const { values, positionals } = parseCommand(RUNS_SPEC, argv);
    if (values.help) {
      stdout.write(helpText(RUNS_SPEC));
      return EXIT.ok;
    }
    const limit = values.limit === undefined ? 20 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1)
      throw new UsageError('--limit must be a positive integer');
    const [sub, runId, extra] = positionals;
    if (sub === 'prune' && !runId) return prune(values, cwd, stdout);
    if (sub !== undefined && ((sub !== 'show' && sub !== 'fork') || !runId || extra)) {
      throw new UsageError(
        'expected "arshai runs", "arshai runs show <runId>" or "arshai runs fork <runId> --step <n>"',
      );
    }
    if (sub === 'fork') return forkRun(runId as string, values, context);
    const { checkpoints, storePath, close } = await openCheckpoints(values, cwd);
    try {
      if (sub === 'show') {
        const id = await resolveRunId(checkpoints, runId as string, storePath);
        const shown = await showRun(checkpoints, id, '', stdout);
        if (!shown) throw new UsageError(`unknown run id "${runId}" in ${storePath}`);
        return EXIT.ok;
      }
      const status = statusesOf(values.status);
      const list = await checkpoints.listRuns({ limit, ...(status ? { status } : {}) });
      if (list.length === 0) {
        stdout.write(
          status
            ? `No ${status.join(' or ')} runs in ${storePath}.\n`
            : `No runs in ${storePath}.\n`,
        );
        return EXIT.ok;
      }
      stdout.write(
        `${table(
          ['run id', 'status', 'step', 'workflow', 'user', 'updated'],
          list.map((r) => [r.runId, r.status, String(r.step), r.workflow, r.userId, r.updatedAt]),
        )}\n`,
      );
      return EXIT.ok;
    } finally {
      await close();
    }
  },
};

/**
 * Prints a run step by step, and under each step the runs of its subworkflow nodes
 * (`<runId>/<node>.<step>`), indented, at any depth. Resolves false for an unknown run.
 */
async function showRun(
  checkpoints: Checkpointer,
  runId: string,
  indent: string,
  stdout: { write(text: string): unknown },
): Promise<boolean> {
  const history = await checkpoints.history(runId);
  if (history.length === 0) return false;
  const first = history[0] as Checkpoint;
  const out = (text: string) => stdout.write(`${indent}${text}\n`);
  const title = indent
    ? `Subworkflow run ${runId} (${first.workflow})`
    : `Run ${runId} (${first.workflow}, user ${first.state.userContext.userId})`;
  out(title);
  const children = new Set<string>();
  for (const [i, c] of history.entries()) {
    const ran = c.ran.length
      ? c.ran.join(' + ')
      : c.interrupt
        ? `${c.interrupt.node} (paused)`
        : c.version > 0
          ? c.answers
            ? `resumed with answer ${preview(c.answers.values.at(-1), 40)}`
            : 'resumed'
          : 'start';
    out('');
    out(`step ${c.step}  ${c.status.padEnd(11)} ran: ${ran}   next: ${c.next.join(', ') || '—'}`);
    for (const change of changes(history[i - 1], c)) out(`    ${change}`);
    if (c.interrupt) out(`    waiting for: ${preview(c.interrupt.payload, 90)}`);
    if (c.error) out(`    error: ${c.error.message}`);
    // The nodes this step is about to run may be subworkflows: their runs, once each.
    for (const node of c.next) {
      const child = `${runId}/${node}.${c.step}`;
      if (children.has(child)) continue;
      children.add(child);
      await showRun(checkpoints, child, `${indent}    `, stdout);
    }
  }
  return true;
}

/** `runs prune`: the store's finished runs keep `--keep-last` / `--max-age` of their history. */
async function prune(
  values: Record<string, string | boolean | undefined>,
  cwd: string,
  stdout: { write(text: string): unknown },
): Promise<number> {
  const number = (name: string, min: number) => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min)
      throw new UsageError(`--${name} must be an integer of at least ${min}`);
    return n;
  };
  const keepLast = number('keep-last', 1);
  const maxAgeMs = number('max-age', 0);
  if (keepLast === undefined && maxAgeMs === undefined)
    throw new UsageError('runs prune needs --keep-last <n>, --max-age <ms> or both');
  const { checkpoints, storePath, close } = await openCheckpoints(values, cwd);
  try {
    const removed =
      (await checkpoints.prune?.({
        ...(keepLast === undefined ? {} : { keepLast }),
        ...(maxAgeMs === undefined ? {} : { maxAgeMs }),
      })) ?? 0;
    stdout.write(`Pruned ${removed} checkpoints of finished runs in ${storePath}.\n`);
    return EXIT.ok;
  } finally {
    await close();
  }
}

/** The checkpoints of `--postgres <url>`, `--redis <url>` or of the SQLite `--store`. */
async function openCheckpoints(
  values: Record<string, string | boolean | undefined>,
  cwd: string,
): Promise<{ checkpoints: Checkpointer; storePath: string; close(): Promise<void> }> {
  const { checkpointer, label, close } = await openRunStore(values, cwd);
  return { checkpoints: checkpointer, storePath: label, close };
}
