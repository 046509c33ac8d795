import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  AbortError,
  AgentNode,
  ArshaiError,
  BudgetExceededError,
  ChatAgent,
  type CompiledWorkflow,
  END,
  IncompatibleRunError,
  type Logger,
  type NodeContext,
  RunConflictError,
  StoreError,
  tool,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { NoWorkerError, WorkflowQueue, WorkflowWorker } from 'arshai/bullmq';
import { PostgresCheckpointer } from 'arshai/postgres';
import { RedisCheckpointer } from 'arshai/redis';
import { ScriptedLLMClient } from 'arshai/testing';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { freePort } from '../setup/redis-process.js';

const url = inject('redisUrl');
const closers: Array<() => Promise<unknown>> = [];
afterAll(async () => {
  for (const close of closers.reverse()) await close();
});

/** Each test its own queue family and key prefix: nothing is shared between tests. */
let family = 0;
function setUp(workflows: Record<string, CompiledWorkflow<object>>, workers = 1) {
  const name = `t${process.pid}-${++family}`;
  const checkpointer = new RedisCheckpointer({ url, keyPrefix: `${name}:cp:` });
  const queue = new WorkflowQueue({ connection: url, checkpointer, name, noWorkerMs: 1500 });
  const started = Array.from(
    { length: workers },
    () => new WorkflowWorker({ connection: url, checkpointer, workflows, name, leaseMs: 2000 }),
  );
  closers.push(() => checkpointer.close());
  closers.push(() => queue.close());
  for (const w of started) closers.push(() => w.close());
  return { name, checkpointer, queue, workers: started };
}

interface Counts {
  ran: string[];
}

/** a → (b, c) → d → e (conditional: an interrupt when asked), summing as it goes. */
function pipeline(counts: Counts, name = 'sums', ask = false) {
  const node =
    (n: string, add: number) =>
    (s: { total?: number; parts?: number[] }, _i: unknown, ctx: NodeContext) => {
      counts.ran.push(n);
      if (ask && n === 'e') {
        const answer = ctx.interrupt<string>({ question: 'ok?' });
        return { agentData: { answer } };
      }
      return { parts: [add], total: (s.total ?? 0) + add };
    };
  return new WorkflowGraph<{ total?: number; parts?: number[] }>()
    .addNode('a', node('a', 1))
    .addNode('b', (s, i, ctx) => ({ ...node('b', 2)(s, i, ctx), total: undefined }))
    .addNode('c', (s, i, ctx) => ({ parts: node('c', 3)(s, i, ctx).parts }))
    .addNode('d', node('d', 4))
    .addNode('e', node('e', 5))
    .addEdge('a', 'b')
    .addEdge('a', 'c')
    .addEdge('b', 'd')
    .addEdge('c', 'd')
    .addEdge('d', 'e')
    .addEdge('e', END)
    .setEntryPoint('a')
    .compile({ name, reducers: { parts: (x: number[], y: number[]) => [...x, ...y].sort() } });
}

