/**
 * The showcase never hides a failure (issue 24): a failed model call fails its step, with the
 * error, instead of "failed: …" inside a done one; the router's fallback says why.
 */
import {
  BaseLLMClient,
  InMemoryManager,
  type ModelAdapter,
  ProviderError,
  WorkflowRunner,
} from 'arshai';
import { describe, expect, it } from 'vitest';
import { OfflineModel } from '../../src/showcase/offline-model.js';
import { OFFLINE_RULES } from '../../src/showcase/offline-rules.js';
import { PROMPTS } from '../../src/showcase/prompts.js';
import { loadSupportData } from '../../src/showcase/support-data.js';
import { buildSupportWorkflow } from '../../src/showcase/support-workflow.js';

/** The offline model, except where `change` makes a call fail (or answer something else). */
function model(change: (systemPrompt: string) => Error | string | undefined): ModelAdapter {
  const offline = new OfflineModel({ rules: OFFLINE_RULES, latencyMs: 0 });
  return {
    provider: 'test',
    model: 'test',
    async generate(request) {
      const changed = change(request.systemPrompt);
      if (changed instanceof Error) throw changed;
      if (typeof changed === 'string')
        return {
          text: changed,
          toolCalls: [],
          finishReason: 'stop',
          usage: { inputTokens: 1, outputTokens: 1 },
        };
      return offline.generate(request);
    },
    stream: (request) => offline.stream(request),
  };
}

function run(adapter: ModelAdapter) {
  const workflow = buildSupportWorkflow({
    llm: new BaseLLMClient(adapter, { model: 'test' }, { retry: false }),
    memory: new InMemoryManager(),
    data: loadSupportData(),
    now: () => new Date('2026-11-24T12:00:00Z'),
  });
  const customerId = 'cust_ada';
  const message = 'The headphones from order A1001 arrived broken. I would like a refund.';
  return new WorkflowRunner(workflow).executeWorkflow({
    userId: customerId,
    inputData: { customerId, message },
    state: { customerId, message },
  });
}

describe('the showcase with a failing model', () => {
  it('a failed analysis call fails the analyze step with the error; nothing says done', async () => {
    const unauthorized = new ProviderError('test API error 401: Incorrect API key provided', {
      provider: 'test',
      status: 401,
      retryable: false,
    });
    const result = await run(model((p) => (p === PROMPTS.sentiment ? unauthorized : undefined)));
    expect(result.status).toBe('failed');
    const error = (result as { error?: Error & { node?: string } }).error;
    expect(error).toMatchObject({ name: 'NodeExecutionError', node: 'analyze' });
    expect(error?.message).toMatch(/Node "analyze" failed: .*401: Incorrect API key provided/);
    expect(result.state.analysis).toBeUndefined();
  });

  it('a fallback route says why the default agent answered', async () => {
    const result = await run(model((p) => (p === PROMPTS.router ? 'nobody' : undefined)));
    expect(result.state.route).toEqual({
      agent: 'general',
      source: 'fallback',
      reason: 'the model\'s choice "nobody" names no agent',
    });
  });
});

describe('the showcase agrees with its data', () => {
  const ask = async (runner: WorkflowRunner<never>, message: string) =>
    runner.executeWorkflow({
      userId: 'cust_ada',
      inputData: { customerId: 'cust_ada', message },
      state: { customerId: 'cust_ada', message },
    } as never);

  it('a status question refunds nothing; a refund is made once; keywords are a list; quotes end cleanly', async () => {
    const workflow = buildSupportWorkflow({
      llm: new BaseLLMClient(new OfflineModel({ rules: OFFLINE_RULES, latencyMs: 0 }), {
        model: 'offline',
      }),
      memory: new InMemoryManager(),
      data: loadSupportData(),
      now: () => new Date('2026-11-24T12:00:00Z'),
    });
    const runner = new WorkflowRunner(workflow) as unknown as WorkflowRunner<never>;
    const status = (await ask(runner, 'Where is my order A1002?')) as unknown as {
      state: {
        refund?: { eligible: boolean; reason: string };
        reply?: string;
        analysis?: { keywords?: unknown };
      };
    };
    expect(status.state.refund).toMatchObject({
      eligible: false,
      reason: 'no refund was asked for',
    });
    expect(status.state.reply).toMatch(
      /^Hello Ada Lovelace\. Order A1002 \(USB-C cable, \$12\.50\) is delivered/,
    );
    expect(status.state.reply).not.toMatch(/refunded/);
    expect(status.state.analysis?.keywords).toEqual(['order']);
    const refund =
      'The USB-C cable from order A1002 stopped charging. I would like a refund, please.';
    const first = (await ask(runner, refund)) as unknown as { state: { reply?: string } };
    expect(first.state.reply).toContain('Last time you told us: "Where is my order A1002".');
    expect(first.state.reply).toContain('We have refunded $12.50 for order A1002');
    const again = (await ask(runner, refund)) as unknown as { state: { reply?: string } };
    expect(again.state.reply).toContain(
      'please". No refund was issued: order A1002 was refunded on an earlier visit.',
    );
  });
});
