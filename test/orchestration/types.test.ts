import {
  type Agent,
  AgentFailure,
  DynamicRouter,
  END,
  ParallelOrchestrator,
  type RouteDecision,
  SimplePipeline,
  WorkflowGraph,
  WorkflowRunner,
} from 'arshai';
import { MockAgent, ScriptedLLMClient } from 'arshai/testing';
import { describe, expect, expectTypeOf, it } from 'vitest';

const score = new MockAgent<{ score: number }>(() => ({ score: 0.9 }));
const words = new MockAgent<string[]>((i) => i.message.split(' '));
const echo = new MockAgent<string>((i) => `echo ${i.message}`);

describe('types that carry through the patterns', () => {
  it('ParallelOrchestrator: each entry has its own agent’s output type (or AgentFailure)', async () => {
    const results = await new ParallelOrchestrator({ score, words }).execute('a b');
    expectTypeOf(results.score).toEqualTypeOf<{ score: number } | AgentFailure>();
    expectTypeOf(results.words).toEqualTypeOf<string[] | AgentFailure>();
    // @ts-expect-error no agent "summary"
    results.summary;
    if (AgentFailure.is(results.words)) throw results.words.error;
    expect(results.words).toEqual(['a', 'b']);
    expect(results.score).toEqual({ score: 0.9 });
  });

  it('SimplePipeline: returns the last agent’s output as it is, typed as that agent’s output', async () => {
    const report = await new SimplePipeline([echo, score]).execute('start');
    expectTypeOf(report).toEqualTypeOf<{ score: number }>();
    expect(report).toEqual({ score: 0.9 }); // the object, not its JSON
    const text = await new SimplePipeline([score, echo]).execute('start');
    expectTypeOf(text).toEqualTypeOf<string>();
    expect(text).toBe('echo {"score":0.9}'); // between agents, non-strings travel as JSON
    expect(await new SimplePipeline([]).execute('as is')).toBe('as is');
    const listed: Agent<string>[] = [echo, echo];
    expectTypeOf(await new SimplePipeline(listed).execute('x')).toEqualTypeOf<string>();
  });

  it('DynamicRouter: the decision names one of the routes; defaultAgent must be one', async () => {
    const llm = new ScriptedLLMClient([{ object: { agent: 'sales' } }]);
    const router = new DynamicRouter(llm, { technical: echo, sales: echo });
    const { decision } = await router.run('price?');
    expectTypeOf(decision).toEqualTypeOf<RouteDecision<'technical' | 'sales'>>();
    expectTypeOf(decision.agent).toEqualTypeOf<'technical' | 'sales'>();
    expect(decision.agent).toBe('sales');
    // @ts-expect-error "billing" is not a route
    expect(() => new DynamicRouter(llm, { technical: echo }, { defaultAgent: 'billing' })).toThrow(
      /defaultAgent/,
    );
  });
});

describe('types that carry through workflows', () => {
  interface Research {
    sources: string[];
    summary?: string;
  }
  const graph = () =>
    new WorkflowGraph<Research>()
      .addNode('summarise', (s) => ({ summary: s.sources.join(', ') }))
      .addEdge('summarise', END)
      .setEntryPoint('summarise');

  it('executeWorkflow requires the state fields that are not optional', async () => {
    const runner = new WorkflowRunner(graph().compile());
    // @ts-expect-error `sources` is required: the first node reads it
    const missing = await runner.executeWorkflow({ userId: 'u' });
    expect(missing.status).toBe('failed'); // what the type prevents: the node meets no sources
    const result = await runner.executeWorkflow({ userId: 'u', state: { sources: ['a', 'b'] } });
    expect(result.state.summary).toBe('a, b');
    const open = new WorkflowRunner(
      new WorkflowGraph<{ note?: string }>()
        .addNode('n', () => ({}))
        .addEdge('n', END)
        .setEntryPoint('n')
        .compile(),
    );
    expect((await open.executeWorkflow({ userId: 'u' })).status).toBe('completed');
  });

  it('WorkflowResult is discriminated on status: interrupt and error are there when they must be', async () => {
    const asking = new WorkflowGraph<{ answer?: string }>()
      .addNode('ask', (_s, _i, ctx) => ({ answer: String(ctx.interrupt('ok?')) }))
      .addEdge('ask', END)
      .setEntryPoint('ask')
      .compile();
    const result = await new WorkflowRunner(asking).executeWorkflow({ userId: 'u' });
    // @ts-expect-error only an interrupted result surely has an interrupt
    result.interrupt.payload;
    if (result.status === 'interrupted') {
      expectTypeOf(result.interrupt).toEqualTypeOf<{ node: string; payload: unknown }>();
      expect(result.interrupt).toEqual({ node: 'ask', payload: 'ok?' });
    } else if (result.status === 'failed') {
      expectTypeOf(result.error.runId).toEqualTypeOf<string>();
    }
    expect(result.status).toBe('interrupted');
  });

  it('the chained builder knows its node names: an edge to a node never added does not compile', () => {
    const built = new WorkflowGraph().addNode('a', () => ({})).addNode('b', () => ({}));
    // @ts-expect-error "bb" is not a node
    expect(() => built.addEdge('a', 'bb').compile()).toThrow(/goes into nothing/);
    // @ts-expect-error "c" is not a node
    built.setEntryPoint('c');
    // Built call by call (or from names in variables), any string is accepted and compile() checks.
    const loose = new WorkflowGraph();
    for (const name of ['x', 'y']) loose.addNode(name, () => ({}));
    loose.addEdge('x', 'y').addEdge('y', END).setEntryPoint('x');
    expect(loose.compile().nodes.size).toBe(2);
  });
});
