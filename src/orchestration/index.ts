export {
  DynamicRouter,
  type DynamicRouterOptions,
  type RouteDecision,
} from './dynamic-router.js';
export {
  type EventDrivenOptions,
  EventDrivenOrchestrator,
  type EventHandler,
  type EventInput,
  type OrchestrationEvent,
} from './event-driven-orchestrator.js';
export { type HierarchicalOptions, HierarchicalOrchestrator } from './hierarchical-orchestrator.js';
export {
  type AgentAttemptError,
  AllAgentsFailedError,
  MaxEventsExceededError,
  PipelineStageError,
} from './orchestration-errors.js';
export {
  AgentFailure,
  type ParallelOptions,
  ParallelOrchestrator,
  type ParallelResult,
} from './parallel-orchestrator.js';
export {
  type RobustOptions,
  RobustOrchestrator,
  type RobustResult,
} from './robust-orchestrator.js';
export { type PipelineOptions, type PipelineOutput, SimplePipeline } from './simple-pipeline.js';
export {
  type HistoryEntry,
  type OrchestrationState,
  StatefulOrchestrator,
  type StatefulOrchestratorOptions,
} from './stateful-orchestrator.js';
