/**
 * What each provider supplies to the shared wire-level suite: a client factory, scripted
 * replies in the provider's documented wire format, and checks of the requests we sent.
 */
import { type LLMClient, type LLMStreamEvent, type RetryOptions, tool, type Usage } from 'arshai';
import { z } from 'zod';
import type { Reply } from './fake-server.js';

// biome-ignore lint/suspicious/noExplicitAny: request bodies are free-form JSON in assertions
export type Json = any;

export interface ClientOptions {
  retry?: RetryOptions | false;
  temperature?: number;
  extraBody?: Record<string, unknown>;
  /** The per-request HTTP timeout every client takes. */
  timeoutMs?: number;
}

export interface ProviderFixture {
  name: string;
  client(url: string, options: ClientOptions): LLMClient;
  /** Checks method/path/auth of a request. */
  checkRoute(
    request: { method: string; path: string; headers: Record<string, unknown> },
    streamed: boolean,
  ): void;
  /** A non-streamed answer `text`, reporting `textUsage`. */
  text(text: string): Reply;
  textUsage: Partial<Usage>;
  /** Checks a request for system prompt 'SYS', user message 'Hello', temperature 0.3. */
  checkTextRequest(body: Json): void;
  streamText(chunks: string[]): Reply;
  /** What one streamed turn (`streamText`, `streamTwoToolCalls`) reports as usage. */
  streamUsage: Omit<Usage, 'provider' | 'model'>;
  /** Two calls, get_weather {city:'Paris'} and get_time {zone:'CET'}, argument deltas interleaved. */
  streamTwoToolCalls(): Reply;
  /** Index in `streamTwoToolCalls().sse` before which the first call is complete. */
  firstCallCompleteBefore: number;
  /** The same two calls in one non-streamed response. */
  twoToolCalls(): Reply;
  nativeIds: [string, string];
  /** Checks the follow-up request: the assistant's calls with native ids, then both results. */
  checkFollowUp(body: Json, results: [string, string]): void;
  /** Checks that the result of call `nativeIds[1]` went back as an error with `text`. */
  checkErrorResult(body: Json, text: string): void;
  structured(value: unknown): Reply;
  checkStructuredRequest(body: Json): void;
  checkImage(body: Json, base64: string): void;
  checkPdf(body: Json, base64: string): void;
  /** A provider-specific body field, passed as `extraBody` and expected in the request. */
  extraBody: Record<string, unknown>;
  /** `headers` may carry `retry-after` (seconds): providers put the wait where they do. */
  error(status: number, headers?: Record<string, string>): Reply;
  /** The request id `error()` replies carry, when the provider sends one. */
  errorRequestId?: string;
  /** A stream whose first event is a retryable error the API reports inside the stream. */
  streamError(): Reply;
  /** A stream that sends a first event, then the connection drops. */
  cutStream(): Reply;
  malformedStream(): Reply;
}

export const weather = tool({
  description: 'Weather of a city',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => {
    await new Promise((r) => setTimeout(r, 30));
    return `${city}: sunny`;
  },
});

export const time = tool({
  description: 'Time in a zone',
  parameters: z.object({ zone: z.string() }),
  execute: async ({ zone }) => {
    await new Promise((r) => setTimeout(r, 30));
    return `${zone}: 12:00`;
  },
});

export async function collect(events: AsyncIterable<LLMStreamEvent>): Promise<LLMStreamEvent[]> {
  const out: LLMStreamEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

/** The first bytes of a PNG, base64. */
export const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13,
]).toString('base64');

/** The first bytes of a PDF, base64. */
export const PDF = Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n').toString('base64');

export const input = {
  systemPrompt: 'SYS',
  userMessage: 'Hello',
  extraHeaders: { 'x-trace': 't-1' },
};
