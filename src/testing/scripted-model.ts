import { ArshaiError } from '../errors/arshai-error.js';
import type { BuiltinTool, BuiltinToolCall, Citation } from '../llm/builtin-tools.js';
import type { JsonSchema } from '../llm/json-schema.js';
import type { LLMConfig } from '../llm/llm-config.js';
import type { FinishReason } from '../llm/llm-result.js';
import type { Message, ToolCall } from '../llm/message.js';
import type {
  ModelAdapter,
  ModelRequest,
  ModelResponse,
  ModelStreamPart,
  ToolSpec,
} from '../llm/model-adapter.js';
import type { UsageDelta } from '../llm/usage.js';
import { sleep } from '../utils/abort.js';

/** A tool call the scripted model makes. */
export interface ScriptedToolCall {
  name: string;
  /** Arguments as an object (sent as JSON) or as raw text (e.g. deliberately invalid JSON). */
  args?: unknown;
  /** The call id. @default `call_<turn>_<index>` */
  id?: string;
}

/**
 * One scripted model turn. Combine fields freely: text with tool calls, an object for
 * structured output, an error to throw, delays, and how a reply splits into stream chunks.
 */
export interface ScriptStep {
  /** The answer text. */
  text?: string;
  /** How `text` arrives when streamed. @default the whole text in one chunk */
  chunks?: string[];
  /** Reasoning text the model reports. */
  reasoning?: string;
  /** Tool calls of this turn. */
  toolCalls?: ScriptedToolCall[];
  /** Calls of built-in tools the "provider" ran in this turn (a web search). */
  builtinToolCalls?: BuiltinToolCall[];
  /** Sources the text cites. */
  citations?: Citation[];
  /** A structured answer: sent as its JSON text. */
  object?: unknown;
  /** Thrown by the call (after `delayMs`, and after `errorAfterParts` parts when streamed). */
  error?: Error;
  /** When streamed, throw `error` after this many parts (a stream cut mid-way). */
  errorAfterParts?: number;
  /** Wait before answering (abortable). */
  delayMs?: number;
  /** Wait between stream parts (abortable). */
  partDelayMs?: number;
  /** @default { inputTokens: 10, outputTokens: 5 } */
  usage?: UsageDelta;
  /** @default 'tool-calls' when the step has tool calls, else 'stop' */
  finishReason?: FinishReason;
}

/** A step, or a function computing it from the request (for dynamic scripts). */
export type ScriptEntry = ScriptStep | ((call: RecordedCall) => ScriptStep | Promise<ScriptStep>);

/** What the scripted model received in one call: a snapshot, safe to inspect later. */
export interface RecordedCall {
  /** 1-based number of the call. */
  index: number;
  streamed: boolean;
  systemPrompt: string;
  messages: Message[];
  tools: Array<Pick<ToolSpec, 'name' | 'description' | 'parameters'>>;
  responseFormat: JsonSchema | undefined;
  /** The built-in tools the call was given. */
  builtinTools: BuiltinTool[];
  config: LLMConfig;
  headers: Record<string, string> | undefined;
  /** When the call started and ended (`performance.now()` milliseconds). */
  startedAt: number;
  endedAt: number | undefined;
}

/** The scripted model was called more times than it has steps. */
export class UnexpectedModelCallError extends ArshaiError {
  static override readonly code: string = 'UnexpectedModelCallError';

  constructor(callNumber: number, steps: number) {
    super(`Unexpected model call #${callNumber}: the script has only ${steps} step(s)`);
  }
}

/**
 * A model adapter that plays a script, for tests. It records every call and complains about
 * calls past the end of the script.
 *
 * @example
 * ```ts
 * const model = new ScriptedModel([{ toolCalls: [{ name: 'add', args: { a: 1, b: 2 } }] }, { text: '3' }]);
 * ```
 */
export class ScriptedModel implements ModelAdapter {
  readonly provider: string;
  readonly model: string;
  /** Takes built-in tools (recorded in `calls`), as a provider with tools of its own does. */
  readonly builtinTools = true;
  /** Every call received, in order. */
  readonly calls: RecordedCall[] = [];
  readonly #steps: ScriptEntry[];
  #next = 0;
  #total: number;

  constructor(steps: ScriptEntry[], options: { provider?: string; model?: string } = {}) {
    this.#steps = [...steps];
    this.#total = steps.length;
    this.provider = options.provider ?? 'scripted';
    this.model = options.model ?? 'scripted-model';
  }

