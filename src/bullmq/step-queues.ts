import type { Redis } from 'ioredis';
import { RedisConnection } from '../redis/redis-connection.js';
import { throwIfAborted } from '../utils/abort.js';
import type { Logger } from '../utils/logger.js';
import type { RunPosition } from '../workflows/runner-options.js';
import { Queue } from './bullmq-sdk.js';
import {
  type QueueConnection,
  redisClient,
  type StepJobData,
  stepJobId,
  workflowQueueName,
} from './step-jobs.js';

/** Job options of every step: the job goes away once done (the state lives in the store). */
export const STEP_JOB_OPTIONS = {
  attempts: 10,
  backoff: { type: 'exponential', delay: 500 },
  removeOnComplete: true,
  removeOnFail: true,
} as const;

/**
 * The producer half both sides need: one fail-fast connection, the BullMQ queue of each
 * workflow (made on first use), and the enqueue of a run's step under its deterministic id.
 */
export class StepQueues {
  /** Typed, time-limited calls over the producer connection. */
  readonly conn: RedisConnection;
  readonly #client: Redis;
  readonly #name: string;
  readonly #prefix: string;
  readonly #logger: Logger;
  readonly #queues = new Map<string, Queue>();

  constructor(
    connection: QueueConnection,
    names: { name: string; prefix: string },
    logger: Logger,
    timeoutMs: number,
  ) {
    this.#client = redisClient(connection, 'producer', logger);
    this.conn = new RedisConnection({ client: this.#client, timeoutMs, logger }, 'bullmq-producer');
    this.#name = names.name;
    this.#prefix = names.prefix;
    this.#logger = logger;
  }

  /** Enqueues the step the run stands at (a no-op while that step's job exists). */
  async enqueue(
    workflow: string,
    run: Pick<RunPosition<object>, 'runId' | 'step' | 'resumes'>,
    signal: AbortSignal | undefined,
  ): Promise<void> {
    throwIfAborted(signal);
    const data: StepJobData = { runId: run.runId, step: run.step, resumes: run.resumes, workflow };
    const queue = this.queue(workflow);
    await this.conn.run(
      'queue.add',
      () => queue.add('step', data, { ...STEP_JOB_OPTIONS, jobId: stepJobId(data) }),
      signal,
    );
  }

  /** The BullMQ queue of a workflow. */
  queue(workflow: string): Queue {
    let queue = this.#queues.get(workflow);
    if (!queue) {
      queue = new Queue(workflowQueueName(this.#name, workflow), {
        connection: this.#client,
        prefix: this.#prefix,
      });
      queue.on('error', (error: Error) =>
        this.#logger.warn('arshai: bullmq queue error', { error: error?.name }),
      );
      this.#queues.set(workflow, queue);
    }
    return queue;
  }

  async close(): Promise<void> {
    const queues = [...this.#queues.values()];
    this.#queues.clear();
    await Promise.allSettled(queues.map((q) => q.close()));
    await this.conn.close();
    this.#client.disconnect();
  }
}
