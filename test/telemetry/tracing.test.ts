import { metrics, trace } from '@opentelemetry/api';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  END,
  InMemoryCheckpointer,
  ProviderError,
  tool,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
const tracer = provider.getTracer('arshai-test');
beforeEach(() => exporter.reset());

const spans = () => exporter.getFinishedSpans();
const named = (name: string) => spans().filter((s) => s.name === name);
const parentOf = (s: ReadableSpan) => s.parentSpanContext?.spanId;
const idOf = (s: ReadableSpan | undefined) => s?.spanContext().spanId;

const lookup = tool({
  description: 'Looks an order up',
  parameters: z.object({ q: z.string() }),
  execute: async ({ q }) => `found ${q.length}`,
});

/** Two turns: a tool call, then the answer. */
const twoTurns = (options = {}) =>
  new ScriptedLLMClient(
    [
      {
        toolCalls: [{ name: 'lookup', args: { q: 'SECRET-ARG' } }],
        usage: { inputTokens: 12, outputTokens: 3 },
      },
      { text: 'SECRET-ANSWER', usage: { inputTokens: 20, outputTokens: 4, cachedInputTokens: 5 } },
    ],
    { telemetry: { tracer }, secrets: ['sk-SECRET-KEY'], ...options },
  );
const input = { systemPrompt: 'SECRET-PROMPT', userMessage: 'SECRET-USER', tools: { lookup } };

describe('OpenTelemetry spans (GenAI semantic conventions)', () => {
  it('a tool loop: one chat {model} span per model call and one execute_tool {name} per tool call, with the conventions’ attributes', async () => {
    await twoTurns().chat(input);
    const chats = named('chat scripted-model');
    expect(chats).toHaveLength(2);
    expect(chats[0]?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'scripted',
      'gen_ai.request.model': 'scripted-model',
      'gen_ai.response.model': 'scripted-model',
      'gen_ai.response.finish_reasons': ['tool-calls'],
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
    });
    expect(chats[1]?.attributes).toMatchObject({
      'gen_ai.response.finish_reasons': ['stop'],
      'gen_ai.usage.cache_read.input_tokens': 5,
    });
    expect(chats[0]?.kind).toBe(2); // CLIENT
    const [toolSpan] = named('execute_tool lookup');
    expect(toolSpan?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup',
      'gen_ai.tool.call.id': expect.stringMatching(/^call_/),
    });
    // The tool ran between the two model calls.
    expect(toolSpan?.startTime[0]).toBeGreaterThanOrEqual(chats[0]?.endTime[0] ?? 0);
  });

  it('by default no prompt, answer, tool argument or API key is in any span; recordContent opts in', async () => {
    await twoTurns().chat(input);
    const failing = new ScriptedLLMClient(
      [
        {
          error: new ProviderError('upstream said sk-SECRET-KEY is bad', {
            provider: 'scripted',
            status: 401,
          }),
        },
      ],
      { telemetry: { tracer }, secrets: ['sk-SECRET-KEY'], retry: false },
    );
    await failing.chat(input).catch(() => undefined);
    const text = JSON.stringify(
      spans().map((s) => ({ a: s.attributes, e: s.events, st: s.status })),
    );
    expect(text).not.toContain('SECRET');
    const errored = spans().find((s) => s.status.code === 2);
    expect(errored?.attributes['error.type']).toBe('ProviderError');

    exporter.reset();
    await twoTurns({ telemetry: { tracer, recordContent: true } }).chat(input);
    const recorded = JSON.stringify(spans().map((s) => s.attributes));
    for (const secret of ['SECRET-PROMPT', 'SECRET-USER', 'SECRET-ARG', 'SECRET-ANSWER'])
      expect(recorded).toContain(secret);
    expect(recorded).not.toContain('sk-SECRET-KEY');
  });

  it('a workflow with parallel branches and a tool loop gives the expected span tree', async () => {
    const llm = new ScriptedLLMClient(
      [{ toolCalls: [{ name: 'lookup', args: { q: 'a' } }] }, { text: 'done' }],
      { telemetry: { tracer } },
    );
    const workflow = new WorkflowGraph()
      .addNode('start', () => ({}))
      .addNode('agent', async () => {
        await llm.chat({ systemPrompt: 's', userMessage: 'u', tools: { lookup } });
        return { agentData: { agent: true } };
      })
      .addNode('plain', () => ({ agentData: { plain: true } }))
      .addEdge('start', 'agent')
      .addEdge('start', 'plain')
      .addEdge('agent', END)
      .addEdge('plain', END)
      .setEntryPoint('start')
      .compile({ name: 'tree' });
    const runner = new WorkflowRunner(workflow, { telemetry: { tracer } });
    const result = await runner.executeWorkflow({ userId: 'u', runId: 'r-tree' });
    expect(result.status).toBe('completed');

    const [run] = named('invoke_workflow tree');
    expect(run?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_workflow',
      'arshai.run.id': 'r-tree',
      'arshai.workflow.status': 'completed',
    });
    const steps = spans().filter((s) => s.name.startsWith('workflow.step '));
    expect(steps.map((s) => s.name)).toEqual(['workflow.step 0', 'workflow.step 1']);
    for (const step of steps) expect(parentOf(step)).toBe(idOf(run));
    const nodes = spans().filter((s) => s.name.startsWith('workflow.node '));
    expect(nodes.map((s) => s.name).sort()).toEqual([
      'workflow.node agent',
      'workflow.node plain',
      'workflow.node start',
    ]);
    const agentNode = named('workflow.node agent')[0];
    expect(parentOf(agentNode as ReadableSpan)).toBe(idOf(steps[1]));
    expect(agentNode?.attributes).toMatchObject({
      'arshai.workflow.node': 'agent',
      'arshai.workflow.node.attempt': 1,
      'arshai.workflow.step': 1,
    });
    // The node's model calls and tool call are its children.
    const inside = spans().filter(
      (s) => s.name === 'chat scripted-model' || s.name === 'execute_tool lookup',
    );
    expect(inside).toHaveLength(3);
    for (const s of inside) expect(parentOf(s)).toBe(idOf(agentNode));
    // One trace for all of it.
    expect(new Set(spans().map((s) => s.spanContext().traceId)).size).toBe(1);
  });

  it('a run resumed by another runner (another process) continues the same trace', async () => {
    const checkpointer = new InMemoryCheckpointer();
    const workflow = new WorkflowGraph()
      .addNode('ask', (_s, _i, ctx) => ({ agentData: { answer: ctx.interrupt<string>('ok?') } }))
      .addEdge('ask', END)
      .setEntryPoint('ask')
      .compile({ name: 'asks' });
    const first = new WorkflowRunner(workflow, { checkpointer, telemetry: { tracer } });
    await first.executeWorkflow({ userId: 'u', runId: 'r-resume' });
    const other = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const later = new WorkflowRunner(workflow, {
      checkpointer,
      telemetry: { tracer: other.getTracer('elsewhere') },
    });
    await later.resume('r-resume', { value: 'yes' });
    const runs = named('invoke_workflow asks');
    expect(runs).toHaveLength(2);
    expect(runs[1]?.spanContext().traceId).toBe(runs[0]?.spanContext().traceId);
    expect(parentOf(runs[1] as ReadableSpan)).toBe(idOf(runs[0]));
    expect(runs[1]?.attributes['arshai.workflow.resumed']).toBe(true);
  });

  it('without a tracer nothing is created; the global API is never touched', async () => {
    await new ScriptedLLMClient([{ text: 'x' }]).chat({ systemPrompt: 's', userMessage: 'u' });
    expect(spans()).toEqual([]);
    expect(trace.getTracerProvider().constructor.name).toBe('ProxyTracerProvider');
    expect(metrics.getMeterProvider().constructor.name).toBe('NoopMeterProvider');
  });
});

