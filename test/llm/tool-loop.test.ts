import {
  AbortError,
  MaxTurnsExceededError,
  ProviderError,
  StructuredOutputError,
  TimeoutError,
  tool,
} from 'arshai';
import { ScriptedLLMClient, UnexpectedModelCallError } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const add = tool({
  description: 'Adds two numbers',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => a + b,
});

describe('tool loop', () => {
  it('returns a plain answer in one turn with usage and transcript', async () => {
    const llm = new ScriptedLLMClient([
      { text: 'Hello!', usage: { inputTokens: 7, outputTokens: 2 } },
    ]);
    const result = await llm.chat({ systemPrompt: 'Greet.', userMessage: 'Hi' });
    expect(result.llmResponse).toBe('Hello!');
    expect(result.turns).toBe(1);
    expect(result.finishReason).toBe('stop');
    expect(result.usage).toMatchObject({ inputTokens: 7, outputTokens: 2, totalTokens: 9 });
    expect(result.messages).toEqual([
      { role: 'user', content: 'Hi' },
      { role: 'assistant', content: 'Hello!' },
    ]);
    expect(llm.calls[0]?.systemPrompt).toBe('Greet.');
    llm.assertConsumed();
  });

  it('sends the native transcript on turn 2: model ids, order, error results', async () => {
    const llm = new ScriptedLLMClient([
      {
        text: 'Let me compute.',
        toolCalls: [
          { id: 'call_abc', name: 'add', args: { a: 1, b: 2 } },
          { id: 'call_bad', name: 'add', args: '{"a": 1,' },
          { id: 'call_unknown', name: 'multiply', args: { a: 1 } },
          { id: 'call_schema', name: 'add', args: { a: 'one', b: 2 } },
        ],
      },
      { text: 'The sum is 3.' },
    ]);
    const result = await llm.chat({
      systemPrompt: 's',
      userMessage: 'What is 1+2?',
      regularFunctions: { add },
    });
    expect(result.llmResponse).toBe('The sum is 3.');
    const second = llm.calls[1]?.messages ?? [];
    expect(second.slice(0, 2)).toEqual([
      { role: 'user', content: 'What is 1+2?' },
      {
        role: 'assistant',
        content: 'Let me compute.',
        toolCalls: [
          { id: 'call_abc', name: 'add', arguments: '{"a":1,"b":2}' },
          { id: 'call_bad', name: 'add', arguments: '{"a": 1,' },
          { id: 'call_unknown', name: 'multiply', arguments: '{"a":1}' },
          { id: 'call_schema', name: 'add', arguments: '{"a":"one","b":2}' },
        ],
      },
    ]);
    const results = second.slice(2);
    expect(results.map((m) => m.role === 'tool' && m.toolCallId)).toEqual([
      'call_abc',
      'call_bad',
      'call_unknown',
      'call_schema',
    ]);
    expect(results[0]).toEqual({
      role: 'tool',
      toolCallId: 'call_abc',
      toolName: 'add',
      content: '3',
    });
    expect(results[1]).toMatchObject({ isError: true, toolName: 'add' });
    expect(results[1]?.content).toMatch(/^Error: invalid JSON arguments/);
    expect(results[2]).toMatchObject({ isError: true });
    expect(results[2]?.content).toMatch(/unknown tool "multiply"; available tools: add/);
    expect(results[3]?.content).toMatch(/invalid arguments: \$\.a: /);
    expect(result.toolCalls.map((c) => [c.id, c.isError])).toEqual([
      ['call_abc', false],
      ['call_bad', true],
      ['call_unknown', true],
      ['call_schema', true],
    ]);
  });

  it('honours prior messages before the new user message', async () => {
    const llm = new ScriptedLLMClient([{ text: 'Your name is Ada.' }]);
    await llm.chat({
      systemPrompt: 's',
      userMessage: 'What is my name?',
      messages: [
        { role: 'user', content: 'I am Ada.' },
        { role: 'assistant', content: 'Hello Ada.' },
      ],
    });
    expect(llm.calls[0]?.messages).toEqual([
      { role: 'user', content: 'I am Ada.' },
      { role: 'assistant', content: 'Hello Ada.' },
      { role: 'user', content: 'What is my name?' },
    ]);
  });

  it('runs the tool calls of one turn concurrently', async () => {
    const spans: Record<string, [number, number]> = {};
    const slow = tool({
      description: 'Waits 100 ms',
      parameters: z.object({ key: z.string() }),
      execute: async ({ key }) => {
        const start = performance.now();
        await new Promise((r) => setTimeout(r, 100));
        spans[key] = [start, performance.now()];
        return key;
      },
    });
    const llm = new ScriptedLLMClient([
      {
        toolCalls: ['a', 'b', 'c'].map((key) => ({ name: 'slow', args: { key } })),
      },
      { text: 'done' },
    ]);
    await llm.chat({ systemPrompt: 's', userMessage: 'go', regularFunctions: { slow } });
    const all = Object.values(spans);
    expect(all).toHaveLength(3);
    // Every tool started before any other finished.
    const lastStart = Math.max(...all.map(([start]) => start));
    const firstEnd = Math.min(...all.map(([, end]) => end));
    expect(lastStart).toBeLessThan(firstEnd);
  });

  it('limits concurrency when toolConcurrency is set', async () => {
    let active = 0;
    let peak = 0;
    const slow = tool({
      description: 'Waits',
      parameters: z.object({}),
      execute: async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        return 'ok';
      },
    });
    const llm = new ScriptedLLMClient([
      { toolCalls: Array.from({ length: 5 }, () => ({ name: 'slow' })) },
      { text: 'done' },
    ]);
    await llm.chat({
      systemPrompt: 's',
      userMessage: 'go',
      regularFunctions: { slow },
      toolConcurrency: 2,
    });
    expect(peak).toBe(2);
  });

  it('counts every round trip against maxTurns: exactly N calls, then the error', async () => {
    const loop = () => ({ toolCalls: [{ name: 'add', args: { a: 1, b: 1 } }] });
    const llm = new ScriptedLLMClient([loop(), loop(), loop(), loop()]);
    const error = await llm
      .chat({ systemPrompt: 's', userMessage: 'go', regularFunctions: { add }, maxTurns: 3 })
      .catch((e: unknown) => e);
    expect(MaxTurnsExceededError.isInstance(error)).toBe(true);
    expect(llm.calls).toHaveLength(3);
    expect(llm.remaining).toBe(1);
    const e = error as MaxTurnsExceededError;
    expect(e.maxTurns).toBe(3);
    expect(e.usage.inputTokens).toBe(30);
    // user + 3 × (assistant + tool result)
    expect(e.messages).toHaveLength(7);
  });

  it('finishes on the last allowed turn', async () => {
    const llm = new ScriptedLLMClient([
      { toolCalls: [{ name: 'add', args: { a: 1, b: 1 } }] },
      { text: '2' },
    ]);
    const result = await llm.chat({
      systemPrompt: 's',
      userMessage: 'go',
      regularFunctions: { add },
      maxTurns: 2,
    });
    expect(result.turns).toBe(2);
  });

  it('turns thrown errors and per-tool timeouts into error results and goes on', async () => {
    const failing = tool({
      description: 'Fails',
      parameters: z.object({}),
      execute: () => {
        throw new Error('database is down');
      },
    });
    let sawAbort = false;
    const hanging = tool({
      description: 'Hangs',
      parameters: z.object({}),
      timeoutMs: 30,
      execute: (_args, { signal }) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            sawAbort = true;
            reject(signal.reason);
          });
        }),
    });
    const llm = new ScriptedLLMClient([
      { toolCalls: [{ name: 'failing' }, { name: 'hanging' }] },
      { text: 'sorry' },
    ]);
    const result = await llm.chat({
      systemPrompt: 's',
      userMessage: 'go',
      regularFunctions: { failing, hanging },
    });
    expect(result.llmResponse).toBe('sorry');
    const toolMessages = llm.calls[1]?.messages.filter((m) => m.role === 'tool');
    expect(toolMessages?.map((m) => m.content)).toEqual([
      'Error: database is down',
      'Error: timed out after 30 ms',
    ]);
    expect(sawAbort).toBe(true);
  });

  it('aborts during a tool: the tool sees the signal and the call rejects with AbortError', async () => {
    const controller = new AbortController();
    let toolSignal: AbortSignal | undefined;
    const wait = tool({
      description: 'Waits for abort',
      parameters: z.object({}),
      execute: (_args, { signal }) => {
        toolSignal = signal;
        setTimeout(() => controller.abort(), 20);
        return new Promise(() => {});
      },
    });
    const llm = new ScriptedLLMClient([{ toolCalls: [{ name: 'wait' }] }, { text: 'never' }]);
    const error = await llm
      .chat({
        systemPrompt: 's',
        userMessage: 'go',
        regularFunctions: { wait },
        signal: controller.signal,
      })
      .catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
    expect(toolSignal?.aborted).toBe(true);
    expect(llm.calls).toHaveLength(1);
  });

  it('aborts an in-flight model call', async () => {
    const llm = new ScriptedLLMClient([{ text: 'slow', delayMs: 5_000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const error = await llm
      .chat({ systemPrompt: 's', userMessage: 'go', signal: controller.signal })
      .catch((e: unknown) => e);
    expect(AbortError.isInstance(error)).toBe(true);
  });

  it('times out the whole call with a TimeoutError', async () => {
    const llm = new ScriptedLLMClient([{ text: 'slow', delayMs: 5_000 }]);
    const error = await llm
      .chat({ systemPrompt: 's', userMessage: 'go', timeoutMs: 20 })
      .catch((e: unknown) => e);
    expect(TimeoutError.isInstance(error)).toBe(true);
    expect(AbortError.isInstance(error)).toBe(true);
  });

  it('sums usage over turns, reasoning and cached tokens included', async () => {
    const llm = new ScriptedLLMClient([
      {
        toolCalls: [{ name: 'add', args: { a: 1, b: 2 } }],
        usage: { inputTokens: 100, outputTokens: 20, reasoningTokens: 5, cachedInputTokens: 50 },
      },
      { text: '3', usage: { inputTokens: 130, outputTokens: 4, cachedInputTokens: 100 } },
    ]);
    const { usage } = await llm.chat({
      systemPrompt: 's',
      userMessage: 'go',
      regularFunctions: { add },
    });
    expect(usage).toEqual({
      inputTokens: 230,
      outputTokens: 24,
      totalTokens: 254,
      reasoningTokens: 5,
      cachedInputTokens: 150,
      provider: 'scripted',
      model: 'scripted-model',
    });
  });

  it('retries retryable provider errors and not the others', async () => {
    const retried: number[] = [];
    const llm = new ScriptedLLMClient(
      [
        { error: new ProviderError('overloaded', { provider: 'scripted', status: 529 }) },
        {
          error: new ProviderError('slow down', {
            provider: 'scripted',
            status: 429,
            retryAfterMs: 5,
          }),
        },
        { text: 'ok' },
        { error: new ProviderError('bad key', { provider: 'scripted', status: 401 }) },
      ],
      { retry: { initialDelayMs: 1, onRetry: (e) => retried.push(e.delayMs) } },
    );
    expect((await llm.chat({ systemPrompt: 's', userMessage: 'go' })).llmResponse).toBe('ok');
    expect(retried).toHaveLength(2);
    expect(retried[1]).toBe(5);
    const error = await llm.chat({ systemPrompt: 's', userMessage: 'go' }).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error) && error.status).toBe(401);
    expect(llm.calls).toHaveLength(4);
  });

  it('reports an unexpected extra model call with a typed error', async () => {
    const llm = new ScriptedLLMClient([]);
    const error = await llm.chat({ systemPrompt: 's', userMessage: 'go' }).catch((e: unknown) => e);
    expect(UnexpectedModelCallError.isInstance(error)).toBe(true);
    expect(() => new ScriptedLLMClient([{ text: 'x' }]).assertConsumed()).toThrow(/1 unconsumed/);
  });

  it('rejects bad input with a typed error naming the field', async () => {
    const llm = new ScriptedLLMClient([]);
    await expect(llm.chat({ systemPrompt: 's', userMessage: 'go', maxTurns: 0 })).rejects.toThrow(
      /Invalid maxTurns/,
    );
    await expect(
      llm.chat({ systemPrompt: 's', userMessage: 'go', regularFunctions: { 'bad name!': add } }),
    ).rejects.toMatchObject({ field: 'regularFunctions.bad name!' });
    expect(llm.calls).toHaveLength(0);
  });
});

