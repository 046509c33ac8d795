export {
  BackgroundTasks,
  type BackgroundTasksOptions,
} from './background-tasks.js';
export { BaseLLMClient, type LLMClientOptions } from './base-llm-client.js';
export {
  type Budget,
  BudgetExceededError,
  type BudgetLimit,
  type Spent,
  withBudget,
} from './budget.js';
export type {
  BuiltinTool,
  BuiltinToolCall,
  BuiltinToolCallRecord,
  Citation,
  Source,
} from './builtin-tools.js';
export {
  type FallbackEvent,
  FallbackLLMClient,
  type FallbackLLMClientOptions,
} from './fallback-llm-client.js';
export type {
  GuardrailContext,
  GuardrailEvent,
  GuardrailVerdict,
  InputGuardrail,
  OutputGuardrail,
  ToolGuardrails,
} from './guardrails.js';
export type { JsonSchema } from './json-schema.js';
export type {
  BackgroundTaskReport,
  BackgroundTasksSummary,
  LLMClient,
} from './llm-client.js';
export type { LLMConfig } from './llm-config.js';
export type { LLMInput } from './llm-input.js';
export type { FinishDetails, FinishReason, LLMResult, ToolCallRecord } from './llm-result.js';
export {
  hasToolCall,
  type LoopHooks,
  type StepFinish,
  type StopCondition,
  type StopState,
  stepCountIs,
} from './loop-hooks.js';
export { MaxTurnsExceededError } from './max-turns-exceeded-error.js';
export type {
  AssistantMessage,
  ContentPart,
  Message,
  ToolCall,
  ToolMessage,
  UserMessage,
} from './message.js';
export type {
  ModelAdapter,
  ModelRequest,
  ModelResponse,
  ModelStreamPart,
  ToolSpec,
} from './model-adapter.js';
export { findPrice, type ModelPrice, type Pricing } from './pricing.js';
export type { LLMStreamEvent } from './stream-event.js';
export { StructuredOutputError } from './structured-output-error.js';
export { type Tool, type ToolArgsCheck, type ToolContext, type ToolOptions, tool } from './tool.js';
export type { ApprovalDecision, ApprovalState, PendingApproval } from './tool-approval.js';
export type { Usage, UsageDelta } from './usage.js';