  /** Adds steps at the end of the script. */
  push(...steps: ScriptEntry[]): void {
    this.#steps.push(...steps);
    this.#total += steps.length;
  }

  /** Steps not consumed yet. */
  get remaining(): number {
    return this.#steps.length - this.#next;
  }

  /** Throws when some scripted steps were never consumed. */
  assertConsumed(): void {
    if (this.remaining > 0) {
      throw new Error(
        `The script has ${this.remaining} unconsumed step(s) of ${this.#total} (${this.#next} used)`,
      );
    }
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    const { step, call, turn } = await this.#take(request, false);
    try {
      if (step.delayMs) await sleep(step.delayMs, request.signal);
      if (step.error) throw step.error;
      const toolCalls = toToolCalls(step, turn);
      return {
        text: answerText(step),
        ...(step.reasoning ? { reasoning: step.reasoning } : {}),
        ...(step.citations ? { citations: step.citations } : {}),
        ...(step.builtinToolCalls ? { builtinToolCalls: step.builtinToolCalls } : {}),
        toolCalls,
        usage: step.usage ?? { inputTokens: 10, outputTokens: 5 },
        finishReason: step.finishReason ?? (toolCalls.length ? 'tool-calls' : 'stop'),
      };
    } finally {
      call.endedAt = performance.now();
    }
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    const { step, call, turn } = await this.#take(request, true);
    try {
      if (step.delayMs) await sleep(step.delayMs, request.signal);
      if (step.error && step.errorAfterParts === undefined) throw step.error;
      const parts = streamParts(step, turn);
      for (let i = 0; i < parts.length; i++) {
        if (step.error && i === step.errorAfterParts) throw step.error;
        if (i > 0 && step.partDelayMs) await sleep(step.partDelayMs, request.signal);
        yield parts[i] as ModelStreamPart;
      }
      if (step.error) throw step.error;
    } finally {
      call.endedAt = performance.now();
    }
  }

  async #take(request: ModelRequest, streamed: boolean) {
    const index = this.calls.length + 1;
    const call: RecordedCall = {
      index,
      streamed,
      systemPrompt: request.systemPrompt,
      messages: structuredClone(request.messages),
      tools: request.tools.map(({ name, description, parameters }) => ({
        name,
        description,
        parameters,
      })),
      responseFormat: request.responseFormat?.schema,
      builtinTools: structuredClone(request.builtinTools ?? []),
      config: request.config,
      headers: request.headers,
      startedAt: performance.now(),
      endedAt: undefined,
    };
    this.calls.push(call);
    const entry = this.#steps[this.#next];
    if (entry === undefined) throw new UnexpectedModelCallError(index, this.#total);
    this.#next++;
    const step = typeof entry === 'function' ? await entry(call) : entry;
    return { step, call, turn: index };
  }
}

function answerText(step: ScriptStep): string {
  if (step.object !== undefined) return JSON.stringify(step.object);
  return step.text ?? step.chunks?.join('') ?? '';
}

function toToolCalls(step: ScriptStep, turn: number): ToolCall[] {
  return (step.toolCalls ?? []).map((c, i) => ({
    id: c.id ?? `call_${turn}_${i + 1}`,
    name: c.name,
    arguments: typeof c.args === 'string' ? c.args : JSON.stringify(c.args ?? {}),
  }));
}

function streamParts(step: ScriptStep, turn: number): ModelStreamPart[] {
  const parts: ModelStreamPart[] = [];
  if (step.reasoning) parts.push({ type: 'reasoning-delta', text: step.reasoning });
  for (const call of step.builtinToolCalls ?? []) parts.push({ type: 'builtin-tool-call', call });
  const text = answerText(step);
  const chunks = step.chunks ?? (text ? [text] : []);
  for (const chunk of chunks) parts.push({ type: 'text-delta', text: chunk });
  for (const citation of step.citations ?? []) parts.push({ type: 'citation', citation });
  toToolCalls(step, turn).forEach((call, index) => {
    parts.push({
      type: 'tool-call-delta',
      index,
      id: call.id,
      name: call.name,
      argumentsDelta: '',
    });
    parts.push({ type: 'tool-call-delta', index, argumentsDelta: call.arguments });
    parts.push({ type: 'tool-call', toolCall: call });
  });
  parts.push({ type: 'usage', usage: step.usage ?? { inputTokens: 10, outputTokens: 5 } });
  parts.push({
    type: 'finish',
    finishReason: step.finishReason ?? (step.toolCalls?.length ? 'tool-calls' : 'stop'),
  });
  return parts;
}
