/** Marks the end of a workflow: route to `END` to finish. */
export const END = '__end__' as const;
export type End = typeof END;

/** Who the run is for. */
export interface UserContext {
  userId: string;
  /** ISO time of the last step. */
  lastActive: string;
  interactionCount: number;
}

/** A node failure recorded in the state. */
export interface WorkflowErrorRecord {
  node: string;
  step: number;
  name: string;
  message: string;
  retryable: boolean;
  at: string;
}

/**
 * The state every workflow carries (JSON-serialisable), plus the user's own fields `S`.
 * Nodes return partial updates; the engine maintains `currentStep`, `stepCount`,
 * `processingPath` and `userContext.lastActive`.
 */
export type WorkflowState<S extends object = object> = {
  userContext: UserContext;
  /** The node that ran last. */
  currentStep: string;
  /** Node executions so far. */
  stepCount: number;
  /** Nodes in the order they ran. */
  processingPath: string[];
  /** Outputs of agents and nodes, by name (merged key by key). */
  agentData: Record<string, unknown>;
  /** Working memories, by name (merged key by key). */
  workingMemories: Record<string, unknown>;
  errors: WorkflowErrorRecord[];
  /** The run's `inputData`. */
  input: unknown;
} & S;

/** What a node returns: the fields it changes. */
export type StateUpdate<S extends object = object> = Partial<WorkflowState<S>>;

/** Combines the current value of a key with a node's update of it. */
export type Reducer<V = unknown> = (current: V, update: V) => V;

/**
 * Reducers per key of the state, typed by the key's value: `{ items: (a, b) => [...a, ...b] }`.
 * A reducer runs whenever an update meets a defined current value, so parallel branches can
 * write its key in one step.
 */
export type Reducers<S extends object> = {
  [K in keyof WorkflowState<S> & string]?: Reducer<NonNullable<WorkflowState<S>[K]>>;
};

/** The fields the engine keeps: no node (nor a fork's edit) may write them. */
export const ENGINE_FIELDS: ReadonlySet<string> = new Set([
  'userContext',
  'currentStep',
  'stepCount',
  'processingPath',
  'input',
]);

/** Keys the engine merges key by key: parallel writes to one sub-key still conflict. */
export const MERGED_KEYS: ReadonlySet<string> = new Set(['agentData', 'workingMemories']);

/** The reducers every workflow has: `agentData` and `workingMemories` merge, `errors` append. */
export const DEFAULT_REDUCERS: Record<string, Reducer> = {
  agentData: (a, b) => ({ ...(a as object), ...(b as object) }),
  workingMemories: (a, b) => ({ ...(a as object), ...(b as object) }),
  errors: (a, b) => [...(a as unknown[]), ...(b as unknown[])],
};

/** The state a run starts with: the engine's fields, the caller's own, the input. */
export function initialState<S extends object>(
  input: { userId: string; inputData?: unknown; state?: Partial<S>; interactionCount?: number },
  now: string,
): WorkflowState<S> {
  return {
    ...input.state,
    userContext: {
      userId: input.userId,
      lastActive: now,
      interactionCount: input.interactionCount ?? 1,
    },
    currentStep: '',
    stepCount: 0,
    processingPath: [],
    agentData: {},
    workingMemories: {},
    errors: [],
    input: input.inputData,
  } as unknown as WorkflowState<S>;
}
