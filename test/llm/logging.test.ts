import { type Logger, ProviderError, tool } from 'arshai';
import { ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';

function capture(): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = (level: string) => (message: string, fields?: Record<string, unknown>) =>
    lines.push(`${level} ${message} ${JSON.stringify(fields ?? {})}`);
  return {
    lines,
    logger: { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') },
  };
}

describe('logging', () => {
  it('reports retries and failed background tasks without prompts, arguments or errors texts', async () => {
    const { logger, lines } = capture();
    const leak = tool({
      description: 'fails',
      parameters: z.object({ card: z.string() }),
      execute: ({ card }) => {
        throw new Error(`declined ${card}`);
      },
    });
    const llm = new ScriptedLLMClient(
      [
        { error: new ProviderError('busy', { provider: 'scripted', status: 503 }) },
        { toolCalls: [{ name: 'leak', args: { card: 'SECRET-4242' } }] },
        { text: 'ok' },
      ],
      { logger, retry: { initialDelayMs: 1 } },
    );
    await llm.chat({
      systemPrompt: 'SECRET-PROMPT',
      userMessage: 'SECRET-MESSAGE',
      backgroundTasks: { leak },
    });
    await llm.waitForBackgroundTasks(1_000);
    expect(lines.some((l) => l.startsWith('warn arshai: retrying model call'))).toBe(true);
    expect(lines.some((l) => l.startsWith('warn arshai: background task failed'))).toBe(true);
    expect(lines.join('\n')).not.toMatch(/SECRET/);
  });

  it('is silent by default: importing and using arshai writes nothing to the console', async () => {
    const written: string[] = [];
    const original = {
      log: console.log,
      warn: console.warn,
      error: console.error,
      info: console.info,
    };
    for (const k of Object.keys(original) as Array<keyof typeof original>) {
      console[k] = (...args: unknown[]) => written.push(args.join(' '));
    }
    try {
      const llm = new ScriptedLLMClient(
        [
          { error: new ProviderError('busy', { provider: 'scripted', status: 503 }) },
          { text: 'ok' },
        ],
        { retry: { initialDelayMs: 1 } },
      );
      await llm.chat({ systemPrompt: 's', userMessage: 'm' });
    } finally {
      Object.assign(console, original);
    }
    expect(written).toEqual([]);
  });
});