describe('OpenTelemetry metrics', () => {
  it('token usage and operation duration histograms per model call; step durations per run step', async () => {
    const metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
    const reader = new PeriodicExportingMetricReader({
      exporter: metricExporter,
      exportIntervalMillis: 60_000,
    });
    const meterProvider = new MeterProvider({ readers: [reader] });
    const meter = meterProvider.getMeter('arshai-test');
    const llm = twoTurns({ telemetry: { meter } });
    const workflow = new WorkflowGraph()
      .addNode('talk', async () => {
        await llm.chat(input);
        return {};
      })
      .addEdge('talk', END)
      .setEntryPoint('talk')
      .compile({ name: 'metered' });
    await new WorkflowRunner(workflow, { telemetry: { meter } }).executeWorkflow({ userId: 'u' });
    await reader.forceFlush();
    const exported = metricExporter
      .getMetrics()
      .flatMap((r) => r.scopeMetrics.flatMap((s) => s.metrics));
    const byName = new Map(exported.map((m) => [m.descriptor.name, m]));
    expect([...byName.keys()].sort()).toEqual([
      'arshai.workflow.step.duration',
      'gen_ai.client.operation.duration',
      'gen_ai.client.token.usage',
    ]);
    const tokens = byName.get('gen_ai.client.token.usage');
    const points = tokens?.dataPoints as Array<{
      attributes: Record<string, unknown>;
      value: { sum: number };
    }>;
    const sum = (type: string) =>
      points.find((p) => p.attributes['gen_ai.token.type'] === type)?.value.sum;
    expect([sum('input'), sum('output')]).toEqual([32, 7]);
    expect(byName.get('gen_ai.client.operation.duration')?.descriptor.unit).toBe('s');
    await meterProvider.shutdown();
  });
});