describe('structured output', () => {
  const Answer = z.object({ city: z.string(), celsius: z.number() });

  it('parses and validates the final answer, with the schema sent to the model', async () => {
    const llm = new ScriptedLLMClient([{ object: { city: 'Oslo', celsius: 4 } }]);
    const result = await llm.chat({ systemPrompt: 's', userMessage: 'go', structureType: Answer });
    expect(result.llmResponse).toEqual({ city: 'Oslo', celsius: 4 });
    expect(llm.calls[0]?.responseFormat).toMatchObject({
      type: 'object',
      required: ['city', 'celsius'],
    });
  });

  it('works together with tools', async () => {
    const llm = new ScriptedLLMClient([
      { toolCalls: [{ name: 'add', args: { a: 2, b: 2 } }] },
      { text: '```json\n{"city":"Rome","celsius":4}\n```' },
    ]);
    const result = await llm.chat({
      systemPrompt: 's',
      userMessage: 'go',
      structureType: Answer,
      regularFunctions: { add },
    });
    expect(result.llmResponse.celsius).toBe(4);
    expect(result.toolCalls).toHaveLength(1);
  });

  it('makes one repair turn, then fails with a typed error', async () => {
    const repaired = new ScriptedLLMClient([
      { text: '{"city":"Oslo"}' },
      { object: { city: 'Oslo', celsius: 1 } },
    ]);
    const ok = await repaired.chat({ systemPrompt: 's', userMessage: 'go', structureType: Answer });
    expect(ok.llmResponse.celsius).toBe(1);
    expect(ok.turns).toBe(2);
    const repair = repaired.calls[1]?.messages.at(-1);
    expect(repair?.role).toBe('user');
    expect(repair?.content).toMatch(/\$\.celsius/);

    const broken = new ScriptedLLMClient([{ text: 'not json' }, { text: '{"city": 3}' }]);
    const error = await broken
      .chat({ systemPrompt: 's', userMessage: 'go', structureType: Answer })
      .catch((e: unknown) => e);
    expect(StructuredOutputError.isInstance(error)).toBe(true);
    expect((error as StructuredOutputError).text).toBe('{"city": 3}');
    broken.assertConsumed();
  });
});

