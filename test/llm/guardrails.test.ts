import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  AbortError,
  ChatAgent,
  type GuardrailEvent,
  GuardrailTripwireError,
  InvalidInputError,
  tool,
} from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const tripped = (guardrail: string, kind: string) => (e: unknown) =>
  GuardrailTripwireError.isInstance(e) && e.guardrail === guardrail && e.kind === kind;

const maxLength = (limit: number) => ({
  name: 'max-length',
  check: ({ userMessage }: { userMessage: string }) =>
    userMessage.length > limit
      ? { tripwire: true as const, reason: `input over ${limit} characters` }
      : undefined,
});

describe('guardrails', () => {
  it('an input guardrail that runs before: a tripwire and the model is never called', async () => {
    const llm = new ScriptedLLMClient([{ text: 'never' }]);
    const call = llm.chat({
      systemPrompt: 's',
      userMessage: 'x'.repeat(50),
      inputGuardrails: [maxLength(10)],
    });
    await expect(call).rejects.toSatisfy(tripped('max-length', 'input'));
    await expect(call).rejects.toThrow('input over 10 characters');
    expect(llm.model.calls).toHaveLength(0);
    const ok = await llm.chat({
      systemPrompt: 's',
      userMessage: 'short',
      inputGuardrails: [maxLength(10)],
    });
    expect(ok.llmResponse).toBe('never');
  });

  it('a parallel input guardrail runs alongside the model call and cancels it when it trips', async () => {
    const llm = new ScriptedLLMClient([{ text: 'slow answer', delayMs: 2_000 }]);
    const started = performance.now();
    const judge = {
      name: 'judge',
      runs: 'parallel' as const,
      check: async () => {
        await new Promise((r) => setTimeout(r, 20));
        return { tripwire: true as const, reason: 'off topic' };
      },
    };
    await expect(
      llm.chat({ systemPrompt: 's', userMessage: 'hi', inputGuardrails: [judge] }),
    ).rejects.toSatisfy(tripped('judge', 'input'));
    expect(performance.now() - started).toBeLessThan(1_500); // the model call was cut, not awaited
    expect(llm.model.calls[0]?.endedAt).toBeDefined();
  });

  it('a parallel guardrail that trips after the model answered still refuses the answer', async () => {
    const llm = new ScriptedLLMClient([{ text: 'quick' }]);
    const late = {
      name: 'late',
      runs: 'parallel' as const,
      check: async () => {
        await new Promise((r) => setTimeout(r, 30));
        return false;
      },
    };
    await expect(
      llm.chat({ systemPrompt: 's', userMessage: 'hi', inputGuardrails: [late] }),
    ).rejects.toSatisfy(tripped('late', 'input'));
  });

  it('an output guardrail (an LLM judge) sees the parsed structured answer; a stream ends with the error', async () => {
    const judgeModel = new ScriptedLLMClient([{ text: 'UNSAFE' }, { text: 'UNSAFE' }]);
    const judge = {
      name: 'llm-judge',
      check: async (answer: { reply: string }, ctx: { signal: AbortSignal }) => {
        const { llmResponse } = await judgeModel.chat({
          systemPrompt: 'Answer SAFE or UNSAFE.',
          userMessage: answer.reply,
          signal: ctx.signal,
        });
        return llmResponse === 'SAFE'
          ? undefined
          : { tripwire: true as const, reason: 'judged unsafe' };
      },
    };
    const llm = new ScriptedLLMClient([
      { object: { reply: 'rude words' } },
      { text: 'rude words' },
    ]);
    await expect(
      llm.chat({
        systemPrompt: 's',
        userMessage: 'hi',
        structureType: z.object({ reply: z.string() }),
        outputGuardrails: [judge],
      }),
    ).rejects.toSatisfy(tripped('llm-judge', 'output'));
    const events: string[] = [];
    const stream = llm.stream({
      systemPrompt: 's',
      userMessage: 'hi',
      outputGuardrails: [
        {
          name: 'llm-judge',
          check: (text: string) =>
            judge.check({ reply: text }, { signal: new AbortController().signal }),
        },
      ],
    });
    await expect(
      (async () => {
        for await (const e of stream) events.push(e.type);
      })(),
    ).rejects.toSatisfy(tripped('llm-judge', 'output'));
    expect(events.at(-1)).toBe('error');
    expect(events).not.toContain('finish');
  });

  it('tool guardrails: a redaction replaces the result the model reads; an argument tripwire ends the call and cancels the other tools', async () => {
    let slowAborted = false;
    const lookup = tool({
      description: 'Find a customer',
      parameters: z.object({ id: z.string() }),
      execute: ({ id }) => ({ id, email: 'ada@example.com', plan: 'pro' }),
      guardrails: {
        output: [
          {
            name: 'pii-redaction',
            check: (output) => ({
              tripwire: false,
              replace: JSON.parse(JSON.stringify(output).replace(/[\w.]+@[\w.]+/g, '[email]')),
            }),
          },
        ],
      },
    });
    const refund = tool({
      description: 'Refund an amount',
      parameters: z.object({ amount: z.number() }),
      execute: () => 'refunded',
      guardrails: {
        input: [
          {
            name: 'refund-limit',
            check: ({ amount }) =>
              amount > 500
                ? { tripwire: true, reason: 'refunds over 500 need a human' }
                : undefined,
          },
        ],
      },
    });
    const slow = tool({
      description: 'Slow work',
      parameters: z.object({}),
      execute: (_a, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            slowAborted = true;
            resolve('cut');
          });
        }),
    });
    const redacting = new ScriptedLLMClient([
      { toolCalls: [{ name: 'lookup', args: { id: 'c1' } }] },
      { text: 'done' },
    ]);
    const result = await redacting.chat({
      systemPrompt: 's',
      userMessage: 'who?',
      tools: { lookup },
    });
    expect(result.toolCalls[0]?.output).toEqual({ id: 'c1', email: '[email]', plan: 'pro' });
    expect(JSON.stringify(redacting.model.calls[1]?.messages)).not.toContain('ada@example.com');

    const refusing = new ScriptedLLMClient([
      {
        toolCalls: [
          { name: 'slow', args: {} },
          { name: 'refund', args: { amount: 900 } },
        ],
      },
      { text: 'never' },
    ]);
    await expect(
      refusing.chat({ systemPrompt: 's', userMessage: 'refund', tools: { slow, refund } }),
    ).rejects.toSatisfy(tripped('refund-limit', 'tool-input'));
    expect(slowAborted).toBe(true);
    expect(refusing.model.calls).toHaveLength(1); // the model is not called again
  });

  it('refuses malformed guardrails with a typed error naming the field; an abort stays an abort', async () => {
    const llm = new ScriptedLLMClient([]);
    await expect(
      llm.chat({ systemPrompt: 's', userMessage: 'u', inputGuardrails: [{ name: '' } as never] }),
    ).rejects.toSatisfy((e) => InvalidInputError.isInstance(e) && e.field === 'inputGuardrails.0');
    expect(() =>
      tool({
        description: 'd',
        parameters: z.object({}),
        execute: () => 1,
        guardrails: { input: [{ check: () => true } as never] },
      }),
    ).toThrow(InvalidInputError);
    const slow = new ScriptedLLMClient([{ text: 'x', delayMs: 1_000 }]);
    const controller = new AbortController();
    const call = slow.chat({
      systemPrompt: 's',
      userMessage: 'u',
      signal: controller.signal,
      inputGuardrails: [{ name: 'slow', runs: 'parallel', check: () => new Promise(() => {}) }],
    });
    controller.abort();
    await expect(call).rejects.toSatisfy((e) => AbortError.isInstance(e));
  });

  it('agents take inputGuardrails and outputGuardrails', async () => {
    const llm = new ScriptedLLMClient([{ text: 'My password is hunter2' }]);
    const agent = new ChatAgent(llm, 'You help.', {
      inputGuardrails: [maxLength(100)],
      outputGuardrails: [
        {
          name: 'no-secrets',
          check: (answer) =>
            /password/i.test(answer) ? { tripwire: true, reason: 'leaks a secret' } : undefined,
        },
      ],
    });
    await expect(agent.process({ message: 'x'.repeat(200) })).rejects.toSatisfy(
      tripped('max-length', 'input'),
    );
    await expect(agent.process({ message: 'hi' })).rejects.toSatisfy(
      tripped('no-secrets', 'output'),
    );
  });

  it('each check is traced (a judge’s model calls under its guardrail span, tool guardrails under the tool) and heard by onGuardrail', async () => {
    const exporter = new InMemorySpanExporter();
    const tracer = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(exporter)],
    }).getTracer('t');
    const telemetry = { tracer };
    const judgeModel = new ScriptedLLMClient([{ text: 'SAFE' }], { telemetry });
    const judge = {
      name: 'judge',
      check: async ({ userMessage }: { userMessage: string }, ctx: { signal: AbortSignal }) => {
        const { llmResponse } = await judgeModel.chat({
          systemPrompt: 'SAFE or UNSAFE?',
          userMessage,
          signal: ctx.signal,
        });
        return llmResponse === 'SAFE';
      },
    };
    const lookup = tool({
      description: 'Find an order',
      parameters: z.object({ order: z.string() }),
      execute: ({ order }) => ({ order, email: 'ann@example.com' }),
      guardrails: {
        input: [{ name: 'known-order', check: ({ order }) => order.startsWith('A') }],
        output: [{ name: 'redact', check: () => ({ tripwire: false, replace: '[redacted]' }) }],
      },
    });
    const llm = new ScriptedLLMClient(
      [{ toolCalls: [{ name: 'lookup', args: { order: 'A1' } }] }, { text: 'secret reply' }],
      { telemetry },
    );
    const events: GuardrailEvent[] = [];
    const call = llm.chat({
      systemPrompt: 's',
      userMessage: 'where is A1?',
      tools: { lookup },
      inputGuardrails: [maxLength(100), judge],
      outputGuardrails: [{ name: 'no-secrets', check: (t: string) => !t.includes('secret') }],
      onGuardrail: (e) => {
        events.push(e);
        throw new Error('a hook that throws changes nothing');
      },
    });
    await expect(call).rejects.toSatisfy(tripped('no-secrets', 'output'));
    expect(events.map((e) => [e.guardrail, e.kind, e.tripped])).toEqual([
      ['max-length', 'input', false],
      ['judge', 'input', false],
      ['known-order', 'tool-input', false],
      ['redact', 'tool-output', false],
      ['no-secrets', 'output', true],
    ]);
    expect(events.at(-1)).toMatchObject({ reason: 'refused', durationMs: expect.any(Number) });
    const spans = exporter.getFinishedSpans();
    const span = (name: string) => spans.find((s) => s.name === name);
    const judgeSpan = span('guardrail judge');
    expect(judgeSpan?.attributes).toMatchObject({
      'arshai.guardrail.kind': 'input',
      'arshai.guardrail.tripped': false,
    });
    const judgeCall = spans.find(
      (s) =>
        s.name === 'chat scripted-model' &&
        s.parentSpanContext?.spanId === judgeSpan?.spanContext().spanId,
    );
    expect(judgeCall).toBeDefined();
    const toolSpan = span('execute_tool lookup');
    for (const name of ['guardrail known-order', 'guardrail redact'])
      expect(span(name)?.parentSpanContext?.spanId).toBe(toolSpan?.spanContext().spanId);
    const trippedSpan = span('guardrail no-secrets');
    expect(trippedSpan?.attributes['arshai.guardrail.tripped']).toBe(true);
    expect(trippedSpan?.status.code).toBe(2); // ERROR
    // The reason is the guardrail's text, kept out of traces unless content is recorded.
    expect(trippedSpan?.attributes['arshai.guardrail.reason']).toBeUndefined();
  });

  it('a guardrail that throws trips the call (fails closed), with the error as cause', async () => {
    const llm = new ScriptedLLMClient([{ text: 'never' }]);
    const error = await llm
      .chat({
        systemPrompt: 's',
        userMessage: 'hi',
        inputGuardrails: [
          {
            name: 'moderation-api',
            check: () => {
              throw new TypeError('fetch failed');
            },
          },
        ],
      })
      .catch((e: unknown) => e);
    expect(error).toSatisfy(tripped('moderation-api', 'input'));
    expect(error).toMatchObject({ reason: 'the guardrail failed (TypeError)' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(llm.model.calls).toHaveLength(0);
  });
});