describe('agent spans in patterns', () => {
  it('DynamicRouter: the routing call, then invoke_agent {chosen} with the agent’s call inside; ParallelOrchestrator: one invoke_agent per branch', async () => {
    const { ChatAgent, DynamicRouter, ParallelOrchestrator } = await import('arshai');
    const llm = new ScriptedLLMClient(
      [
        { object: { agent: 'refunds', reason: 'money' } },
        { text: 'refund sent' },
        { text: 'a' },
        { text: 'b' },
      ],
      { telemetry: { tracer } },
    );
    const router = new DynamicRouter(llm, {
      refunds: new ChatAgent(llm, 'You handle refunds.'),
      general: new ChatAgent(llm, 'You handle the rest.'),
    });
    const routed = await router.run('I want my money back');
    expect(routed.output).toBe('refund sent');
    const [agentSpan] = named('invoke_agent refunds');
    expect(agentSpan?.attributes).toMatchObject({
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'refunds',
      'arshai.route.source': 'llm',
    });
    const chats = named('chat scripted-model');
    expect(chats).toHaveLength(2);
    expect(parentOf(chats[0] as ReadableSpan)).toBeUndefined(); // the routing decision
    expect(parentOf(chats[1] as ReadableSpan)).toBe(idOf(agentSpan));

    exporter.reset();
    const parallel = new ParallelOrchestrator({
      left: new ChatAgent(llm, 'Left.'),
      right: new ChatAgent(llm, 'Right.'),
    });
    await parallel.process({ message: 'go' });
    const branches = spans().filter((s) => s.name.startsWith('invoke_agent '));
    expect(branches.map((s) => s.attributes['arshai.branch']).sort()).toEqual(['left', 'right']);
    for (const chat of named('chat scripted-model'))
      expect(branches.map(idOf)).toContain(parentOf(chat));
  });
});

describe('more spans', () => {
  it('checkpoint writes are spans of their step; invoke_agent spans carry what the agent spent; RobustOrchestrator names its attempts', async () => {
    const { ChatAgent, DynamicRouter, RobustOrchestrator } = await import('arshai');
    const workflow = new WorkflowGraph()
      .addNode('a', () => ({ agentData: { a: 1 } }))
      .addEdge('a', END)
      .setEntryPoint('a')
      .compile({ name: 'saved' });
    await new WorkflowRunner(workflow, {
      checkpointer: new InMemoryCheckpointer(),
      telemetry: { tracer },
    }).executeWorkflow({ userId: 'u' });
    const writes = named('workflow.checkpoint');
    expect(writes.map((s) => s.attributes['arshai.workflow.status'])).toEqual([
      'running',
      'completed',
    ]);
    const [run] = named('invoke_workflow saved');
    const [step] = named('workflow.step 0');
    expect(parentOf(writes[0] as ReadableSpan)).toBe(idOf(run)); // the run's first checkpoint
    expect(parentOf(writes[1] as ReadableSpan)).toBe(idOf(step));

    exporter.reset();
    const llm = new ScriptedLLMClient(
      [{ object: { agent: 'refunds', reason: 'money' } }, { text: 'refund sent' }],
      { telemetry: { tracer } },
    );
    await new DynamicRouter(llm, { refunds: new ChatAgent(llm, 'Refunds.') }).run('money back');
    expect(named('invoke_agent refunds')[0]?.attributes).toMatchObject({
      'arshai.usage.model_calls': 1,
      'arshai.usage.tokens': 15,
    });

    exporter.reset();
    const flaky = new ScriptedLLMClient(
      [
        {
          error: new ProviderError('busy', { provider: 'scripted', status: 503, retryable: true }),
        },
        { text: 'ok' },
      ],
      { telemetry: { tracer }, retry: false },
    );
    const robust = new RobustOrchestrator(new ChatAgent(flaky, 'Primary.'), []);
    expect(
      (await robust.execute('hi', { maxRetries: 1, retryDelay: 0, jitter: false })).result,
    ).toBe('ok');
    expect(named('invoke_agent primary').map((s) => s.attributes['arshai.attempt'])).toEqual([
      1, 2,
    ]);
    expect(named('invoke_agent primary')[0]?.status.code).toBe(2);
  });
});

it('EventDrivenOrchestrator: a handle_event {type} span per handler run, nested as the cascade is; a failing handler records its error', async () => {
  const { EventDrivenOrchestrator } = await import('arshai');
  const bus = new EventDrivenOrchestrator({ telemetry: { tracer } });
  bus.registerHandler('start', async () => {
    await bus.emitEvent({ type: 'next', data: {} });
  });
  bus.registerHandler('next', () => {
    throw new Error('handler broke');
  });
  const events = await bus.execute({ type: 'start', data: {} });
  expect(events.map((e) => e.type)).toEqual(['start', 'next', 'error']);
  const [start] = named('handle_event start');
  const [next] = named('handle_event next');
  expect(parentOf(next as ReadableSpan)).toBe(idOf(start));
  expect(next?.status.code).toBe(2);
  expect(next?.attributes).toMatchObject({
    'arshai.event.type': 'next',
    'arshai.event.handler': 0,
  });
  expect(next?.attributes['arshai.event.caused_by']).toBe(events[0]?.id);
});

it('takes a TracerProvider too: its tracer named arshai makes the spans', async () => {
  await new ScriptedLLMClient([{ text: 'x' }], { telemetry: { tracer: provider } }).chat({
    systemPrompt: 's',
    userMessage: 'u',
  });
  const [span] = named('chat scripted-model');
  expect(span?.instrumentationScope.name).toBe('arshai');
});
