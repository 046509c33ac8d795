import type {
  ModelAdapter,
  ModelRequest,
  ModelResponse,
  ModelStreamPart,
} from '../llm/model-adapter.js';

/** Totals a `CountingAdapter` keeps. */
export interface ModelCounts {
  modelCalls: number;
  toolCalls: number;
  inputTokens: number;
  outputTokens: number;
}

/** Wraps a model adapter and counts calls, requested tool calls and tokens. */
export class CountingAdapter implements ModelAdapter {
  readonly provider: string;
  readonly model: string;
  readonly counts: ModelCounts = { modelCalls: 0, toolCalls: 0, inputTokens: 0, outputTokens: 0 };
  readonly #inner: ModelAdapter;

  constructor(inner: ModelAdapter) {
    this.#inner = inner;
    this.provider = inner.provider;
    this.model = inner.model;
  }

  async generate(request: ModelRequest): Promise<ModelResponse> {
    this.counts.modelCalls++;
    const response = await this.#inner.generate(request);
    this.counts.toolCalls += response.toolCalls.length;
    this.counts.inputTokens += response.usage?.inputTokens ?? 0;
    this.counts.outputTokens += response.usage?.outputTokens ?? 0;
    return response;
  }

  async *stream(request: ModelRequest): AsyncGenerator<ModelStreamPart> {
    this.counts.modelCalls++;
    for await (const part of this.#inner.stream(request)) {
      if (part.type === 'tool-call') this.counts.toolCalls++;
      if (part.type === 'usage') {
        this.counts.inputTokens += part.usage.inputTokens ?? 0;
        this.counts.outputTokens += part.usage.outputTokens ?? 0;
      }
      yield part;
    }
  }
}
