/** A worker process of the throughput benchmark: runs `bench5` steps until SIGTERM. */
import { END, WorkflowGraph } from 'arshai';
import { WorkflowWorker } from 'arshai/bullmq';
import { RedisCheckpointer } from 'arshai/redis';
import { buildWorkflow } from './distributed-workflow.ts';

const [url, name, concurrency] = process.argv.slice(2) as [string, string, string];
const checkpointer = new RedisCheckpointer({ url, keyPrefix: `${name}:cp:` });
const worker = new WorkflowWorker({
  connection: url,
  checkpointer,
  workflows: { bench5: buildWorkflow(WorkflowGraph, END) },
  name,
  concurrency: Number(concurrency),
});
process.on('SIGTERM', async () => {
  await worker.close();
  await checkpointer.close();
  process.exit(0);
});
process.stdout.write('ready\n');
