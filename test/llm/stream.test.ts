import { AbortError, type LLMStreamEvent, ProviderError, tool } from 'arshai';
import { type ScriptEntry, ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const lookup = tool({
  description: 'Looks up an order',
  parameters: z.object({ id: z.string() }),
  execute: async ({ id }) => ({ id, status: 'shipped' }),
});

const script = (): ScriptEntry[] => [
  {
    chunks: ['Checking ', 'your order'],
    toolCalls: [{ id: 'c1', name: 'lookup', args: { id: 'A1' } }],
    usage: { inputTokens: 20, outputTokens: 8 },
  },
  { chunks: ['It ', 'has ', 'shipped.'], usage: { inputTokens: 40, outputTokens: 3 } },
];

async function collect<T>(events: AsyncIterable<LLMStreamEvent<T>>): Promise<LLMStreamEvent<T>[]> {
  const out: LLMStreamEvent<T>[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe('stream()', () => {
  it('yields deltas, tool events and a finish equal to chat()', async () => {
    const streamed = new ScriptedLLMClient(script());
    const events = await collect(
      streamed.stream({ systemPrompt: 's', userMessage: 'where?', regularFunctions: { lookup } }),
    );
    // The tool runs while the turn's stream finishes: its result may come before or after the
    // turn's usage event, but always before the next turn starts.
    const types = events.map((e) => e.type);
    expect(types.indexOf('tool-result')).toBeGreaterThan(types.indexOf('tool-call'));
    expect(types.indexOf('tool-result')).toBeLessThan(types.lastIndexOf('turn-start'));
    expect(types.filter((t) => t !== 'tool-result')).toEqual([
      'turn-start',
      'text-delta',
      'text-delta',
      'tool-call',
      'usage',
      'turn-start',
      'text-delta',
      'text-delta',
      'text-delta',
      'usage',
      'finish',
    ]);
    const deltas = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : []));
    expect(deltas).toEqual(['Checking ', 'your order', 'It ', 'has ', 'shipped.']);
    expect(events.find((e) => e.type === 'tool-result')).toEqual({
      type: 'tool-result',
      toolCallId: 'c1',
      toolName: 'lookup',
      output: { id: 'A1', status: 'shipped' },
      isError: false,
    });

    const chatted = new ScriptedLLMClient(script());
    const chatResult = await chatted.chat({
      systemPrompt: 's',
      userMessage: 'where?',
      regularFunctions: { lookup },
    });
    const finish = events.at(-1);
    expect(finish?.type === 'finish' && finish.result).toEqual(chatResult);
    expect(chatResult.llmResponse).toBe('It has shipped.');
    expect(streamed.calls[1]?.messages).toEqual(chatted.calls[1]?.messages);
  });

  it('starts a tool as soon as its call is complete, before the stream ends', async () => {
    let toolStartedAt = 0;
    const mark = tool({
      description: 'Marks time',
      parameters: z.object({}),
      execute: () => {
        toolStartedAt = performance.now();
        return 'ok';
      },
    });
    const llm = new ScriptedLLMClient([
      // parts: tool-call-delta ×2, tool-call, then 2 more parts each 50 ms apart
      { toolCalls: [{ name: 'mark' }], partDelayMs: 50 },
      { text: 'done' },
    ]);
    await collect(llm.stream({ systemPrompt: 's', userMessage: 'go', regularFunctions: { mark } }));
    const firstCall = llm.calls[0];
    expect(toolStartedAt).toBeGreaterThan(0);
    expect(toolStartedAt).toBeLessThan(firstCall?.endedAt ?? 0);
  });

  it('emits an error event, then throws the same typed error (stream cut mid-way)', async () => {
    const cut = new ProviderError('connection reset', { provider: 'scripted', retryable: true });
    const llm = new ScriptedLLMClient([
      { chunks: ['a', 'b', 'c'], error: cut, errorAfterParts: 2 },
    ]);
    const seen: LLMStreamEvent[] = [];
    const error = await (async () => {
      for await (const e of llm.stream({ systemPrompt: 's', userMessage: 'go' })) seen.push(e);
    })().catch((e: unknown) => e);
    expect(error).toBe(cut);
    expect(seen.map((e) => e.type)).toEqual(['turn-start', 'text-delta', 'text-delta', 'error']);
    // A stream that already produced events is not retried.
    expect(llm.calls).toHaveLength(1);
  });

  it('retries a stream that fails before its first event', async () => {
    const llm = new ScriptedLLMClient(
      [{ error: new ProviderError('busy', { provider: 'scripted', status: 503 }) }, { text: 'ok' }],
      { retry: { initialDelayMs: 1 } },
    );
    const events = await collect(llm.stream({ systemPrompt: 's', userMessage: 'go' }));
    expect(events.at(-1)?.type).toBe('finish');
    expect(llm.calls).toHaveLength(2);
  });

  it('aborts the run when the consumer stops reading', async () => {
    let toolSignal: AbortSignal | undefined;
    const wait = tool({
      description: 'Waits',
      parameters: z.object({}),
      execute: (_a, { signal }) => {
        toolSignal = signal;
        return new Promise((_r, reject) =>
          signal.addEventListener('abort', () => reject(signal.reason)),
        );
      },
    });
    const llm = new ScriptedLLMClient([{ toolCalls: [{ name: 'wait' }] }, { text: 'never' }]);
    for await (const e of llm.stream({
      systemPrompt: 's',
      userMessage: 'go',
      regularFunctions: { wait },
    })) {
      if (e.type === 'tool-call') break;
    }
    expect(toolSignal?.aborted).toBe(true);
    expect(AbortError.isInstance(toolSignal?.reason)).toBe(true);
  });

  it('streams structured output into the same validated object', async () => {
    const llm = new ScriptedLLMClient([{ chunks: ['{"n":', '42}'] }]);
    const events = await collect(
      llm.stream({
        systemPrompt: 's',
        userMessage: 'go',
        structureType: z.object({ n: z.number() }),
      }),
    );
    const finish = events.at(-1);
    expect(finish?.type === 'finish' && finish.result.llmResponse).toEqual({ n: 42 });
  });
});
