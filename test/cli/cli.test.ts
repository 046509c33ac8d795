import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { END, SqliteCheckpointer, WorkflowGraph, WorkflowRunner } from 'arshai';
import { afterAll, describe, expect, inject, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const bin = join(root, 'dist/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'arshai-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the CLI as a child process, without a terminal and without provider keys. */
function arshai(args: string[]) {
  const env = { ...process.env };
  for (const k of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'OPENAI_BASE_URL'])
    delete env[k];
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: dir,
    env,
    encoding: 'utf8',
    input: '',
  });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** The CLI, asynchronously (its model may be a server in this process), with `env` added. */
function arshaiAsync(args: string[], extra: Record<string, string>) {
  const env = { ...process.env, ...extra };
  for (const k of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY'])
    if (!(k in extra)) delete env[k];
  return new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: dir, env });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.stdin.end();
    child.on('close', (code) => resolve({ code, out, err }));
  });
}

describe('arshai CLI', () => {
  it('has --help on every command', () => {
    expect(arshai(['--help'])).toMatchObject({ code: 0 });
    for (const cmd of ['demo', 'runs', 'resume', 'graph']) {
      const r = arshai([cmd, '--help']);
      expect(r.code).toBe(0);
      expect(r.out).toContain(`Usage: arshai ${cmd}`);
      // graph needs no store: it does not offer --store.
      if (cmd === 'graph') expect(r.out).not.toContain('--store');
      else expect(r.out).toContain('--store');
    }
  });

  it('offers on each command only the options it uses', () => {
    const runs = arshai(['runs', '--help']).out;
    expect(runs).not.toMatch(/--approve|--reject/); // runs decides nothing
    expect(runs).toMatch(/--provider <name> +With fork: model provider/);
    expect(runs).toMatch(/--postgres <url> +The runs kept in PostgreSQL/);
    expect(arshai(['runs', '--approve'])).toMatchObject({
      code: 2,
      err: 'arshai: unknown option --approve (see: arshai runs --help)\n',
    });
    // Workers share their runs over Redis or PostgreSQL, never a SQLite file.
    const worker = arshai(['worker', '--help']);
    expect(worker.code).toBe(0);
    expect(worker.out).not.toContain('--store');
    expect(worker.out).toMatch(/--redis <url> +The Redis queue to take steps from/);
    expect(arshai(['worker', '--redis', 'redis://127.0.0.1:1', '--store', 'x.db'])).toMatchObject({
      code: 2,
      err: 'arshai: unknown option --store (see: arshai worker --help)\n',
    });
  });

  it('runs --status lists the runs at a status now (the ones waiting for a human)', () => {
    arshai(['demo', '--fast', '--store', 'status.db']); // stops for the refund's approval
    arshai(['demo', '--fast', '--approve', '--store', 'status.db']);
    const ids = (args: string[]) =>
      arshai([...args, '--store', 'status.db'])
        .out.trim()
        .split('\n')
        .slice(2)
        .map((l) => l.split(/\s+/).slice(0, 2).join(' '));
    const all = ids(['runs']);
    expect(all).toHaveLength(2);
    const waiting = all.filter((l) => l.endsWith(' interrupted'));
    expect(waiting).toHaveLength(1);
    expect(ids(['runs', '--status', 'interrupted'])).toEqual(waiting);
    expect(ids(['runs', '--status', 'completed,interrupted'])).toEqual(all);
    expect(arshai(['runs', '--status', 'failed', '--store', 'status.db']).out).toBe(
      `No failed runs in ${join(dir, 'status.db')}.\n`,
    );
    expect(arshai(['runs', '--status', 'waiting', '--store', 'status.db'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('--status must be one of running, interrupted, completed'),
    });
  });

  it('--version, no command, and what the argument parser refuses, in one line of ours', () => {
    const version = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).version as string;
    expect(arshai(['--version'])).toMatchObject({ code: 0, out: `${version}\n` });
    expect(arshai(['-v'])).toMatchObject({ code: 0, out: `${version}\n` });
    const bare = arshai([]);
    expect([bare.code, bare.out]).toEqual([2, '']);
    expect(bare.err).toContain('Usage: arshai <command> [options]');
    for (const [args, line] of [
      [['demo', '--bogus'], 'arshai: unknown option --bogus (see: arshai demo --help)'],
      [
        ['runs', '--limit'],
        'arshai: --limit needs a value (for one starting with "-", write --limit=<value>) (see: arshai runs --help)',
      ],
      [
        ['runs', '--limit', '-5'],
        'arshai: --limit needs a value (for one starting with "-", write --limit=<value>) (see: arshai runs --help)',
      ],
      [['demo', '--approve=yes'], 'arshai: --approve takes no value (see: arshai demo --help)'],
    ] as const) {
      const r = arshai([...args]);
      expect([r.code, r.err.trim()], args.join(' ')).toEqual([2, line]);
    }
  });

  it('answers a bad argument or an unknown run id with one line and exit code 2', () => {
    for (const args of [
      ['demo', '--bogus'],
      ['nope'],
      ['runs', 'show'],
      ['resume'],
      ['demo', '--provider', 'nobody', '--store', 'x.db'],
    ]) {
      const r = arshai(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err.trim().split('\n')).toHaveLength(1);
      expect(r.err).toMatch(/^arshai: /);
    }
    arshai(['demo', '--fast', '--approve', '--store', 'ids.db']);
    const unknown = arshai(['resume', 'no-such-run', '--store', 'ids.db']);
    expect([unknown.code, unknown.err.trim()]).toEqual([
      2,
      `arshai: unknown run id "no-such-run" in ${join(dir, 'ids.db')}`,
    ]);
    expect(arshai(['runs', 'show', 'no-such-run', '--store', 'ids.db']).code).toBe(2);
  });

  it('a damaged store: runs still lists, runs show says the store is damaged (exit 1, one line)', () => {
    const path = join(dir, 'damaged.db');
    expect(arshai(['demo', '--fast', '--approve', '--store', path]).code).toBe(0);
    const db = new DatabaseSync(path);
    const { run_id: runId } = db.prepare('SELECT run_id FROM arshai_checkpoints LIMIT 1').get() as {
      run_id: string;
    };
    db.exec(`UPDATE arshai_checkpoints SET checkpoint = '{"bad' WHERE run_id = '${runId}'`);
    db.close();
    expect(arshai(['runs', '--store', path])).toMatchObject({
      code: 0,
      out: expect.stringContaining(runId),
    });
    const shown = arshai(['runs', 'show', runId, '--store', path]);
    expect(shown.code).toBe(1);
    expect(shown.err.trim().split('\n')).toHaveLength(1);
    expect(shown.err).toContain(
      `arshai: StoreError: The SQLite store ${path}: is damaged: checkpoints.getLatest of run "${runId}"`,
    );
  });

  it('runs show prints the runs of subworkflows under their step, indented; runs lists only the parent', async () => {
    const store = join(dir, 'nested.db');
    const checkpointer = new SqliteCheckpointer({ path: store });
    const inner = new WorkflowGraph<{ checked?: boolean }>()
      .addNode('check', () => ({ checked: true }))
      .addEdge('check', END)
      .setEntryPoint('check')
      .compile({ name: 'inner' });
    const graph = new WorkflowGraph()
      .addNode('prepare', () => ({}))
      .addNode('review', inner)
      .addEdge('prepare', 'review')
      .addEdge('review', END)
      .setEntryPoint('prepare');
    await new WorkflowRunner(graph.compile({ name: 'outer' }), { checkpointer }).executeWorkflow({
      userId: 'u',
      runId: 'outer-1',
    });
    await checkpointer.close();
    const show = arshai(['runs', 'show', 'outer-1', '--store', store]);
    expect(show.code).toBe(0);
    expect(show.out).toContain('    Subworkflow run outer-1/review.1 (inner)');
    expect(show.out).toContain('    step 1  completed   ran: check');
    const list = arshai(['runs', '--store', store]).out.trim().split('\n').slice(2);
    expect(list).toHaveLength(1);
  });

  it('reports a missing or corrupt store clearly and never overwrites it', () => {
    expect(arshai(['runs', '--store', 'missing.db'])).toMatchObject({
      code: 2,
      err: expect.stringContaining('no store at'),
    });
    const corrupt = join(dir, 'corrupt.db');
    const garbage = 'this is not a database, but someone cares about it\n'.repeat(200);
    writeFileSync(corrupt, garbage);
    for (const args of [['runs'], ['demo', '--fast'], ['resume', 'x', '--approve']]) {
      const r = arshai([...args, '--store', corrupt]);
      expect(r.code).toBe(2);
      expect(r.err).toContain('is not usable');
    }
    expect(readFileSync(corrupt, 'utf8')).toBe(garbage);
  });

  it('runs the showcase offline, stops at approval, and a second process resumes it', async () => {
    const store = join(dir, 'store', 'arshai.db');
    const first = arshai(['demo', '--fast', '--store', store]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('SIMULATED');
    expect(first.out).toMatch(/✔ triage .* routed to refunds/);
    expect(first.out).toMatch(/⏸ approval/);
    expect(first.out).not.toContain('\x1b'); // plain lines when piped
    const runId = /arshai resume (\S+) --approve/.exec(first.out)?.[1] as string;
    expect(runId).toBeDefined();

    const checkpoints = new SqliteCheckpointer({ path: store });
    expect(await checkpoints.getLatest(runId)).toMatchObject({
      status: 'interrupted',
      interrupt: { node: 'approval' },
    });

    expect(first.out).toMatch(
      /Cost \(EXAMPLE prices, not a quote\): triage \$0\.\d{6} .* total \$0\.\d{6}/,
    );
    const second = arshai(['resume', runId, '--approve', '--fast', '--store', store]);
    expect(second.code).toBe(0);
    // The total is the run's, over both processes; the steps are this process's.
    const total = (out: string) => Number(/total \$(\d\.\d+)/.exec(out)?.[1]);
    expect(total(second.out)).toBeGreaterThan(total(first.out));
    expect(second.out).toContain('We have refunded $249.00 for order A1001');
    // Answered already: a second answer is refused, saying how it was decided.
    const twice = arshai(['resume', runId, '--reject', '--fast', '--store', store]);
    expect([twice.code, twice.err]).toEqual([
      1,
      `arshai: run ${runId} cannot be resumed: its refund was already approved, and it is completed\n`,
    ]);
    // The start of a run id names the run, as git takes a commit's.
    const byPrefix = arshai(['runs', 'show', runId.slice(0, 8), '--store', store]);
    expect(byPrefix.code).toBe(0);
    expect(byPrefix.out).toContain(`Run ${runId} (customer-support`);
    expect(
      arshai(['resume', runId.slice(0, 8), '--approve', '--fast', '--store', store]).err,
    ).toContain(`arshai: run ${runId} cannot be resumed`);
    const last = await checkpoints.getLatest(runId);
    expect(last?.status).toBe('completed');
    expect(last?.state.processingPath).toEqual([
      'recall',
      'triage',
      'analyze',
      'investigate',
      'assess',
      'approval',
      'reply',
      'remember',
    ]);
    await checkpoints.close();

    // The same request again: the order was refunded, so nothing is refunded twice.
    const again = arshai(['demo', '--fast', '--reject', '--store', store]);
    expect(again.code).toBe(0);
    expect(again.out).toContain('returning customer, visit #2');
    expect(again.out).toContain('Welcome back, Ada Lovelace (visit #2). Last time you told us:');
    expect(again.out).toContain(
      'No refund was issued: order A1001 was refunded on an earlier visit.',
    );
    expect(again.out).not.toContain('waiting for a human decision');
    // A refund the reviewer rejects (a new store: a first request).
    const rejected = arshai(['demo', '--fast', '--reject', '--store', join(dir, 'reject.db')]);
    expect(rejected.code).toBe(0);
    expect(rejected.out).toContain('could not approve the refund');

    const list = arshai(['runs', '--store', store]);
    const rows = list.out.trim().split('\n').slice(2);
    expect(rows).toHaveLength(2);
    expect(rows[1]).toContain(runId); // newest first
    const show = arshai(['runs', 'show', runId, '--store', store]);
    expect(show.out).toContain('ran: analyze + investigate');
    expect(show.out).toContain('approval (paused)');
    expect(show.out).toContain('ran: resumed with answer approve');
    expect(show.out).toContain('approval = approved');

    // Time travel: a new run from the step before the reply; the old run is untouched.
    const store2 = new SqliteCheckpointer({ path: store });
    const before = await store2.history(runId);
    const step = before.find((c) => c.next.includes('reply'))?.step as number;
    const fork = arshai([
      'runs',
      'fork',
      runId,
      '--step',
      String(step),
      '--fast',
      '--store',
      store,
    ]);
    expect(fork.code, fork.err).toBe(0);
    const forkId = /Forked run (\S+) from step/.exec(fork.out)?.[1] as string;
    expect(forkId).toBeDefined();
    expect(fork.out).toContain('We have refunded $249.00 for order A1001');
    expect(await store2.history(runId)).toEqual(before);
    expect((await store2.history(forkId))[0]).toMatchObject({ forkedFrom: { runId, step } });
    expect(arshai(['runs', 'fork', runId, '--store', store]).code).toBe(2); // no --step

    // Retention: finished runs keep their newest checkpoint; the list and show still work.
    expect(arshai(['runs', 'prune', '--store', store]).code).toBe(2); // nothing said to keep
    const pruned = arshai(['runs', 'prune', '--keep-last', '1', '--store', store]);
    expect(pruned.code, pruned.err).toBe(0);
    expect(pruned.out).toMatch(/^Pruned [1-9]\d* checkpoints of finished runs/);
    expect((await store2.history(runId)).map((c) => c.status)).toEqual(['completed']);
    expect(arshai(['runs', '--store', store]).out).toContain(runId);
    await store2.close();
  });

  it('resume --all-stalled continues the runs a killed demo left running', async () => {
    const store = join(dir, 'stalled.db');
    const env = { ...process.env };
    delete env.OPENAI_API_KEY;
    const child = spawn(process.execPath, [bin, 'demo', '--store', store], { cwd: dir, env });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    for (let i = 0; i < 1000 && !/✔ triage/.test(out); i++)
      await new Promise((r) => setTimeout(r, 10));
    child.kill('SIGKILL');
    await new Promise((r) => child.on('exit', r));
    const checkpoints = new SqliteCheckpointer({ path: store });
    const [run] = await checkpoints.listRuns();
    expect(run?.status).toBe('running');
    const fresh = arshai(['resume', '--all-stalled', '--store', store]);
    expect(fresh.out).toContain('Stalled runs: 0 (idle over 60000 ms)');
    const r = arshai(['resume', '--all-stalled', '--older-than', '0', '--fast', '--store', store]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('Stalled runs: 1');
    expect(r.out).toContain(`${run?.runId}  continued: interrupted`);
    expect(r.out).toContain(`npx arshai resume ${run?.runId} --approve`);
    expect((await checkpoints.getLatest(run?.runId as string))?.status).toBe('interrupted');
    expect(arshai(['resume', 'x', '--all-stalled', '--store', store]).code).toBe(2);
    expect(
      arshai(['resume', '--all-stalled', '--older-than', 'soon', '--store', store]).err,
    ).toContain('--older-than must be a whole number');
    await checkpoints.close();
  });

  it('resume --workflow <module>: a run of the user’s workflow waiting for a tool approval is approved or rejected from the CLI', async () => {
    const module = join(import.meta.dirname, 'fixtures/refund-workflow.mjs');
    const { refunds } = await import(module);
    // The module's copy of arshai (dist), as a user's process has one copy.
    const { SqliteCheckpointer, WorkflowRunner } = await import(join(root, 'dist/index.js'));
    const store = join(dir, 'refunds.db');
    const log = join(dir, 'refunds.log');
    writeFileSync(log, '');
    process.env.REFUND_LOG = log;
    const checkpointer = new SqliteCheckpointer({ path: store });
    const runner = new WorkflowRunner(refunds, { checkpointer });
    for (const runId of ['yes', 'no'])
      expect(
        (await runner.executeWorkflow({ userId: 'u', runId, inputData: 'refund' })).status,
      ).toBe('interrupted');
    await checkpointer.close();
    const run = (args: string[]) => {
      const r = spawnSync(process.execPath, [bin, 'resume', ...args, '--store', store], {
        cwd: dir,
        env: { ...process.env, REFUND_LOG: log },
        encoding: 'utf8',
      });
      return { code: r.status, out: r.stdout, err: r.stderr };
    };
    const unanswered = run(['yes', '--workflow', module]);
    expect(unanswered.code).toBe(2);
    expect(unanswered.err).toContain('waits for a tool approval: pass --approve or --reject');
    const approved = run(['yes', '--workflow', module, '--approve']);
    expect(approved).toMatchObject({ code: 0 });
    expect(approved.out).toContain('Run yes: completed');
    expect(readFileSync(log, 'utf8')).toBe('refund A1 249\n');
    const rejected = run(['no', '--workflow', module, '--reject', '--reason', 'too much']);
    expect(rejected.out).toContain('Run no: completed');
    expect(readFileSync(log, 'utf8')).toBe('refund A1 249\n'); // the refused refund never ran
    const again = run(['yes', '--workflow', module, '--approve']);
    expect(again.code).not.toBe(0);
    const stored = new SqliteCheckpointer({ path: store });
    const latest = await stored.getLatest('no');
    expect((latest?.state as { agentData?: unknown } | undefined)?.agentData).toEqual({
      reply: 'reply: The user did not approve this call: too much',
    });
    await stored.close();
    expect(run(['yes', '--workflow', 'missing.mjs']).code).toBe(2);
  });

  it('demo --mcp mounts a real MCP server: its tools join the specialist team and the run uses one', async () => {
    const server = join(root, 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    const store = join(dir, 'mcp.db');
    const r = arshai([
      'demo',
      '--fast',
      '--approve',
      '--store',
      store,
      '--mcp',
      `"${process.execPath}" ${server} stdio`,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/MCP: {6}node index\.js stdio \(\d+ tools: mcp_echo/);
    const checkpoints = new SqliteCheckpointer({ path: store });
    const [run] = await checkpoints.listRuns();
    const state = (await checkpoints.getLatest(run?.runId as string))?.state as {
      findings?: string;
    };
    expect(state.findings).toContain('From the MCP tool mcp_echo: Echo: order A1001');
    await checkpoints.close();
    expect(arshai(['demo', '--mcp', 'x', '--redis', 'redis://127.0.0.1:1']).err).toContain(
      'not with --redis',
    );
    const unreachable = arshai(['demo', '--fast', '--store', store, '--mcp', 'no-such-mcp-server']);
    expect(unreachable.code).toBe(2);
    expect(unreachable.err).toContain('--mcp could not reach the MCP server');
  }, 60_000);

  it('--postgres: demo keeps runs and memory in PostgreSQL; runs lists and shows them; resume continues one', () => {
    const url = inject('postgresUrl');
    const first = arshai(['demo', '--fast', '--postgres', url]);
    expect(first.code).toBe(0);
    expect(first.out).toContain('Store:    postgres://arshai@127.0.0.1');
    const runId = /arshai resume (\S+) --approve/.exec(first.out)?.[1] as string;
    expect(runId).toBeDefined();
    const listed = arshai(['runs', '--postgres', url]);
    expect(listed.out).toContain(runId);
    expect(listed.out).toContain('interrupted');
    const done = arshai(['resume', runId, '--approve', '--postgres', url, '--fast']);
    expect(done.code).toBe(0);
    expect(done.out).toContain('We have refunded $249.00');
    expect(arshai(['runs', 'show', runId, '--postgres', url]).out).toContain('completed');
    // Memory is there too: the next visit is recognised.
    expect(arshai(['demo', '--fast', '--approve', '--postgres', url]).out).toContain(
      'Welcome back',
    );
    expect(arshai(['runs', '--postgres', url, '--store', 'x.db']).code).toBe(2);
  }, 60_000);

  it('prints Mermaid for the showcase and for a user module', () => {
    const showcase = arshai(['graph']);
    expect(showcase.code).toBe(0);
    expect(showcase.out).toContain('flowchart TD');
    expect(showcase.out).toContain('n_assess -. "needs approval" .-> n_approval');
    const user = arshai(['graph', join(import.meta.dirname, 'fixtures/user-workflow.mjs')]);
    expect(user.out).toContain('n_fetch -. "ok" .-> n_summarise');
    expect(arshai(['graph', 'nope.mjs']).code).toBe(2);
  });

  it('completes in one process with --approve (what npm start runs, minus the build)', () => {
    const out = execFileSync(
      process.execPath,
      [bin, 'demo', '--fast', '--approve', '--store', join(dir, 'start.db')],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(out).toContain('Reply to the customer:');
    expect(out).toMatch(/steps\s+model calls\s+tool calls/);
  });

  it('creates its store private: the folder 0700, the database, its WAL and the diagram 0600', () => {
    const home = mkdtempSync(join(tmpdir(), 'arshai-modes-'));
    try {
      const r = spawnSync(process.execPath, [bin, 'demo', '--fast', '--approve'], {
        cwd: home,
        encoding: 'utf8',
        env: { ...process.env, OPENAI_API_KEY: '', ANTHROPIC_API_KEY: '', GEMINI_API_KEY: '' },
      });
      expect(r.status).toBe(0);
      const mode = (path: string) => statSync(join(home, path)).mode & 0o777;
      expect(mode('.arshai')).toBe(0o700);
      for (const file of readdirSync(join(home, '.arshai'))) {
        expect([file, mode(join('.arshai', file))]).toEqual([file, 0o600]);
      }
      expect(readdirSync(join(home, '.arshai'))).toContain('customer-support.mmd');
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe('the CLI writes only through the streams it is given', () => {
  it('usage errors and failures go to the context stderr (captured in process)', async () => {
    const { main } = await import('../../src/cli/main.js');
    const out: string[] = [];
    const err: string[] = [];
    const context = {
      env: {},
      stdout: { write: (t: string) => void out.push(t), isTTY: false },
      stderr: { write: (t: string) => void err.push(t), isTTY: false },
      stdin: process.stdin,
      cwd: dir,
    };
    expect(await main({ ...context, argv: ['nope'] })).toBe(2);
    expect(err.join('')).toMatch(/^arshai: unknown command "nope"/);
    expect(
      await main({
        ...context,
        argv: ['runs', 'show', 'missing-run', '--store', join(dir, 'none.db')],
      }),
    ).not.toBe(0);
    expect(err.length).toBeGreaterThan(1);
  });
});

describe('arshai CLI with a model that refuses the key', () => {
  it('the demo fails (exit 1) at the failed call; resume retries that step, and fails again while the key is wrong', async () => {
    const calls: string[] = [];
    const server = createServer((req, res) => {
      calls.push(`${req.method} ${req.url}`);
      req.resume();
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          error: {
            message: 'Incorrect API key provided',
            type: 'invalid_request_error',
            code: 'invalid_api_key',
          },
        }),
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const { port } = server.address() as AddressInfo;
      const env = { OPENAI_API_KEY: 'sk-wrong', OPENAI_BASE_URL: `http://127.0.0.1:${port}/v1` };
      const store = join(dir, 'wrong-key.db');
      const demo = await arshaiAsync(['demo', '--fast', '--store', store], env);
      expect(demo.code).toBe(1);
      expect(demo.out).toContain('✖');
      expect(demo.out).not.toContain('sk-wrong');
      const runId = /Run ([0-9a-f-]{36})/.exec(demo.out)?.[1] as string;
      expect(runId).toBeDefined();
      const before = calls.length;
      expect(before).toBeGreaterThan(0);
      const again = await arshaiAsync(['resume', runId, '--fast', '--store', store], env);
      expect(again.code).toBe(1);
      expect(again.err).not.toContain('cannot be resumed');
      expect(calls.length).toBeGreaterThan(before); // the failed step ran again
    } finally {
      server.close();
    }
  });
});
