export { GEN_AI, GEN_AI_METRICS } from './gen-ai.js';
export type {
  Attributes,
  AttributeValue,
  ContextLike,
  HistogramLike,
  MeterLike,
  SpanContextLike,
  SpanLike,
  TelemetryOptions,
  TracerLike,
  TracerProviderLike,
} from './telemetry-types.js';
