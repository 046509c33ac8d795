/** `arshai studio` as a user starts it: over the showcase's store, answering a run from the API. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const bin = join(import.meta.dirname, '../../dist/cli/bin.js');
const dir = mkdtempSync(join(tmpdir(), 'arshai-cli-studio-'));
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

function arshai(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd: dir, encoding: 'utf8', input: '' });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

async function startStudio(args: string[]) {
  const child = spawn(process.execPath, [bin, 'studio', '--port', '0', ...args], { cwd: dir });
  children.push(child);
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  for (let i = 0; i < 500 && !/Ctrl-C stops it/.test(out); i++)
    await new Promise((r) => setTimeout(r, 10));
  const url = /arshai studio: (http:\/\/127\.0\.0\.1:\d+\/\S*)/.exec(out)?.[1];
  if (!url) throw new Error(`the studio did not start:\n${out}`);
  return { child, url, out: () => out };
}

it('the demo points to the studio; the studio serves its runs and answers one, exactly once', async () => {
  const paused = arshai(['demo', '--fast']);
  expect(paused.code).toBe(0);
  const runId = /arshai resume (\S+) --approve/.exec(paused.out)?.[1] as string;
  expect(paused.out).toContain(`See it in the studio: npx arshai studio --run ${runId} --open`);

  const { child, url } = await startStudio(['--fast', '--run', runId]);
  expect(url).toMatch(new RegExp(`/#/runs/${runId}$`));
  const base = url.replace(/#.*$/, '');
  const list = (await (await fetch(new URL('/api/runs', base))).json()) as {
    runs: Array<{ runId: string; status: string }>;
  };
  expect(list.runs).toContainEqual(expect.objectContaining({ runId, status: 'interrupted' }));
  const view = (await (await fetch(new URL(`/api/runs/${runId}`, base))).json()) as {
    graph?: { nodes: unknown[] };
    actions: { answer: boolean };
  };
  expect(view.graph?.nodes.length).toBeGreaterThan(4); // the showcase, drawn
  expect(view.actions.answer).toBe(true);
  const answer = (decision: string) =>
    fetch(new URL(`/api/runs/${runId}/resume`, base), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ decision }),
    });
  expect((await answer('approve')).status).toBe(202);
  expect((await answer('reject')).status).toBe(409);
  let status = '';
  for (let i = 0; i < 300 && status !== 'completed'; i++) {
    await new Promise((r) => setTimeout(r, 20));
    status = (
      (await (await fetch(new URL(`/api/runs/${runId}`, base))).json()) as {
        run: { status: string };
      }
    ).run.status;
  }
  expect(status).toBe('completed');
  child.kill('SIGTERM');
  expect(await new Promise((r) => child.on('exit', r))).toBe(0);
  expect(arshai(['runs', 'show', runId]).out).toContain('We have refunded $249.00');
}, 60_000);

it('refuses what would expose the runs: another host without a token, a short token, a bad port', () => {
  expect(arshai(['studio', '--host', '0.0.0.0', '--port', '0'])).toMatchObject({
    code: 2,
    err: expect.stringContaining('needs --token'),
  });
  expect(arshai(['studio', '--token', 'short']).err).toContain('8 characters or more');
  expect(arshai(['studio', '--port', 'x']).code).toBe(2);
  expect(arshai(['studio', '--help']).out).toContain('studio [--store path');
});
