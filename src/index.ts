/**
 * arshai — LLM clients (layer 1), agents (layer 2) and orchestration (layer 3).
 * @packageDocumentation
 */
export * from './agents/index.js';
export * from './errors/index.js';
export * from './llm/index.js';
export * from './memory/index.js';
export * from './orchestration/index.js';
export * from './resilience/index.js';
export * from './telemetry/index.js';
export * from './utils/index.js';
export * from './workflows/index.js';