describe('background tasks', () => {
  it('starts them detached, tells the model, and reports a failure', async () => {
    const reports: string[] = [];
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const notify = tool({
      description: 'Sends a notification',
      parameters: z.object({ to: z.string() }),
      execute: async ({ to }) => {
        await gate;
        if (to === 'nobody') throw new Error('no such recipient');
        return 'sent';
      },
    });
    const llm = new ScriptedLLMClient(
      [
        {
          toolCalls: [
            { id: 'bg1', name: 'notify', args: { to: 'ada' } },
            { id: 'bg2', name: 'notify', args: { to: 'nobody' } },
          ],
        },
        { text: 'Notifications on their way.' },
      ],
      { onBackgroundTask: (r) => reports.push(`${r.toolCallId}:${r.status}`) },
    );
    const result = await llm.chat({
      systemPrompt: 's',
      userMessage: 'go',
      backgroundTasks: { notify },
    });
    expect(result.llmResponse).toBe('Notifications on their way.');
    expect(llm.calls[1]?.messages.filter((m) => m.role === 'tool').map((m) => m.content)).toEqual([
      'Background task "notify" started.',
      'Background task "notify" started.',
    ]);
    expect(reports).toEqual([]); // still running after chat() returned
    const early = await llm.waitForBackgroundTasks(10);
    expect(early.pending).toBe(2);
    release();
    const summary = await llm.waitForBackgroundTasks(1_000);
    expect(summary.pending).toBe(0);
    expect(summary.settled.map((r) => [r.toolCallId, r.status])).toEqual([
      ['bg1', 'fulfilled'],
      ['bg2', 'rejected'],
    ]);
    expect(summary.settled[1]?.error?.message).toBe('no such recipient');
    expect(reports).toEqual(['bg1:fulfilled', 'bg2:rejected']);
  });
});

describe('attachments', () => {
  it('sniffs image and PDF types into content parts', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).toString('base64');
    const pdf = Buffer.from('%PDF-1.7\n').toString('base64');
    const llm = new ScriptedLLMClient([{ text: 'a chart' }]);
    await llm.chat({
      systemPrompt: 's',
      userMessage: 'what is it?',
      images: [png],
      pdfs: [`data:application/pdf;base64,${pdf}`],
    });
    expect(llm.calls[0]?.messages[0]).toEqual({
      role: 'user',
      content: [
        { type: 'text', text: 'what is it?' },
        { type: 'image', data: png, mediaType: 'image/png' },
        { type: 'file', data: pdf, mediaType: 'application/pdf' },
      ],
    });
    await expect(
      llm.chat({ systemPrompt: 's', userMessage: 'x', images: ['https://example.com/a.png'] }),
    ).rejects.toMatchObject({ field: 'images[0]' });
  });
});
