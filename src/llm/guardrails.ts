import { type GuardrailKind, GuardrailTripwireError } from '../errors/guardrail-tripwire-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { endSpan, inSpan, startSpan } from '../telemetry/spans.js';
import type { TelemetryOptions } from '../telemetry/telemetry-types.js';
import type { LinkedController } from '../utils/abort.js';
import type { Logger } from '../utils/logger.js';
import type { LLMInput } from './llm-input.js';
import { callHook } from './loop-hooks.js';
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

/** What `onGuardrail` hears of each guardrail check. */
export interface GuardrailEvent {
  guardrail: string;
  kind: GuardrailKind;
  tripped: boolean;
  /** Why it tripped (the guardrail's own text). */
  reason?: string;
  durationMs: number;
}

/** Who watches guardrail checks: a span per check (with a tracer), a hook, its logger. */
export interface GuardrailWatch {
  telemetry?: TelemetryOptions | undefined;
  onGuardrail?: ((event: GuardrailEvent) => void) | undefined;
  logger: Logger;
}

interface Outcome {
  tripwire?: GuardrailTripwireError;
  replace?: { value: unknown };
}

/**
 * Runs guardrails of one kind concurrently; rejects with the first tripwire (by order of
 * the list), resolves with the last `replace` given, if any. A guardrail that throws trips
 * (fails closed). Each check is a `guardrail {name}` span (a judge's model calls are its
 * children) and an `onGuardrail` event.
 */
export async function runGuardrails<V>(
  guardrails: readonly { name: string; check(value: V, context: never): unknown }[] | undefined,
  kind: GuardrailKind,
  value: V,
  context: { signal: AbortSignal },
  watch?: GuardrailWatch,
): Promise<{ replaced: boolean; value: unknown }> {
  if (!guardrails || guardrails.length === 0) return { replaced: false, value };
  const outcomes = await Promise.all(
    guardrails.map((g) => checkOne(g, kind, value, context, watch)),
  );
  let result: { replaced: boolean; value: unknown } = { replaced: false, value };
  for (const o of outcomes) {
    if (o.tripwire) throw o.tripwire;
    if (o.replace) result = { replaced: true, value: o.replace.value };
  }
  return result;
}

async function checkOne<V>(
  g: { name: string; check(value: V, context: never): unknown },
  kind: GuardrailKind,
  value: V,
  context: { signal: AbortSignal },
  watch: GuardrailWatch | undefined,
): Promise<Outcome> {
  const span = startSpan(watch?.telemetry, `guardrail ${g.name}`, {
    'arshai.guardrail.name': g.name,
    'arshai.guardrail.kind': kind,
  });
  const started = watch?.onGuardrail ? performance.now() : 0;
  let outcome: Outcome;
  try {
    outcome = verdictOf(await inSpan(span, () => g.check(value, context as never)), g.name, kind);
  } catch (error) {
    if (context.signal.aborted || GuardrailTripwireError.isInstance(error)) {
      endSpan(span, error);
      throw error;
    }
    const reason = `the guardrail failed (${error instanceof Error ? error.name : typeof error})`;
    outcome = {
      tripwire: new GuardrailTripwireError({ guardrail: g.name, kind, reason }, error),
    };
  }
  const tripped = outcome.tripwire !== undefined;
  if (span) {
    span.setAttribute('arshai.guardrail.tripped', tripped);
    if (tripped && watch?.telemetry?.recordContent)
      span.setAttribute('arshai.guardrail.reason', outcome.tripwire?.reason ?? '');
    endSpan(span, outcome.tripwire);
  }
  if (watch?.onGuardrail) {
    const event: GuardrailEvent = {
      guardrail: g.name,
      kind,
      tripped,
      durationMs: performance.now() - started,
      ...(outcome.tripwire ? { reason: outcome.tripwire.reason } : {}),
    };
    callHook(watch.onGuardrail, event, watch.logger, 'onGuardrail');
  }
  return outcome;
}

/** What a guardrail's verdict means. */
function verdictOf(verdict: unknown, guardrail: string, kind: GuardrailKind): Outcome {
  if (verdict === undefined || verdict === true) return {};
  if (verdict === false)
    return { tripwire: new GuardrailTripwireError({ guardrail, kind, reason: 'refused' }) };
  const v = verdict as { tripwire?: boolean; reason?: unknown; info?: unknown; replace?: unknown };
  if (v.tripwire === true) {
    const reason = typeof v.reason === 'string' ? v.reason : 'tripped';
    return { tripwire: new GuardrailTripwireError({ guardrail, kind, reason, info: v.info }) };
  }
  return v !== null && typeof v === 'object' && 'replace' in v
    ? { replace: { value: v.replace } }
    : {};
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
  watch: GuardrailWatch,
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
  await runGuardrails(before, 'input', value, { signal }, watch);
  if (alongside.length === 0) return {};
  const check = runGuardrails(alongside, 'input', value, { signal }, watch);
  check.catch((error) => run?.controller.abort(error));
  return { check }; // in an object: returned bare, the async function would wait for it
}
