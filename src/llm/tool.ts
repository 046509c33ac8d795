import type { ZodType } from 'zod/v4';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { checkGuardrails, type ToolGuardrails } from './guardrails.js';
import {
  checkSchema,
  dropNullProperties,
  isZodSchema,
  type JsonSchema,
  toJsonSchema,
  toStrictJsonSchema,
} from './json-schema.js';
import { validateJsonSchema } from './validate-json-schema.js';

/** What a tool's `execute` receives besides its arguments. */
export interface ToolContext {
  /** Aborted when the call is cancelled or the tool's `timeoutMs` passes. */
  signal: AbortSignal;
  /** The model's id for this call. */
  toolCallId: string;
  /** The name the tool was registered under. */
  toolName: string;
}

/** What `tool()` takes. */
export interface ToolOptions<A, R> {
  /** Tells the model what the tool does and when to use it. */
  description: string;
  /** A zod schema (preferred: arguments are then typed) or a JSON Schema object. */
  parameters: ZodType<A> | JsonSchema;
  /** Runs the tool with validated arguments. Its return value is sent to the model. */
  execute: (args: A, context: ToolContext) => R | Promise<R>;
  /** Per-call time limit; past it the call's signal aborts and the model gets an error result. */
  timeoutMs?: number | undefined;
  /**
   * Checks of the arguments before the tool runs and of its result before the model reads it
   * (a result check may `replace` it: a redaction). A tripwire ends the whole call with
   * `GuardrailTripwireError` and cancels the work in flight.
   */
  guardrails?: ToolGuardrails<A>;
  /**
   * A human approves each call first: the loop stops before running it with a
   * `pending-approval` result, and `resumeFrom` + `approvals` continue. A function decides
   * per call (it gets the validated arguments).
   * @default false
   */
  needsApproval?:
    | boolean
    | ((args: A, context: Omit<ToolContext, 'signal'>) => boolean | Promise<boolean>);
}

/** The outcome of checking a model's arguments against a tool's schema. */
export type ToolArgsCheck<A> = { success: true; value: A } | { success: false; error: string };

/** A tool the model can call. Create one with {@link tool}. */
export interface Tool<A = unknown, R = unknown> {
  readonly description: string;
  readonly parameters: ZodType<A> | JsonSchema;
  readonly execute: (args: A, context: ToolContext) => R | Promise<R>;
  readonly timeoutMs: number | undefined;
  readonly guardrails?: ToolGuardrails<A> | undefined;
  readonly needsApproval?: ToolOptions<A, R>['needsApproval'];
  /** The parameters as JSON Schema (objects closed with `additionalProperties: false`). */
  readonly jsonSchema: JsonSchema;
  /** The parameters made valid for strict function calling. */
  readonly strictJsonSchema: JsonSchema;
  /** Validates decoded arguments from the model. */
  checkArgs(args: unknown): ToolArgsCheck<A>;
}

/**
 * Defines a tool. Arguments from the model are parsed and validated before `execute` runs;
 * invalid arguments go back to the model as an error result, they never crash the loop.
 *
 * @example
 * ```ts
 * import { z } from 'zod';
 * import { tool } from 'arshai';
 *
 * const weather = tool({
 *   description: 'Current temperature of a city',
 *   parameters: z.object({ city: z.string().describe('City name') }),
 *   execute: async ({ city }) => ({ city, celsius: 21 }),
 * });
 * ```
 */
export function tool<A, R>(options: ToolOptions<A, R>): Tool<A, R> {
  if (typeof options?.description !== 'string') {
    throw new InvalidInputError('tool.description', 'a description string is required');
  }
  if (typeof options.execute !== 'function') {
    throw new InvalidInputError('tool.execute', 'an execute function is required');
  }
  if (options.timeoutMs !== undefined && !(options.timeoutMs > 0)) {
    throw new InvalidInputError('tool.timeoutMs', 'must be a positive number of milliseconds');
  }
  const approval = options.needsApproval;
  if (approval !== undefined && typeof approval !== 'boolean' && typeof approval !== 'function')
    throw new InvalidInputError('tool.needsApproval', 'must be a boolean or a function');
  checkGuardrails(options.guardrails?.input, 'tool.guardrails.input');
  checkGuardrails(options.guardrails?.output, 'tool.guardrails.output');
  const { parameters } = options;
  checkSchema(parameters, 'tool.parameters', true);
  const jsonSchema = toJsonSchema(parameters);
  let strict: JsonSchema | undefined;
  const checkArgs = isZodSchema(parameters)
    ? (args: unknown): ToolArgsCheck<A> => {
        let parsed = parameters.safeParse(args);
        if (!parsed.success) {
          // Strict mode turns optional properties into nullable ones; try without the nulls.
          const retry = parameters.safeParse(dropNullProperties(args));
          if (retry.success) parsed = retry;
        }
        if (parsed.success) return { success: true, value: parsed.data as A };
        const issues = parsed.error.issues.map(
          (i) => `${['$', ...i.path.map(String)].join('.')}: ${i.message}`,
        );
        return { success: false, error: issues.join('; ') };
      }
    : (args: unknown): ToolArgsCheck<A> => {
        const problems = validateJsonSchema(jsonSchema, args);
        return problems.length === 0
          ? { success: true, value: args as A }
          : { success: false, error: problems.join('; ') };
      };
  return {
    description: options.description,
    parameters,
    execute: options.execute,
    timeoutMs: options.timeoutMs,
    ...(options.guardrails ? { guardrails: options.guardrails } : {}),
    ...(options.needsApproval ? { needsApproval: options.needsApproval } : {}),
    jsonSchema,
    get strictJsonSchema() {
      strict ??= toStrictJsonSchema(jsonSchema);
      return strict;
    },
    checkArgs,
  };
}

/** Names providers accept for tools. */
const TOOL_NAME = /^[a-zA-Z0-9_-]{1,64}$/;

/** Throws an `InvalidInputError` naming the first tool whose name providers would reject. */
export function assertToolNames(tools: Record<string, unknown>, field: string): void {
  for (const name of Object.keys(tools)) {
    if (!TOOL_NAME.test(name)) {
      throw new InvalidInputError(
        `${field}.${name}`,
        'tool names must be 1-64 characters of a-z, A-Z, 0-9, _ or -',
      );
    }
  }
}
