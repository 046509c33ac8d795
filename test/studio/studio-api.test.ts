/** The studio's JSON API over a real SQLite store: lists, run views, answers, forks, safety. */
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Checkpoint, graphModel, SqliteCheckpointer, WorkflowRunner } from 'arshai';
import {
  createStudio,
  layoutGraph,
  type StudioRunList,
  type StudioRunView,
  stateChanges,
} from 'arshai/studio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reviewWorkflow, seedRuns, XSS } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'arshai-studio-'));
const checkpointer = new SqliteCheckpointer({ path: join(dir, 'runs.db') });
const runner = new WorkflowRunner(reviewWorkflow(), { checkpointer });
const studio = createStudio({ checkpointer, runners: [runner], pollMs: 20 });
let base = '';

beforeAll(async () => {
  await seedRuns(checkpointer);
  base = (await studio.listen()).url;
});
afterAll(async () => {
  await studio.close();
  await checkpointer.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async <T>(path: string, init?: RequestInit) => {
  const res = await fetch(new URL(path, base), init);
  return { status: res.status, body: (await res.json()) as T, headers: res.headers };
};
const post = (path: string, body: unknown) =>
  get<Record<string, unknown>>(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('studio API', () => {
  it('lists runs newest first with their step counts, start, duration and status; filters them', async () => {
    const { body } = await get<StudioRunList>('/api/runs');
    expect(body.runs.map((r) => [r.runId, r.status, r.userId])).toEqual([
      ['run-failed', 'failed', 'cy'],
      ['run-waiting', 'interrupted', 'ben'],
      ['run-completed', 'completed', 'ana'],
    ]);
    const done = body.runs[2];
    const history = await checkpointer.history('run-completed');
    expect(done?.startedAt).toBe(history[0]?.createdAt); // kept by every later checkpoint
    expect(history.every((c) => c.startedAt === done?.startedAt)).toBe(true);
    const end = Date.parse(history.at(-1)?.createdAt ?? '');
    expect(done?.durationMs).toBe(end - Date.parse(done?.startedAt ?? ''));
    expect(done?.durationMs).toBeGreaterThan(0);
    expect(body.statuses).toEqual(['completed', 'failed', 'interrupted']);
    expect(body.workflows).toEqual(['review']);
    const failed = await get<StudioRunList>('/api/runs?status=failed');
    expect(failed.body.runs.map((r) => r.runId)).toEqual(['run-failed']);
    expect((await get<StudioRunList>('/api/runs?workflow=other')).body.total).toBe(0);
  });

  it('a run: the path it took, each step’s changes, the graph with the parallel branches side by side', async () => {
    const { body } = await get<StudioRunView>('/api/runs/run-completed');
    expect(body.visited).toEqual(['intake', 'policy', 'history', 'decide', 'reply']);
    expect(body.steps.map((s) => s.ran)).toEqual([
      [],
      ['intake'],
      ['policy', 'history'],
      ['decide'],
      ['reply'],
    ]);
    const parallel = body.steps.find((s) => s.ran.length === 2);
    expect(parallel?.changes).toContainEqual({
      path: 'agentData.policy',
      kind: 'added',
      after: 'refunds under $500 are automatic',
    });
    // The XSS string is data: it comes back as the exact text, JSON-encoded.
    const intake = body.steps.find((s) => s.ran.includes('intake'));
    expect(intake?.changes).toContainEqual({ path: 'note', kind: 'added', after: XSS });
    const nodes = new Map(body.graph?.nodes.map((n) => [n.id, n]));
    expect(nodes.get('policy')?.y).toBe(nodes.get('history')?.y);
    expect(nodes.get('policy')?.x).not.toBe(nodes.get('history')?.x);
    expect((nodes.get('decide')?.y ?? 0) > (nodes.get('policy')?.y ?? 0)).toBe(true);
    expect(
      body.graph?.edges
        .filter((e) => e.kind === 'join')
        .map((e) => e.from)
        .sort(),
    ).toEqual(['history', 'policy']);
    expect(body.actions).toEqual({ answer: false, resume: false, fork: true });
  });

  it('a failed run names its node and error; a waiting run shows its question and takes one answer', async () => {
    const failed = (await get<StudioRunView>('/api/runs/run-failed')).body;
    expect(failed.failed).toBe('intake');
    expect(failed.steps.at(-1)?.error).toMatchObject({ node: 'intake' });
    expect(failed.steps.at(-1)?.error?.message).toContain('the intake service is down');

    const waiting = (await get<StudioRunView>('/api/runs/run-waiting')).body;
    expect(waiting.interrupt).toMatchObject({
      node: 'approve',
      kind: 'value',
      payload: { amount: 900 },
    });
    expect(waiting.current).toEqual(['approve']);
    expect(waiting.actions.answer).toBe(true);
    const bad = await post('/api/runs/run-waiting/resume', { decision: 'maybe' });
    expect(bad).toMatchObject({ status: 400, body: { error: { name: 'InvalidInputError' } } });
    const answered = await post('/api/runs/run-waiting/resume', { decision: 'approve' });
    expect(answered.status).toBe(202);
    const again = await post('/api/runs/run-waiting/resume', { decision: 'reject' });
    expect(again).toMatchObject({ status: 409, body: { error: { name: 'RunConflictError' } } });
    let last: Checkpoint | undefined;
    for (let i = 0; i < 200 && last?.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      last = await checkpointer.getLatest('run-waiting');
    }
    expect(last?.state.agentData).toMatchObject({ reply: 'done: "approve"' });
  });

  it('a run whose process died (running, no step for a minute) can be resumed; a live one cannot', async () => {
    const [, afterIntake] = await checkpointer.history('run-completed');
    const stuck = (runId: string, createdAt: string): Checkpoint => ({
      ...(afterIntake as Checkpoint),
      runId,
      version: 0,
      createdAt,
      startedAt: createdAt,
    });
    await checkpointer.put(stuck('run-crashed', new Date(Date.now() - 120_000).toISOString()));
    await checkpointer.put(stuck('run-live', new Date().toISOString()));
    const crashed = (await get<StudioRunView>('/api/runs/run-crashed')).body;
    expect(crashed.actions.resume).toBe(true);
    expect(crashed.current).toEqual(['policy', 'history']);
    expect((await get<StudioRunView>('/api/runs/run-live')).body.actions.resume).toBe(false);
    const live = await post('/api/runs/run-live/resume', {});
    expect(live).toMatchObject({ status: 409, body: { error: { name: 'RunConflictError' } } });
    expect((await post('/api/runs/run-crashed/resume', {})).status).toBe(202);
    let last: Checkpoint | undefined;
    for (let i = 0; i < 200 && last?.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      last = await checkpointer.getLatest('run-crashed');
    }
    expect(last?.status).toBe('completed');
    expect(last?.state.processingPath).toEqual(['intake', 'policy', 'history', 'decide', 'reply']);
  });

  it('forks a run from a step; live updates arrive as server-sent events', async () => {
    const events = await fetch(new URL('/api/runs/run-completed/events', base));
    expect(events.headers.get('content-type')).toBe('text/event-stream');
    const reader = (events.body as ReadableStream<Uint8Array>).getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toMatch(/^data: \{"version":\d+,"status":"completed"\}/);
    await reader.cancel();

    const made = await post('/api/runs/run-completed/fork', { step: 1 });
    expect(made.status).toBe(201);
    const forkId = String(made.body.runId);
    let view: StudioRunView | undefined;
    for (let i = 0; i < 200 && view?.run.status !== 'completed'; i++) {
      await new Promise((r) => setTimeout(r, 10));
      const r = await get<StudioRunView>(`/api/runs/${forkId}`);
      if (r.status === 200) view = r.body;
    }
    expect(view?.forkedFrom).toEqual({ runId: 'run-completed', step: 1 });
    expect(view?.run.status).toBe('completed');
    expect((await post('/api/runs/run-completed/fork', { step: 99 })).status).toBe(400);
  });

  it('is safe by default: loopback hosts only, JSON bodies only, a strict content policy', async () => {
    const page = await fetch(base);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await page.text()).not.toContain('run-');
    // A page of another site whose name resolves to 127.0.0.1 (DNS rebinding) is refused.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(
        new URL('/api/runs', base),
        { headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(403);
    const form = await get('/api/runs/run-completed/fork', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'step=1',
    });
    expect(form.status).toBe(400);
    expect((await get('/api/runs/nope')).status).toBe(404);
    expect((await get('/api/runs/%E0%A4%A')).status).toBe(400);
    await expect(createStudio({ checkpointer }).listen({ host: '0.0.0.0' })).rejects.toMatchObject({
      field: 'token',
    });
  });

  it('with a token, every request needs it (query once, then a cookie; or a bearer header)', async () => {
    const guarded = createStudio({ checkpointer, token: 'a-long-secret' });
    const { url } = await guarded.listen();
    try {
      expect((await fetch(new URL('/api/runs', url))).status).toBe(401);
      expect((await fetch(new URL('/studio.js', url))).status).toBe(401);
      const page = await fetch(new URL('/?token=a-long-secret', url));
      expect(page.status).toBe(200);
      const cookie = (page.headers.get('set-cookie') ?? '').split(';')[0] as string;
      expect(cookie).toBe('arshai_studio=a-long-secret');
      expect((await fetch(new URL('/api/runs', url), { headers: { cookie } })).status).toBe(200);
      const bearer = { authorization: 'Bearer a-long-secret' };
      expect((await fetch(new URL('/api/runs', url), { headers: bearer })).status).toBe(200);
      expect(
        (await fetch(new URL('/api/runs', url), { headers: { authorization: 'Bearer wrong' } }))
          .status,
      ).toBe(401);
    } finally {
      await guarded.close();
    }
  });

  it('pages through 10,000 runs, newest first, says when the store holds more, and finds an old run by its status', async () => {
    const many = new SqliteCheckpointer({ path: join(dir, 'many.db') });
    const [template] = await checkpointer.history('run-completed');
    // The oldest run has waited for a human ever since.
    await many.put({
      ...(template as Checkpoint),
      runId: 'waiting',
      status: 'interrupted',
      createdAt: new Date(1_700_000_000_000).toISOString(),
    });
    for (let i = 0; i < 10_001; i++)
      await many.put({
        ...(template as Checkpoint),
        runId: `r${String(i).padStart(5, '0')}`,
        createdAt: new Date(1_800_000_000_000 + i).toISOString(),
      });
    const api = createStudio({ checkpointer: many });
    const { url } = await api.listen();
    try {
      const page = (await (
        await fetch(new URL('/api/runs?offset=9950&limit=50', url))
      ).json()) as StudioRunList;
      expect(page).toMatchObject({ total: 10_000, offset: 9950, capped: true });
      expect(page.runs.map((r) => r.runId).slice(0, 2)).toEqual(['r00050', 'r00049']);
      expect(page.runs).toHaveLength(50);
      // Filtered by its status, the run behind the newest 10,000 is found.
      const waiting = (await (
        await fetch(new URL('/api/runs?status=interrupted', url))
      ).json()) as StudioRunList;
      expect(waiting).toMatchObject({ total: 1, capped: false });
      expect(waiting.runs.map((r) => [r.runId, r.status])).toEqual([['waiting', 'interrupted']]);
      expect(waiting.statuses).toContain('interrupted');
    } finally {
      await api.close();
      await many.close();
    }
  });
});

describe('studio pieces', () => {
  it('state changes: keys walked, arrays that grew show their new items, the rest whole', () => {
    expect(
      stateChanges({ a: 1, list: [1], o: { x: 1 } }, { a: 2, list: [1, 2], o: { x: 1 }, n: null }),
    ).toEqual([
      { path: 'a', kind: 'changed', before: 1, after: 2 },
      { path: 'list[1]', kind: 'added', after: 2 },
      { path: 'n', kind: 'added', after: null },
    ]);
    expect(stateChanges({ list: [1, 2] }, { list: [2] })).toEqual([
      { path: 'list', kind: 'changed', before: [1, 2], after: [2] },
    ]);
    expect(stateChanges({ gone: 1 }, {})).toEqual([{ path: 'gone', kind: 'removed', before: 1 }]);
  });

  it('layout: a loop goes back up on the right; every node gets a box', () => {
    const layout = layoutGraph({
      name: 'loop',
      entry: 'a',
      nodes: [{ name: 'a' }, { name: 'b' }],
      edges: [
        { from: 'a', to: 'b', kind: 'edge' },
        { from: 'b', to: 'a', kind: 'route', label: 'again' },
        { from: 'b', to: '__end__', kind: 'route', label: 'done' },
      ],
    });
    expect(layout.nodes.map((n) => n.id)).toEqual(['__start__', 'a', 'b', '__end__']);
    expect(layout.edges.filter((e) => e.back).map((e) => `${e.from}>${e.to}`)).toEqual(['b>a']);
    expect(layoutGraph(graphModel(reviewWorkflow())).nodes).toHaveLength(8);
  });
});
