import { type GuardrailKind, GuardrailTripwireError } from '../errors/guardrail-tripwire-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { LinkedController } from '../utils/abort.js';
import type { LLMInput } from './llm-input.js';
import type { Message } from './message.js';

/**
 * What a guardrail returns: nothing, `true` or `{ tripwire: false }` to pass; `{ tripwire:
 * true, reason }` (or `false`, reason "refused") to stop the call. A tool-output guardrail may pass with `replace`: the
 * value the model reads instead of the tool's (a redaction).
 */
export type GuardrailVerdict =
  | undefined
  | boolean
  | { tripwire: false; replace?: unknown }
  | { tripwire: true; reason: string; info?: unknown };

/** What every guardrail gets besides the value it checks. */
export interface GuardrailContext {
  /** Aborted when the call ends (a model call failed, another guardrail tripped). */
  signal: AbortSignal;
}

/** A check of the call's input. `parallel` runs it alongside the first model call. */
export interface InputGuardrail {
  name: string;
  check(
    input: { systemPrompt: string; userMessage: string; messages: readonly Message[] },
    context: GuardrailContext,
  ): GuardrailVerdict | Promise<GuardrailVerdict>;
  /**
   * `before`: the model is called only once it passed (saves cost); `parallel`: it runs
   * alongside the first model call, which a tripwire cancels (saves latency).
   * @default 'before'
   */
  runs?: 'before' | 'parallel';
}

/** A check of the final answer (the parsed value for structured output, and its text). */
export interface OutputGuardrail<T = unknown> {
  name: string;
  check(
    output: T,
    context: GuardrailContext & { text: string },
  ): GuardrailVerdict | Promise<GuardrailVerdict>;
}

/** Checks of one tool: of its arguments before it runs, of its result before the model reads it. */
export interface ToolGuardrails<A = unknown> {
  input?: Array<{
    name: string;
    check(args: A, context: GuardrailContext): GuardrailVerdict | Promise<GuardrailVerdict>;
  }>;
  output?: Array<{
    name: string;
    check(
      output: unknown,
      context: GuardrailContext & { args: A },
    ): GuardrailVerdict | Promise<GuardrailVerdict>;
  }>;
}

/**
 * Runs guardrails of one kind concurrently; rejects with the first tripwire (by order of
 * the list), resolves with the last `replace` given, if any.
 */
export async function runGuardrails<V>(
  guardrails: readonly { name: string; check(value: V, context: never): unknown }[] | undefined,
  kind: GuardrailKind,
  value: V,
  context: object,
): Promise<{ replaced: boolean; value: unknown }> {
  if (!guardrails || guardrails.length === 0) return { replaced: false, value };
  const verdicts = await Promise.all(
    guardrails.map((g) => Promise.resolve(g.check(value, context as never))),
  );
  let result: { replaced: boolean; value: unknown } = { replaced: false, value };
  verdicts.forEach((verdict, i) => {
    const name = (guardrails[i] as { name: string }).name;
    if (verdict === undefined || verdict === true) return;
    if (verdict === false)
      throw new GuardrailTripwireError({ guardrail: name, kind, reason: 'refused' });
    const v = verdict as {
      tripwire?: boolean;
      reason?: unknown;
      info?: unknown;
      replace?: unknown;
    };
    if (v.tripwire === true) {
      const reason = typeof v.reason === 'string' ? v.reason : 'tripped';
      throw new GuardrailTripwireError({ guardrail: name, kind, reason, info: v.info });
    }
    if ('replace' in v) result = { replaced: true, value: v.replace };
  });
  return result;
}

/** Checks a list of guardrails given in `field`: each with a name and a `check` function. */
export function checkGuardrails(list: unknown, field: string): void {
  if (list === undefined) return;
  if (!Array.isArray(list)) throw new InvalidInputError(field, 'must be a list of guardrails');
  list.forEach((g, i) => {
    if (typeof g?.name !== 'string' || g.name === '' || typeof g.check !== 'function')
      throw new InvalidInputError(`${field}.${i}`, 'a guardrail has a name and a check function');
  });
}

/**
 * Runs the `before` input guardrails; starts the `parallel` ones, whose tripwire aborts the
 * call (the model call in flight is cancelled). Gives the parallel check, to await before
 * any answer is given.
 */
export async function checkInput<T>(
  input: LLMInput<T>,
  signal: AbortSignal,
  run: LinkedController | undefined,
): Promise<{ check?: Promise<unknown> }> {
  const guardrails = input.inputGuardrails;
  if (!guardrails || guardrails.length === 0) return {};
  const value = {
    systemPrompt: input.systemPrompt,
    userMessage: input.userMessage,
    messages: input.messages ?? [],
  };
  const before = guardrails.filter((g) => g.runs !== 'parallel');
  const alongside = guardrails.filter((g) => g.runs === 'parallel');
  await runGuardrails(before, 'input', value, { signal });
  if (alongside.length === 0) return {};
  const check = runGuardrails(alongside, 'input', value, { signal });
  check.catch((error) => run?.controller.abort(error));
  return { check }; // in an object: returned bare, the async function would wait for it
}
