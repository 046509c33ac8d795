export {
  type BatchItemResult,
  type BatchOptions,
  BatchProcessor,
  type WorkflowRunnable,
} from './batch-processor.js';
export {
  type Checkpoint,
  type Checkpointer,
  type ListRunsOptions,
  type PendingWrite,
  type PruneOptions,
  type Retention,
  RUN_STATUSES,
  type RunStatus,
  type RunSummary,
} from './checkpointer.js';
export { CompiledWorkflow, type Join } from './compiled-workflow.js';
export { type FallbackResult, FallbackWorkflow } from './fallback-workflow.js';
export {
  type GraphEdge,
  type GraphEdgeKind,
  type GraphModel,
  type GraphModelNode,
  graphModel,
} from './graph-model.js';
export { InMemoryCheckpointer } from './in-memory-checkpointer.js';
export { toMermaid } from './mermaid.js';
export { cancelRun, claimRun, type RunControlOptions } from './run-claim.js';
export type {
  ExecuteWorkflowInput,
  ForkOptions,
  RecoverOptions,
  RecoverReport,
  ResumeOptions,
  RunPosition,
  RunStepOptions,
  StepRun,
  WorkflowRunnerOptions,
} from './runner-options.js';
export { SqliteCheckpointer, type SqliteCheckpointerOptions } from './sqlite-checkpointer.js';
export type { MigrateState, StateSchemaType } from './state-schema.js';
export { RouteError } from './step-routes.js';
export type { StreamMode } from './stream-modes.js';
export {
  CheckpointError,
  IncompatibleRunError,
  InvalidNodeUpdateError,
  NodeExecutionError,
  ReducerError,
  RunConflictError,
  RunNotFoundError,
  StateConflictError,
  type StateIssue,
  StateValidationError,
  StepLimitExceededError,
  StoredRunError,
  WorkflowRunError,
  WorkflowValidationError,
} from './workflow-errors.js';
export type { WorkflowEvent, WorkflowResult, WorkflowResultBase } from './workflow-events.js';
export {
  type CompileOptions,
  type PathMap,
  type RouteResult,
  WorkflowGraph,
  type WorkflowGraphOptions,
} from './workflow-graph.js';
export {
  AgentNode,
  type AgentNodeOptions,
  type NodeContext,
  type NodeFunction,
  type NodeObject,
  type NodeOptions,
  type WorkflowNode,
} from './workflow-node.js';
export { WorkflowRunner } from './workflow-runner.js';
export {
  END,
  type Reducer,
  type Reducers,
  type StateUpdate,
  type UserContext,
  type WorkflowErrorRecord,
  type WorkflowState,
} from './workflow-state.js';
