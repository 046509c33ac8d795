/**
 * `arshai/adapter-kit`: what you need to write your own provider (a `ModelAdapter` for
 * `BaseLLMClient`) — JSON Schema of tools, usage arithmetic, config picking, HTTP status
 * retryability, media sniffing and the abort helpers the built-in adapters use.
 * @packageDocumentation
 */
export { isRetryableStatus } from '../errors/provider-error.js';
export {
  dropNullProperties,
  isZodSchema,
  toJsonSchema,
  toStrictJsonSchema,
} from '../llm/json-schema.js';
export { pickLLMConfig } from '../llm/llm-config.js';
export { toolOutputText } from '../llm/tool-execution.js';
export { addUsage, emptyUsage, reportsUsage } from '../llm/usage.js';
export {
  abortErrorFrom,
  type Deadline,
  deadline,
  type LinkedController,
  linkedController,
  neverAborts,
  raceAbort,
  sleep,
  throwIfAborted,
} from '../utils/abort.js';
export { createLimiter, type Limiter } from '../utils/limiter.js';
export { type Media, parseMedia } from '../utils/media.js';
