import type { AgentInput } from '../agents/agent.js';

/**
 * An agent's output as the next agent's message: strings as they are, everything else as
 * JSON (never `[object Object]`).
 */
export function outputToMessage(output: unknown): string {
  if (typeof output === 'string') return output;
  if (output === undefined) return '';
  try {
    return JSON.stringify(output) ?? String(output);
  } catch {
    return String(output);
  }
}

/** A pattern used as an agent: the input's signal and metadata as the pattern's options. */
export function agentOptions(input: AgentInput): {
  signal?: AbortSignal | undefined;
  metadata?: Record<string, unknown>;
} {
  return {
    ...(input.signal ? { signal: input.signal } : {}),
    ...(input.metadata ? { metadata: input.metadata } : {}),
  };
}

/** An error value as an `Error` (keeping it when it is one). */
export function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
