export { NoWorkerError } from './queue-errors.js';
export type { QueueConnection, QueueSideOptions, StepJobData } from './step-jobs.js';
export {
  type QueuedRun,
  type QueueStartInput,
  WorkflowQueue,
  type WorkflowQueueOptions,
} from './workflow-queue.js';
export { type WorkflowMap, WorkflowWorker, type WorkflowWorkerOptions } from './workflow-worker.js';
