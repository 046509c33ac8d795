/** The scenarios on arshai: BaseLLMClient over a fake adapter, the patterns, the workflow engine. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type AgentInput,
  BaseAgent,
  BaseLLMClient,
  END,
  InMemoryCheckpointer,
  type ModelAdapter,
  type ModelRequest,
  type ModelResponse,
  ParallelOrchestrator,
  SimplePipeline,
  SqliteCheckpointer,
  tool,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { z } from 'zod';
import { type Check, type Implementation, script, wait } from './harness.ts';

const counts = { model: 0, tool: 0 };
const reset = () => {
  counts.model = 0;
  counts.tool = 0;
};
const check = (output: string): Check => ({
  output,
  modelCalls: counts.model,
  toolCalls: counts.tool,
});

/** A model that answers at once (or after `delayMs`) by a rule. */
class FakeModel implements ModelAdapter {
  readonly provider = 'fake';
  readonly model = 'fake';
  readonly reply: (request: ModelRequest) => ModelResponse;
  readonly delayMs: number;
  constructor(reply: (request: ModelRequest) => ModelResponse, delayMs = 0) {
    this.reply = reply;
    this.delayMs = delayMs;
  }
  async generate(request: ModelRequest): Promise<ModelResponse> {
    counts.model++;
    if (this.delayMs) await wait(this.delayMs);
    return this.reply(request);
  }
  // biome-ignore lint/correctness/useYield: the scenarios use chat(), not stream()
  async *stream(): AsyncGenerator<never> {
    throw new Error('not used');
  }
}

const text = (t: string): ModelResponse => ({
  text: t,
  toolCalls: [],
  finishReason: 'stop',
  usage: { inputTokens: 1, outputTokens: 1 },
});
const lastUser = (r: ModelRequest) => String(r.messages.at(-1)?.content ?? '');
const client = (reply: (r: ModelRequest) => ModelResponse, delayMs = 0) =>
  new BaseLLMClient(new FakeModel(reply, delayMs), { model: 'fake' }, { retry: false });

class ChatStep extends BaseAgent<string> {
  async process(input: AgentInput): Promise<string> {
    return (
      await this.llmClient.chat({ systemPrompt: this.systemPrompt, userMessage: input.message })
    ).llmResponse;
  }
}

const stepLlm = client((r) => text(script.step(lastUser(r))));
const pipeline = new SimplePipeline([1, 2, 3].map((i) => new ChatStep(stepLlm, `agent ${i}`)));
const slowLlm = client((r) => text(script.step(lastUser(r))), 50);
const slowPipeline = new SimplePipeline([1, 2, 3].map((i) => new ChatStep(slowLlm, `agent ${i}`)));

const fanOut = new ParallelOrchestrator(
  Object.fromEntries(
    Array.from({ length: 10 }, (_, i) => [
      `a${i}`,
      new ChatStep(
        client((r) => text(script.label(i, lastUser(r)))),
        `agent ${i}`,
      ),
    ]),
  ),
);

const add = tool({
  description: 'Adds two numbers',
  parameters: z.object({ a: z.number(), b: z.number() }),
  execute: ({ a, b }) => {
    counts.tool++;
    return a + b;
  },
});
const toolLlm = client((r) => {
  const turn = r.messages.filter((m) => m.role === 'assistant').length + 1;
  if (turn <= 5) {
    return {
      text: '',
      toolCalls: [
        { id: `c${turn}`, name: 'add', arguments: JSON.stringify(script.toolArgs(turn)) },
      ],
      finishReason: 'tool-calls',
    };
  }
  return text(script.answer(String(r.messages.at(-1)?.content)));
});

type Counter = { count: number };
const graph = new WorkflowGraph<Counter>();
for (let i = 0; i < 10; i++) {
  graph.addNode(`n${i}`, (s) => ({ count: s.count + 1 }));
  graph.addEdge(`n${i}`, i < 9 ? `n${i + 1}` : END);
}
const workflow = graph.setEntryPoint('n0').compile({ name: 'bench' });
// The S5 store's folder goes with the process.
const benchDir = mkdtempSync(join(tmpdir(), 'bench-'));
process.on('exit', () => rmSync(benchDir, { recursive: true, force: true }));
const runners = {
  none: new WorkflowRunner(workflow),
  memory: new WorkflowRunner(workflow, { checkpointer: new InMemoryCheckpointer() }),
  sqlite: new WorkflowRunner(workflow, {
    checkpointer: new SqliteCheckpointer({ path: join(benchDir, 'arshai.db') }),
  }),
};
const s5 = (runner: WorkflowRunner<Counter>) => async (): Promise<Check> => {
  const { state } = await runner.executeWorkflow({ userId: 'bench', state: { count: 0 } });
  return { output: `count:${state.count}`, modelCalls: 0, toolCalls: 0 };
};

export const implementation: Implementation = {
  name: 'arshai',
  versions: { arshai: '0.1.0' },
  async s1(input) {
    reset();
    return check(await pipeline.execute(input));
  },
  async s2(input) {
    reset();
    const results = await fanOut.execute(input);
    return check(script.aggregate(Object.values(results) as string[]));
  },
  async s3(input) {
    reset();
    const result = await toolLlm.chat({
      systemPrompt: 'agent',
      userMessage: input,
      regularFunctions: { add },
    });
    return check(result.llmResponse);
  },
  modelCalls: () => counts.model,
  async s4(input) {
    return { output: await slowPipeline.execute(input), modelCalls: 3, toolCalls: 0 };
  },
  s5: { none: s5(runners.none), memory: s5(runners.memory), sqlite: s5(runners.sqlite) },
};
