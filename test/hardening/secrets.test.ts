import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  END,
  InvalidInputError,
  MaxTurnsExceededError,
  NodeExecutionError,
  SqliteMemoryManager,
  StructuredOutputError,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { AnthropicClient } from 'arshai/anthropic';
import { GeminiClient } from 'arshai/gemini';
import { AzureOpenAIClient, OpenAIClient, OpenRouterClient } from 'arshai/openai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

const CANARY = 'PROMPT-CANARY-4711';

describe('no prompt or state in what a JSON logger prints', () => {
  it('MaxTurnsExceededError, StructuredOutputError and NodeExecutionError keep data reachable but out of JSON', async () => {
    const looping = new ScriptedLLMClient([
      { toolCalls: [{ name: 'missing', args: { note: CANARY } }] },
    ]);
    const turns = await looping
      .chat({ systemPrompt: CANARY, userMessage: CANARY, maxTurns: 1 })
      .catch((e: unknown) => e);
    expect(MaxTurnsExceededError.isInstance(turns)).toBe(true);
    expect((turns as MaxTurnsExceededError).messages.length).toBeGreaterThan(0);
    expect(JSON.stringify(turns)).not.toContain(CANARY);

    const badJson = new ScriptedLLMClient([
      { text: `${CANARY} not json` },
      { text: `${CANARY} still not` },
    ]);
    const structured = await badJson
      .chat({ systemPrompt: 's', userMessage: 'x', structureType: z.object({ a: z.number() }) })
      .catch((e: unknown) => e);
    expect(StructuredOutputError.isInstance(structured)).toBe(true);
    expect((structured as StructuredOutputError).text).toContain(CANARY);
    expect((structured as Error).message).not.toContain(CANARY);
    expect(JSON.stringify(structured)).not.toContain(CANARY);

    const graph = new WorkflowGraph()
      .addNode('boom', () => {
        throw new Error('failed');
      })
      .addEdge('boom', END)
      .setEntryPoint('boom');
    const result = await new WorkflowRunner(graph.compile()).executeWorkflow({
      userId: 'u',
      inputData: CANARY,
    });
    expect(NodeExecutionError.isInstance(result.error)).toBe(true);
    expect(JSON.stringify((result.error as NodeExecutionError).state)).toContain(CANARY);
    expect(JSON.stringify(result.error)).not.toContain(CANARY);
  });
});

describe('a base URL with credentials is refused without being echoed', () => {
  it('every provider client', () => {
    const url = 'https://user:TOKEN-CANARY-99@llm.example.com/v1';
    const attempts = [
      () => new OpenAIClient({ model: 'm', apiKey: 'k', baseURL: url }),
      () => new OpenRouterClient({ model: 'm', apiKey: 'k', baseURL: url }),
      () =>
        new AzureOpenAIClient({ model: 'm', apiKey: 'k', endpoint: url, apiVersion: '2024-10-21' }),
      () => new AnthropicClient({ model: 'm', apiKey: 'k', baseURL: url }),
      () => new GeminiClient({ model: 'm', apiKey: 'k', baseURL: url }),
    ];
    for (const attempt of attempts) {
      const error = (() => {
        try {
          attempt();
        } catch (e) {
          return e;
        }
      })();
      expect(InvalidInputError.isInstance(error)).toBe(true);
      expect(
        JSON.stringify({ ...(error as object), message: (error as Error).message }),
      ).not.toContain('TOKEN-CANARY');
    }
  });
});

describe('stores are private by default', () => {
  it('a new SQLite store: folder 0700, file and WAL 0600; an existing file keeps its mode', async () => {
    const root = mkdtempSync(join(tmpdir(), 'arshai-private-'));
    try {
      const path = join(root, 'new-folder', 'memory.db');
      const memory = new SqliteMemoryManager({ path });
      await memory.store({ conversationId: 'c', type: 'long-term', content: 'x' });
      const mode = (p: string) => statSync(p).mode & 0o777;
      expect(mode(join(root, 'new-folder'))).toBe(0o700);
      expect(mode(path)).toBe(0o600);
      expect(mode(`${path}-wal`)).toBe(0o600);
      await memory.close();

      const existing = join(root, 'shared.db');
      writeFileSync(existing, '', { mode: 0o644 });
      const shared = new SqliteMemoryManager({ path: existing });
      await shared.store({ conversationId: 'c', type: 'long-term', content: 'x' });
      expect(mode(existing)).toBe(0o644);
      await shared.close();
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