describe('WorkflowQueue and WorkflowWorker', () => {
  it('gives the same final state as the in-process runner, with 1 worker and with 3', async () => {
    const local = await new WorkflowRunner(pipeline({ ran: [] })).executeWorkflow({
      userId: 'u',
      inputData: 'go',
    });
    for (const workers of [1, 3]) {
      const counts: Counts = { ran: [] };
      const { queue } = setUp({ sums: pipeline(counts) }, workers);
      const started = await Promise.all(
        Array.from({ length: 6 }, (_, i) =>
          queue.start(pipeline(counts), {
            userId: 'u',
            inputData: 'go',
            runId: `same-${workers}-${i}`,
          }),
        ),
      );
      for (const { runId } of started) {
        const result = await queue.result(runId);
        expect(result.status).toBe('completed');
        const { lastActive: _a, ...user } = result.state.userContext;
        const { lastActive: _b, ...localUser } = local.state.userContext;
        expect({ ...result.state, userContext: user }).toEqual({
          ...local.state,
          userContext: localUser,
        });
      }
      expect(counts.ran).toHaveLength(6 * 5); // every node once per run
    }
  });

  it('an interrupted run enqueues nothing; resume from another queue answers it; two resumes: one wins', async () => {
    const counts: Counts = { ran: [] };
    const { queue, name, checkpointer } = setUp({ asks: pipeline(counts, 'asks', true) });
    const other = new WorkflowQueue({ connection: url, checkpointer, name });
    closers.push(() => other.close());
    const { runId } = await queue.start(pipeline(counts, 'asks', true), { userId: 'u' });
    const paused = await queue.result(runId);
    expect(paused).toMatchObject({
      status: 'interrupted',
      interrupt: { node: 'e', payload: { question: 'ok?' } },
    });
    const answers = await Promise.allSettled([
      other.resume(runId, 'yes'),
      queue.resume(runId, 'no'),
    ]);
    const won = answers.filter((a) => a.status === 'fulfilled');
    const lost = answers.filter((a) => a.status === 'rejected');
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(RunConflictError.isInstance((lost[0] as PromiseRejectedResult).reason)).toBe(true);
    const done = await other.result(runId);
    expect(done.status).toBe('completed');
    expect(['yes', 'no']).toContain(done.state.agentData.answer);
    expect(counts.ran.filter((n) => n === 'e')).toHaveLength(2); // asked, then answered
  });

  it('cancel aborts the in-flight node on its worker, result rejects, and resume continues the run', async () => {
    const seen: Array<{ attempt: number; aborted: boolean }> = [];
    let block = true;
    const slow = new WorkflowGraph<{ done?: boolean }>()
      .addNode('wait', (_s, _i, ctx) => {
        const entry = { attempt: ctx.attempt, aborted: false };
        seen.push(entry);
        if (!block) return { done: true };
        return new Promise((_resolve, reject) =>
          ctx.signal.addEventListener('abort', () => {
            entry.aborted = true;
            reject(ctx.signal.reason);
          }),
        );
      })
      .addEdge('wait', END)
      .setEntryPoint('wait')
      .compile({ name: 'slow' });
    const { queue, checkpointer } = setUp({ slow });
    const { runId } = await queue.start(slow, { userId: 'u' });
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    const waiting = queue.result(runId).catch((e: unknown) => e);
    expect(await queue.cancel(runId, { reason: 'the customer left' })).toBe(true);
    const error = await waiting;
    expect(AbortError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('the customer left');
    for (let i = 0; i < 100 && !seen[0]?.aborted; i++) await new Promise((r) => setTimeout(r, 10));
    expect(seen[0]?.aborted).toBe(true);
    expect((await checkpointer.getLatest(runId))?.status).toBe('cancelled');
    expect(await queue.cancel(runId)).toBe(false);
    block = false;
    await queue.resume(runId);
    expect((await queue.result(runId)).status).toBe('completed');
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
  });

  it('a run of a workflow no worker knows is reported with NoWorkerError and stays queued until a worker knows it', async () => {
    const counts: Counts = { ran: [] };
    const { queue, name, checkpointer } = setUp({ sums: pipeline(counts) });
    const other = pipeline(counts, 'other');
    const { runId } = await queue.start(other, { userId: 'u' });
    const error = await queue.result(runId).catch((e: unknown) => e);
    expect(NoWorkerError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ runId, workflow: 'other', retryable: true });
    expect(counts.ran).toEqual([]);
    const late = new WorkflowWorker({ connection: url, checkpointer, workflows: { other }, name });
    closers.push(() => late.close());
    expect((await queue.result(runId)).status).toBe('completed');
  });

  it('refuses workflows keyed by another name, and bad names', () => {
    const checkpointer = new RedisCheckpointer({ url });
    closers.push(() => checkpointer.close());
    expect(
      () =>
        new WorkflowWorker({
          connection: url,
          checkpointer,
          workflows: { x: pipeline({ ran: [] }) },
        }),
    ).toThrow(/workflows.x/);
    expect(() => new WorkflowQueue({ connection: url, checkpointer, name: 'a:b' })).toThrow(/name/);
  });

  it('with Redis down, start fails fast with a retryable StoreError and nothing reaches the console', async () => {
    const dead = `redis://127.0.0.1:${await freePort()}`;
    const lines: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: (m) => lines.push(m),
      error: (m) => lines.push(m),
    };
    const checkpointer = new RedisCheckpointer({ url, keyPrefix: `down-${process.pid}:` });
    closers.push(() => checkpointer.close());
    const queue = new WorkflowQueue({ connection: dead, checkpointer, timeoutMs: 300, logger });
    const t0 = performance.now();
    const error = await queue
      .start(pipeline({ ran: [] }), { userId: 'u' })
      .catch((e: unknown) => e);
    expect(performance.now() - t0).toBeLessThan(3000);
    expect(StoreError.isInstance(error)).toBe(true);
    expect((error as StoreError).retryable).toBe(true);
    expect(await checkpointer.listRuns()).toEqual([]); // the run that could not be queued is gone
    expect(lines.some((l) => l.includes('redis connection error'))).toBe(true);
    await queue.close();
  });
});

