import type { Agent, AgentInput } from '../agents/agent.js';
import { endSpan, inSpan, resolveTelemetry, startSpan } from '../telemetry/spans.js';
import type { TelemetryOptions } from '../telemetry/telemetry-types.js';
import { raceAbort, throwIfAborted } from '../utils/abort.js';
import { asyncContext } from '../utils/async-context.js';
import { checkCount } from '../utils/option-checks.js';
import { Pause } from '../utils/pause.js';
import { randomUUID } from '../utils/uuid.js';
import { asError } from './agent-output.js';
import { MaxEventsExceededError } from './orchestration-errors.js';

/** An event: what happened, its data, when, and which event caused it. */
export interface OrchestrationEvent<D = Record<string, unknown>> {
  id: string;
  type: string;
  data: D;
  /** ISO time. */
  timestamp: string;
  /** The id of the event whose handler emitted this one. */
  causedBy?: string;
}

/** What `emitEvent` and `execute` take: an event, or just its type and data. */
export type EventInput = Pick<OrchestrationEvent, 'type' | 'data'> & Partial<OrchestrationEvent>;

/** Reacts to an event; may emit more (`orchestrator.emitEvent`), linked to it automatically. */
export type EventHandler = (event: OrchestrationEvent) => Promise<void> | void;

/** Options of {@link EventDrivenOrchestrator}. */
export interface EventDrivenOptions {
  /**
   * Most events one `execute` may produce; past it the cascade stops with `MaxEventsExceededError`.
   * @default 1000
   */
  maxEvents?: number;
  /**
   * Events kept in `eventHistory`, the orchestrator's log across runs (oldest dropped first).
   * Each `execute` returns its own run's events, whatever this is.
   * @default 1000
   */
  historyLimit?: number;
  /**
   * OpenTelemetry: a `handle_event {type}` span per handler run (event id, cause, handler
   * index; a failing handler's error recorded), the parent of what the handler does.
   * @default none
   */
  telemetry?: TelemetryOptions;
}

interface Run {
  count: number;
  max: number;
  signal: AbortSignal | undefined;
  /** This run's events, in order. */
  events: OrchestrationEvent[];
}

/**
 * Pattern 6, event-driven orchestration. Handlers run in registration order; a handler that
 * throws produces an `error` event (type `'error'`, caused by the event it was handling) and
 * its siblings still run. Events emitted inside a handler record the event that caused them.
 * `maxEvents` stops runaway cascades. `execute` returns the events of its own run only
 * (concurrent runs never see each other's); `eventHistory` is a bounded log of recent events.
 * When the run's signal fires, `execute` rejects at once, even inside a handler that ignores it.
 *
 * @example
 * ```ts
 * const bus = new EventDrivenOrchestrator();
 * bus.registerHandler('user_message', async (e) => {
 *   const reply = await agent.process({ message: String(e.data.message) });
 *   await bus.emitEvent({ type: 'agent_response', data: { response: reply } });
 * });
 * const history = await bus.execute({ type: 'user_message', data: { message: 'Hello!' } });
 * ```
 */
export class EventDrivenOrchestrator implements Agent<OrchestrationEvent[]> {
  readonly handlers = new Map<string, EventHandler[]>();
  /** The most recent events of every run, oldest first, at most `historyLimit` of them. */
  readonly eventHistory: OrchestrationEvent[] = [];
  readonly #maxEvents: number;
  readonly #historyLimit: number;
  readonly #current = asyncContext<{ event: OrchestrationEvent | undefined; run: Run }>();
  readonly #telemetry: TelemetryOptions | undefined;

  constructor(options: EventDrivenOptions = {}) {
    checkCount(options.maxEvents, 'maxEvents');
    checkCount(options.historyLimit, 'historyLimit', 0);
    this.#maxEvents = options.maxEvents ?? 1000;
    this.#historyLimit = options.historyLimit ?? 1000;
    this.#telemetry = resolveTelemetry(options.telemetry);
  }

  registerHandler(eventType: string, handler: EventHandler): void {
    const list = this.handlers.get(eventType) ?? [];
    list.push(handler);
    this.handlers.set(eventType, list);
  }

  /** Records the event and runs its handlers. Inside a handler, links it to the event being handled. */
  async emitEvent(input: EventInput): Promise<OrchestrationEvent> {
    const parent = this.#current.getStore();
    const run = parent?.run ?? this.#newRun(undefined);
    throwIfAborted(run.signal);
    if (++run.count > run.max) throw new MaxEventsExceededError(run.max);
    const event: OrchestrationEvent = {
      id: input.id ?? randomUUID(),
      type: input.type,
      data: input.data,
      timestamp: input.timestamp ?? new Date().toISOString(),
    };
    const causedBy = input.causedBy ?? parent?.event?.id;
    if (causedBy) event.causedBy = causedBy;
    run.events.push(event);
    this.eventHistory.push(event);
    if (this.eventHistory.length > this.#historyLimit) {
      this.eventHistory.splice(0, this.eventHistory.length - this.#historyLimit);
    }
    for (const [index, handler] of (this.handlers.get(event.type) ?? []).entries()) {
      const span = this.#telemetry
        ? startSpan(this.#telemetry, `handle_event ${event.type}`, {
            'arshai.event.id': event.id,
            'arshai.event.type': event.type,
            'arshai.event.caused_by': event.causedBy,
            'arshai.event.handler': index,
          })
        : undefined;
      try {
        await raceAbort(
          Promise.resolve(
            inSpan(span, () => this.#current.run({ event, run }, () => handler(event))),
          ),
          run.signal,
        );
        endSpan(span);
      } catch (error) {
        endSpan(span, error);
        throwIfAborted(run.signal);
        if (MaxEventsExceededError.isInstance(error) || Pause.isInstance(error)) throw error;
        if (event.type === 'error') continue; // an error handler's failure is not re-emitted
        const failure = asError(error);
        await this.#current.run({ event, run }, () =>
          this.emitEvent({
            type: 'error',
            data: {
              error: failure,
              message: failure.message,
              eventId: event.id,
              eventType: event.type,
            },
          }),
        );
      }
    }
    return event;
  }

  /**
   * As an agent: emits a `message` event (`metadata.eventType` names another type) whose data
   * is `{ message, ...metadata }`, and returns the run's events.
   */
  process(input: AgentInput): Promise<OrchestrationEvent[]> {
    const { eventType, ...metadata } = input.metadata ?? {};
    return this.execute(
      {
        type: typeof eventType === 'string' ? eventType : 'message',
        data: { message: input.message, ...metadata },
      },
      input.signal ? { signal: input.signal } : {},
    );
  }

  /** Emits `initialEvent` and waits for its whole cascade; returns the events of this run. */
  async execute(
    initialEvent: EventInput,
    options: { signal?: AbortSignal } = {},
  ): Promise<OrchestrationEvent[]> {
    throwIfAborted(options.signal);
    const run = this.#newRun(options.signal);
    await this.#current.run({ event: undefined, run }, () => this.emitEvent(initialEvent));
    return run.events;
  }

  #newRun(signal: AbortSignal | undefined): Run {
    return { count: 0, max: this.#maxEvents, signal, events: [] };
  }
}
