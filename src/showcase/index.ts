export { CountingAdapter, type ModelCounts } from './counting-adapter.js';
export {
  OfflineModel,
  type OfflineModelOptions,
  type OfflineReply,
  type OfflineRule,
} from './offline-model.js';
export { OFFLINE_RULES } from './offline-rules.js';
export { loadSupportData, type Order, type SupportData } from './support-data.js';
export {
  buildSupportWorkflow,
  SUPPORT_WORKFLOW,
  type SupportDeps,
  type SupportState,
} from './support-workflow.js';
