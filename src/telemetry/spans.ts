import { asyncContext } from '../utils/async-context.js';
import { Pause } from '../utils/pause.js';
import type {
  Attributes,
  ContextLike,
  HistogramLike,
  MeterLike,
  SpanContextLike,
  SpanLike,
  TelemetryOptions,
  TracerLike,
} from './telemetry-types.js';

/** OpenTelemetry's key of the span in a context (`createContextKey` is `Symbol.for`). */
const SPAN_KEY = Symbol.for('OpenTelemetry Context Key SPAN');

/** Span kinds and status codes, as OpenTelemetry numbers them. */
export const SPAN_KIND = { INTERNAL: 0, CLIENT: 2 } as const;
const STATUS_ERROR = 2;

/** A minimal immutable OpenTelemetry context holding one parent span. */
class ParentContext implements ContextLike {
  readonly #values: Map<symbol, unknown>;
  constructor(values: Map<symbol, unknown>) {
    this.#values = values;
  }
  getValue(key: symbol): unknown {
    return this.#values.get(key);
  }
  setValue(key: symbol, value: unknown): ContextLike {
    return new ParentContext(new Map(this.#values).set(key, value));
  }
  deleteValue(key: symbol): ContextLike {
    const values = new Map(this.#values);
    values.delete(key);
    return new ParentContext(values);
  }
}

/**
 * The telemetry to use: `undefined` when it has neither a tracer nor a meter (nothing is
 * done then), and a `TracerProvider` turned into its `arshai` tracer.
 */
export function resolveTelemetry(
  telemetry: TelemetryOptions | undefined,
): (TelemetryOptions & { tracer?: TracerLike }) | undefined {
  if (!telemetry?.tracer && !telemetry?.meter) return undefined;
  const { tracer } = telemetry;
  if (tracer && !('startSpan' in tracer) && typeof tracer.getTracer === 'function') {
    return { ...telemetry, tracer: tracer.getTracer('arshai') };
  }
  return telemetry as TelemetryOptions & { tracer?: TracerLike };
}

/** The span the current work runs under (so a model call inside a node is its child). */
const current = asyncContext<SpanLike>();

/** Runs `work` with `span` as the parent of the spans it starts. */
export function inSpan<T>(span: SpanLike | undefined, work: () => T): T {
  return span ? current.run(span, work) : work();
}

/** The span the current work runs under, if any. */
export function currentSpan(): SpanLike | undefined {
  return current.getStore();
}

/**
 * Starts a span as a child of `parent` (or of the span the current work runs under; with
 * neither, of whatever context the tracer's SDK considers active). `undefined` without a
 * tracer: nothing is created.
 */
export function startSpan(
  telemetry: TelemetryOptions | undefined,
  name: string,
  attributes: Attributes,
  options: { kind?: number; parent?: SpanLike | undefined } = {},
): SpanLike | undefined {
  const tracer = telemetry?.tracer as TracerLike | undefined;
  if (!tracer) return undefined;
  const parent = options.parent ?? current.getStore();
  const spanOptions = { kind: options.kind ?? SPAN_KIND.INTERNAL, attributes: defined(attributes) };
  return parent
    ? tracer.startSpan(name, spanOptions, new ParentContext(new Map([[SPAN_KEY, parent]])))
    : tracer.startSpan(name, spanOptions);
}

/** Ends a span: with an error, its status is ERROR and the (typed, masked) error is recorded. */
export function endSpan(span: SpanLike | undefined, error?: unknown): void {
  if (!span) return;
  // Work that stops to wait for someone (an approval) did not fail.
  if (Pause.isInstance(error)) span.setAttribute('arshai.paused', true);
  else if (error !== undefined) {
    const e = error instanceof Error ? error : new Error(String(error));
    span.setAttribute('error.type', e.name);
    span.setStatus({ code: STATUS_ERROR, message: e.message });
    span.recordException(e);
  }
  span.end();
}

/** Attributes without the undefined ones. */
export function defined(attributes: Attributes): Attributes {
  const out: Attributes = {};
  for (const key in attributes) if (attributes[key] !== undefined) out[key] = attributes[key];
  return out;
}

/** A W3C `traceparent` of a span, to continue its trace in another process. */
export function traceparentOf(span: SpanLike | undefined): string | undefined {
  const c = span?.spanContext();
  if (!c || !/^[0-9a-f]{32}$/.test(c.traceId) || /^0+$/.test(c.traceId)) return undefined;
  return `00-${c.traceId}-${c.spanId}-${(c.traceFlags & 1).toString(16).padStart(2, '0')}`;
}

/** A remote parent from a `traceparent`, for the first span of a run continued elsewhere. */
export function remoteParent(traceparent: string | undefined): SpanLike | undefined {
  const m = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/.exec(traceparent ?? '');
  if (!m) return undefined;
  const context: SpanContextLike = {
    traceId: m[1] as string,
    spanId: m[2] as string,
    traceFlags: Number.parseInt(m[3] as string, 16),
    isRemote: true,
  };
  return {
    spanContext: () => context,
    setAttribute: () => undefined,
    setAttributes: () => undefined,
    addEvent: () => undefined,
    setStatus: () => undefined,
    recordException: () => undefined,
    end: () => undefined,
    isRecording: () => false,
  };
}

/** Histograms by name, made once per meter. */
const histograms = new WeakMap<MeterLike, Map<string, HistogramLike>>();

/** Records a metric point, when a meter is given. */
export function recordMetric(
  telemetry: TelemetryOptions | undefined,
  name: string,
  unit: string,
  value: number,
  attributes: Attributes,
): void {
  const meter = telemetry?.meter;
  if (!meter) return;
  const byName = histograms.get(meter) ?? new Map<string, HistogramLike>();
  histograms.set(meter, byName);
  let histogram = byName.get(name);
  if (!histogram) {
    histogram = meter.createHistogram(name, { unit });
    byName.set(name, histogram);
  }
  histogram.record(value, defined(attributes));
}