it('a run over its budget on the queue: result rejects with BudgetExceededError; resume with a larger budget completes it', async () => {
  const llm = new ScriptedLLMClient(Array.from({ length: 4 }, () => ({ text: 'ok' })));
  const talk = new WorkflowGraph()
    .addNode('one', async () => ({
      agentData: { one: (await llm.chat({ systemPrompt: 's', userMessage: 'a' })).llmResponse },
    }))
    .addNode('two', async () => ({
      agentData: { two: (await llm.chat({ systemPrompt: 's', userMessage: 'b' })).llmResponse },
    }))
    .addEdge('one', 'two')
    .addEdge('two', END)
    .setEntryPoint('one')
    .compile({ name: 'talk' });
  const { queue, checkpointer } = setUp({ talk });
  const run = await queue.start(talk, { userId: 'u', budget: { maxModelCalls: 1 } });
  const error = await queue.result(run).catch((e: unknown) => e);
  expect(BudgetExceededError.isInstance(error)).toBe(true);
  expect(error).toMatchObject({ limit: 'maxModelCalls', spent: { modelCalls: 1 } });
  expect((await checkpointer.getLatest(run.runId))?.status).toBe('over-budget');
  await queue.resume(run.runId, undefined, { budget: { maxModelCalls: 5 } });
  const done = await queue.result(run);
  expect(done.status).toBe('completed');
  expect(done.state.agentData).toEqual({ one: 'ok', two: 'ok' });
  expect(llm.calls).toHaveLength(2);
});

it('a tool approval on the queue: the run waits; queue.resume(runId, undefined, { approvals }) runs the tool on a worker', async () => {
  const log: string[] = [];
  const llm = new ScriptedLLMClient([
    { toolCalls: [{ name: 'refund', args: { amount: 249 }, id: 'call_refund' }] },
    (call) => ({ text: `after: ${call.messages.at(-1)?.content}` }),
  ]);
  const refund = tool({
    description: 'Refund',
    parameters: z.object({ amount: z.number() }),
    needsApproval: true,
    execute: ({ amount }) => {
      log.push(`refund ${amount}`);
      return `refunded ${amount}`;
    },
  });
  const agent = new ChatAgent(llm, 'Refunds.', { tools: { refund } });
  const refunds = new WorkflowGraph<{ reply?: string }>()
    .addNode('agent', new AgentNode(agent, { output: (reply) => ({ reply }) }))
    .addEdge('agent', END)
    .setEntryPoint('agent')
    .compile({ name: 'refunds' });
  const { queue } = setUp({ refunds } as unknown as Record<string, ReturnType<typeof pipeline>>);
  const run = await queue.start(refunds, { userId: 'u', inputData: 'refund' });
  const paused = await queue.result(run);
  expect(paused.status).toBe('interrupted');
  expect(paused.interrupt?.payload).toMatchObject({
    type: 'tool-approval',
    pendingApprovals: [{ callId: 'call_refund', toolName: 'refund' }],
  });
  expect(log).toEqual([]);
  await expect(queue.resume(run.runId, 'yes')).rejects.toMatchObject({ field: 'value' });
  await queue.resume(run.runId, undefined, { approvals: { call_refund: { approve: true } } });
  const done = await queue.result(run);
  expect(done.state.reply).toBe('after: refunded 249');
  expect(log).toEqual(['refund 249']);
  expect(llm.calls).toHaveLength(2);
});

