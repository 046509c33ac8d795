/**
 * The parts of the OpenTelemetry API that arshai uses, as structural types: pass the real
 * `Tracer` and `Meter` of `@opentelemetry/api` (arshai never imports it, registers nothing
 * and creates no span unless you pass a tracer).
 */

/** A span attribute value. */
export type AttributeValue = string | number | boolean | string[] | number[] | boolean[];

/** Attributes of a span, an event or a metric point. */
export type Attributes = Record<string, AttributeValue | undefined>;

/** A span's identity, as OpenTelemetry's `SpanContext`. */
export interface SpanContextLike {
  traceId: string;
  spanId: string;
  traceFlags: number;
  isRemote?: boolean;
}

/** The span methods arshai calls (OpenTelemetry's `Span`). */
export interface SpanLike {
  spanContext(): SpanContextLike;
  setAttribute(key: string, value: AttributeValue): unknown;
  setAttributes(attributes: Attributes): unknown;
  addEvent(name: string, attributes?: Attributes): unknown;
  setStatus(status: { code: number; message?: string }): unknown;
  recordException(exception: Error): unknown;
  end(): void;
  isRecording(): boolean;
}

/** OpenTelemetry's `Context`: an immutable map the SDK reads the parent span from. */
export interface ContextLike {
  getValue(key: symbol): unknown;
  setValue(key: symbol, value: unknown): ContextLike;
  deleteValue(key: symbol): ContextLike;
}

/** The tracer methods arshai calls (OpenTelemetry's `Tracer`). */
export interface TracerLike {
  startSpan(
    name: string,
    options?: { kind?: number; attributes?: Attributes },
    context?: ContextLike,
  ): SpanLike;
}

/** OpenTelemetry's `TracerProvider`: arshai takes its tracer named `arshai`. */
export interface TracerProviderLike {
  getTracer(name: string, version?: string): TracerLike;
}

/** A histogram (OpenTelemetry's `Histogram`). */
export interface HistogramLike {
  record(value: number, attributes?: Attributes): void;
}

/** The meter methods arshai calls (OpenTelemetry's `Meter`). */
export interface MeterLike {
  createHistogram(
    name: string,
    options?: {
      description?: string;
      unit?: string;
      advice?: { explicitBucketBoundaries?: number[] };
    },
  ): HistogramLike;
}

/**
 * Telemetry of a client or a runner: OpenTelemetry spans with the GenAI semantic
 * conventions' names and attributes, and metrics.
 *
 * @example
 * ```ts no-run
 * import { trace, metrics } from '@opentelemetry/api';
 * const client = new OpenAIClient({ model: 'gpt-4o-mini', telemetry: { tracer: trace.getTracer('my-app') } });
 * ```
 */
export interface TelemetryOptions {
  /** Where spans go: a `Tracer`, or a `TracerProvider`. @default none: no span is created */
  tracer?: TracerLike | TracerProviderLike;
  /** Where metrics go (`gen_ai.client.token.usage`, `gen_ai.client.operation.duration`, step durations). */
  meter?: MeterLike;
  /**
   * Record prompts, completions, tool arguments and results in spans. Off: none of them (nor
   * any API key) appears in any attribute or event.
   * @default false
   */
  recordContent?: boolean;
}
