import type { Message, ToolCall } from '../llm/message.js';
import type {
  ModelAdapter,
  ModelRequest,
  ModelResponse,
  ModelStreamPart,
} from '../llm/model-adapter.js';
import { sleep } from '../utils/abort.js';

/** What a rule of the offline model answers: text, tool calls, or both. */
export interface OfflineReply {
  text?: string;
  toolCalls?: Array<{ name: string; args: Record<string, unknown> }>;
}

/** One rule: when `match` holds for a request, `reply` answers it. First match wins. */
export interface OfflineRule {
  name: string;
  match: (request: ModelRequest) => boolean;
  reply: (request: ModelRequest) => OfflineReply;
}

/** Options of {@link OfflineModel}. */
export interface OfflineModelOptions {
  rules: OfflineRule[];
  /**
   * Simulated latency per call, so progress output is readable.
   * @default 0
   */
  latencyMs?: number;
  /** @default 'offline-rules' */
  model?: string;
}

/**
 * A deterministic, offline `ModelAdapter` that answers by explicit rules. Everything around
 * it — the tool loop, tools, validation, checkpoints — runs for real; only the model's
 * decisions are simulated. Token counts are estimated (4 characters per token).
 *
 * @example
 * ```ts
 * const model = new OfflineModel({
 *   rules: [{ name: 'greet', match: () => true, reply: () => ({ text: 'Hello!' }) }],
 * });
 * ```
 */
export class OfflineModel implements ModelAdapter {
  readonly provider = 'offline';
  readonly model: string;
  readonly #rules: OfflineRule[];
  readonly #latencyMs: number;
  #calls = 0;

  constructor(options: OfflineModelOptions) {
    this.#rules = options.rules;
    this.#latencyMs = options.latencyMs ?? 0;
    this.model = options.model ?? 'offline-rules';
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    if (this.#latencyMs) await sleep(this.#latencyMs, request.signal);
    const rule = this.#rules.find((r) => r.match(request));
    const reply: OfflineReply = rule
      ? rule.reply(request)
      : { text: 'I am a simulated offline model and have no rule for this request.' };
    const call = ++this.#calls;
    const toolCalls: ToolCall[] = (reply.toolCalls ?? []).map((c, i) => ({
      id: `call_${call}_${i + 1}`,
      name: c.name,
      arguments: JSON.stringify(c.args),
    }));
    const text = reply.text ?? '';
    return {
      text,
      toolCalls,
      usage: {
        inputTokens:
          estimateTokens(request.systemPrompt) + request.messages.reduce(messageTokens, 0),
        outputTokens:
          estimateTokens(text) + toolCalls.reduce((n, c) => n + estimateTokens(c.arguments), 0),
      },
      finishReason: toolCalls.length ? 'tool-calls' : 'stop',
    };
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    const response = await this.generate(request);
    for (const word of response.text.match(/\S+\s*/g) ?? [])
      yield { type: 'text-delta', text: word };
    for (const toolCall of response.toolCalls) yield { type: 'tool-call', toolCall };
    if (response.usage) yield { type: 'usage', usage: response.usage };
    yield { type: 'finish', finishReason: response.finishReason };
  }
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

function messageTokens(sum: number, message: Message): number {
  const content = message.content;
  return sum + estimateTokens(typeof content === 'string' ? content : JSON.stringify(content));
}

/** The text of the last user message of a request. */
export function lastUserText(request: ModelRequest): string {
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (m?.role === 'user') {
      return typeof m.content === 'string'
        ? m.content
        : m.content.map((p) => (p.type === 'text' ? p.text : '')).join(' ');
    }
  }
  return '';
}

/** Tool results the model has received since the last user message. */
export function toolResults(request: ModelRequest): Array<{ name: string; content: string }> {
  const out: Array<{ name: string; content: string }> = [];
  for (let i = request.messages.length - 1; i >= 0; i--) {
    const m = request.messages[i];
    if (!m || m.role === 'user') break;
    if (m.role === 'tool') out.unshift({ name: m.toolName, content: m.content });
  }
  return out;
}