it('resume checks the run against the graph its workers run: a renamed node is refused before claiming, the run still waits, the old graph answers it', async () => {
  const review = (waits: string) =>
    new WorkflowGraph<{ answer?: string }>()
      .addNode('start', () => ({}))
      .addNode(waits, (_s, _i, ctx) => ({ answer: ctx.interrupt<string>({ question: 'ok?' }) }))
      .addEdge('start', waits)
      .addEdge(waits, END)
      .setEntryPoint('start')
      .compile({ name: 'review' });
  const v1 = review('ask');
  const v2 = review('approve');
  const { queue, name, checkpointer } = setUp({ review: v1 });
  const run = await queue.start(v1, { userId: 'u' });
  expect(await queue.result(run)).toMatchObject({
    status: 'interrupted',
    interrupt: { node: 'ask' },
  });
  const before = await checkpointer.getLatest(run.runId);

  // A producer of the next release, told the graph, and one that started runs of it.
  const next = new WorkflowQueue({ connection: url, checkpointer, name });
  closers.push(() => next.close());
  const told = await next.resume(run.runId, 'yes', { workflow: v2 }).catch((e: unknown) => e);
  expect(IncompatibleRunError.isInstance(told)).toBe(true);
  expect(told).toMatchObject({ runId: run.runId, missing: ['ask'] });
  await next.result(await next.start(v2, { userId: 'u' })); // served by the v1 worker: 'start' exists
  await expect(next.resume(run.runId, 'yes')).rejects.toMatchObject({ missing: ['ask'] });
  await expect(
    next.resume(run.runId, 'yes', { workflow: pipeline({ ran: [] }) }),
  ).rejects.toMatchObject({
    field: 'workflow',
  });
  expect(await checkpointer.getLatest(run.runId)).toEqual(before); // nothing claimed

  await queue.resume(run.runId, 'yes'); // the release that has 'ask'
  const done = await queue.result(run);
  expect(done.status).toBe('completed');
  expect(done.state.answer).toBe('yes');
});

it("a worker whose graph lacks the run's node refuses the step with a warning, leaving the run as it was; a worker of the run's release then takes the job", async () => {
  const asks = (node: string) =>
    new WorkflowGraph<{ answer?: string }>()
      .addNode(node, (_s, _i, ctx) => ({ answer: ctx.interrupt<string>({ question: 'ok?' }) }))
      .addEdge(node, END)
      .setEntryPoint(node)
      .compile({ name: 'asks' });
  const warnings: Array<{ message: string; fields: unknown }> = [];
  const logger: Logger = {
    debug: () => {},
    info: () => {},
    warn: (message, fields) => warnings.push({ message, fields }),
    error: () => {},
  };
  const name = `inc${process.pid}`;
  const checkpointer = new RedisCheckpointer({ url, keyPrefix: `${name}:cp:` });
  const queue = new WorkflowQueue({ connection: url, checkpointer, name });
  const newer = new WorkflowWorker({
    connection: url,
    checkpointer,
    name,
    logger,
    workflows: { asks: asks('approve') },
  });
  closers.push(
    () => checkpointer.close(),
    () => queue.close(),
    () => newer.close(),
  );
  const run = await queue.start(asks('ask'), { userId: 'u' });
  const deadline = Date.now() + 5000;
  while (warnings.length === 0 && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 20));
  expect(warnings[0]).toMatchObject({
    message: expect.stringContaining('cannot continue the run'),
    fields: { runId: run.runId, missing: ['ask'] },
  });
  expect(await checkpointer.getLatest(run.runId)).toMatchObject({
    status: 'running',
    step: 0,
    next: ['ask'],
  });
  await newer.close();
  const older = new WorkflowWorker({
    connection: url,
    checkpointer,
    name,
    workflows: { asks: asks('ask') },
  });
  closers.push(() => older.close());
  expect(await queue.result(run, { timeoutMs: 10_000 })).toMatchObject({
    status: 'interrupted',
    interrupt: { node: 'ask' },
  });
});

