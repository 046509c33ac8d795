export {
  type GraphLayout,
  type LaidOutEdge,
  type LaidOutNode,
  layoutGraph,
} from './graph-layout.js';
export { type StateChange, stateChanges } from './state-diff.js';
export {
  StudioApi,
  type StudioApiOptions,
  type StudioRunList,
  type StudioRunner,
  type StudioRunRow,
  type StudioRunView,
  type StudioStep,
} from './studio-api.js';
export { createStudio, type Studio, type StudioOptions } from './studio-server.js';
