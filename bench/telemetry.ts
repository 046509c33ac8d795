/**
 * Telemetry overhead: a 6-turn tool loop (5 tool calls, S3's shape) on BaseLLMClient over a
 * model that answers at once — without telemetry, and with a real OpenTelemetry SDK tracer
 * (BasicTracerProvider, SimpleSpanProcessor, an exporter that drops the spans: the SDK's own
 * cost, no I/O). Every run's answer and span count are checked. JSON on stdout.
 */
import { BasicTracerProvider, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import {
  BaseLLMClient,
  type ModelAdapter,
  type ModelRequest,
  type ModelResponse,
  tool,
} from 'arshai';
import { z } from 'zod';
import { measure } from './harness.ts';

const quick = process.argv.includes('--quick');
const warmup = quick ? 50 : 500;
const iterations = quick ? 200 : 3000;

class Instant implements ModelAdapter {
  readonly provider = 'fake';
  readonly model = 'fake';
  async generate(request: ModelRequest): Promise<ModelResponse> {
    const turn = request.messages.filter((m) => m.role === 'assistant').length + 1;
    if (turn <= 5)
      return {
        text: '',
        toolCalls: [{ id: `c${turn}`, name: 'add', arguments: JSON.stringify({ a: turn, b: 1 }) }],
        finishReason: 'tool-calls',
        usage: { inputTokens: 1, outputTokens: 1 },
      };
    return {
      text: 'done',
      toolCalls: [],
      finishReason: 'stop',
      usage: { inputTokens: 1, outputTokens: 1 },
    };
  }
  // biome-ignore lint/correctness/useYield: chat() only
  async *stream(): AsyncGenerator<never> {
    throw new Error('not used');
  }
}

const add = tool({
  description: 'Adds',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: async ({ a, b }) => a + b,
});
let exported = 0;
const provider = new BasicTracerProvider({
  spanProcessors: [
    new SimpleSpanProcessor({
      export: (spans, done) => {
        exported += spans.length;
        done({ code: 0 });
      },
      shutdown: async () => {},
    }),
  ],
});
const plain = new BaseLLMClient(new Instant(), { model: 'fake' });
const traced = new BaseLLMClient(
  new Instant(),
  { model: 'fake' },
  { telemetry: { tracer: provider.getTracer('bench') } },
);
const input = { systemPrompt: 's', userMessage: 'u', tools: { add } };
const SPANS_PER_CALL = 6 + 5; // six model calls, five tool calls

async function once(client: BaseLLMClient): Promise<void> {
  const { llmResponse } = await client.chat(input);
  if (llmResponse !== 'done') throw new Error(`unexpected answer ${llmResponse}`);
}

const off = await measure(() => once(plain), warmup, iterations);
const before = exported;
const on = await measure(() => once(traced), warmup, iterations);
const spans = exported - before;
if (spans !== (warmup + iterations) * SPANS_PER_CALL)
  throw new Error(`expected ${(warmup + iterations) * SPANS_PER_CALL} spans, got ${spans}`);
process.stdout.write(
  JSON.stringify({
    iterations,
    spansPerCall: SPANS_PER_CALL,
    off,
    on,
    perSpanUs: (on.median - off.median) / SPANS_PER_CALL,
  }),
);