it('checkpoints in Postgres, steps on the Redis queue: two workers run it, the result is the in-process one', async () => {
  const name = `pg${process.pid}`;
  const checkpointer = new PostgresCheckpointer({
    connectionString: inject('postgresUrl'),
    tablePrefix: `queue${process.pid}_`,
  });
  const local = await new WorkflowRunner(pipeline({ ran: [] })).executeWorkflow({ userId: 'u' });
  const counts: Counts = { ran: [] };
  const queue = new WorkflowQueue({ connection: url, checkpointer, name, noWorkerMs: 1500 });
  const workers = [1, 2].map(
    () =>
      new WorkflowWorker({
        connection: url,
        checkpointer,
        workflows: { sums: pipeline(counts) },
        name,
        leaseMs: 2000,
      }),
  );
  closers.push(
    () => checkpointer.close(),
    () => queue.close(),
  );
  for (const w of workers) closers.push(() => w.close());
  const runs = await Promise.all(
    [0, 1, 2].map((i) => queue.start(pipeline(counts), { userId: 'u', runId: `pg-${i}` })),
  );
  for (const run of runs) {
    const result = await queue.result(run);
    expect(result.status).toBe('completed');
    expect(result.state.total).toBe(local.state.total);
    expect(result.state.parts).toEqual([1, 2, 3, 4, 5]);
  }
  expect(counts.ran).toHaveLength(3 * 5);
  expect((await checkpointer.history('pg-0')).at(-1)?.status).toBe('completed');
});

it('a queued run is one trace: the enqueue on the producer, every step and node on the workers', async () => {
  const exporter = new InMemorySpanExporter();
  const tracerOf = (name: string) =>
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }).getTracer(
      name,
    );
  const flow = pipeline({ ran: [] }, 'traced');
  const name = `traced${process.pid}`;
  const checkpointer = new RedisCheckpointer({ url, keyPrefix: `${name}:cp:` });
  const queue = new WorkflowQueue({
    connection: url,
    checkpointer,
    name,
    telemetry: { tracer: tracerOf('api') },
  });
  const worker = new WorkflowWorker({
    connection: url,
    checkpointer,
    name,
    workflows: { traced: flow },
    telemetry: { tracer: tracerOf('worker') },
  });
  closers.push(
    () => checkpointer.close(),
    () => queue.close(),
    () => worker.close(),
  );
  const run = await queue.start(flow, { userId: 'u' });
  expect((await queue.result(run)).status).toBe('completed');
  const spans = exporter.getFinishedSpans();
  const [root] = spans.filter((s) => s.name === 'invoke_workflow traced');
  expect(root).toBeDefined();
  const steps = spans.filter((s) => s.name.startsWith('workflow.step '));
  expect(steps).toHaveLength(4); // a, (b, c), d, e
  for (const s of steps) expect(s.parentSpanContext?.spanId).toBe(root?.spanContext().spanId);
  expect(spans.filter((s) => s.name.startsWith('workflow.node '))).toHaveLength(5);
  expect(new Set(spans.map((s) => s.spanContext().traceId))).toEqual(
    new Set([root?.spanContext().traceId]),
  );
});

describe('workers when things go wrong', () => {
  /** One node that waits for its signal, or for `release`. */
  function waiting(seen: Array<{ attempt: number; aborted?: boolean }>, gate: { open?: boolean }) {
    return new WorkflowGraph<{ done?: boolean }>()
      .addNode('wait', (_s, _i, ctx) => {
        const entry: { attempt: number; aborted?: boolean } = { attempt: ctx.attempt };
        seen.push(entry);
        if (gate.open) return { done: true };
        return new Promise((resolve, reject) => {
          const timer = setInterval(() => {
            if (gate.open) {
              clearInterval(timer);
              resolve({ done: true });
            }
          }, 10);
          ctx.signal.addEventListener('abort', () => {
            clearInterval(timer);
            entry.aborted = true;
            reject(ctx.signal.reason);
          });
        });
      })
      .addEdge('wait', END)
      .setEntryPoint('wait')
      .compile({ name: 'waiting' });
  }

  it('close without a signal lets the in-flight step finish and store its checkpoint first', async () => {
    const seen: Array<{ attempt: number; aborted?: boolean }> = [];
    const gate: { open?: boolean } = {};
    const workflow = waiting(seen, gate);
    const { queue, checkpointer, workers } = setUp({ waiting: workflow });
    const run = await queue.start(workflow, { userId: 'u' });
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    let closed = false;
    const closing = workers[0]?.close().then(() => {
      closed = true;
    });
    await new Promise((r) => setTimeout(r, 100));
    expect(closed).toBe(false); // it waits for the step
    gate.open = true;
    await closing;
    expect(seen).toEqual([{ attempt: 1 }]); // finished, not aborted
    expect((await checkpointer.getLatest(run.runId))?.status).toBe('completed');
  });

  it('close with an aborted signal hands the in-flight step back: another worker runs it again', async () => {
    const seen: Array<{ attempt: number; aborted?: boolean }> = [];
    const gate: { open?: boolean } = {};
    const workflow = waiting(seen, gate);
    const { queue, name, checkpointer, workers } = setUp({ waiting: workflow });
    const run = await queue.start(workflow, { userId: 'u' });
    while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
    const other = new WorkflowWorker({
      connection: url,
      checkpointer,
      workflows: { waiting: workflow },
      name,
    });
    closers.push(() => other.close());
    gate.open = false;
    await workers[0]?.close({ signal: AbortSignal.abort() });
    expect(seen[0]?.aborted).toBe(true);
    gate.open = true;
    const result = await queue.result(run, { timeoutMs: 10_000 });
    expect(result.status).toBe('completed');
    expect(seen.map((s) => s.attempt)).toEqual([1, 2]);
  });

  it('a hung Redis: calls fail within their time limit, nothing reaches the console, and the run completes once Redis answers again', async () => {
    const { startRedis } = await import('../setup/redis-process.js');
    const server = await startRedis();
    const own = server.url;
    const lines: string[] = [];
    const logger: Logger = {
      debug: () => {},
      info: () => {},
      warn: (m) => lines.push(m),
      error: (m) => lines.push(m),
    };
    const printed: unknown[] = [];
    const spies = (['log', 'warn', 'error', 'info', 'debug'] as const).map((level) => {
      const original = console[level];
      console[level] = (...args: unknown[]) => printed.push(args);
      return () => {
        console[level] = original;
      };
    });
    try {
      const seen: Array<{ attempt: number }> = [];
      const gate: { open?: boolean } = {};
      const workflow = waiting(seen, gate);
      const checkpointer = new RedisCheckpointer({ url: own, timeoutMs: 300, logger });
      const queue = new WorkflowQueue({ connection: own, checkpointer, timeoutMs: 300, logger });
      const worker = new WorkflowWorker({
        connection: own,
        checkpointer,
        workflows: { waiting: workflow },
        timeoutMs: 300,
        leaseMs: 3000,
        logger,
      });
      const run = await queue.start(workflow, { userId: 'u' });
      while (seen.length === 0) await new Promise((r) => setTimeout(r, 10));
      server.pause();
      const t0 = performance.now();
      const refused = await queue.start(workflow, { userId: 'u' }).catch((e: unknown) => e);
      expect(performance.now() - t0).toBeLessThan(2000);
      expect(ArshaiError.isInstance(refused) && refused.retryable).toBe(true); // StoreError or CheckpointError
      gate.open = true; // the step ends while Redis hangs: its checkpoint cannot be written yet
      await new Promise((r) => setTimeout(r, 800));
      server.unpause();
      const result = await queue.result(run, { timeoutMs: 15_000 });
      expect(result.status).toBe('completed');
      await worker.close();
      await queue.close();
      await checkpointer.close();
      expect(printed).toEqual([]);
    } finally {
      for (const restore of spies) restore();
      server.unpause();
      await server.dispose();
    }
  }, 30_000);
});
