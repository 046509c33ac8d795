import { END, toMermaid, WorkflowGraph } from 'arshai';
import { describe, expect, it } from 'vitest';

describe('toMermaid', () => {
  it('draws plain edges, labelled conditional edges and error routes', () => {
    const graph = new WorkflowGraph()
      .addNode('triage', () => ({}))
      .addNode('support', () => ({}))
      .addNode('escalate', () => ({}), { onError: 'support' })
      .addConditionalEdges('triage', () => 'simple', { simple: 'support', urgent: 'escalate' })
      .addEdge('support', END)
      .addEdge('escalate', END)
      .setEntryPoint('triage');
    expect(toMermaid(graph.compile())).toBe(
      [
        'flowchart TD',
        '  __start__([start])',
        '  __end__([end])',
        '  n_triage["triage"]',
        '  n_support["support"]',
        '  n_escalate["escalate"]',
        '  __start__ --> n_triage',
        '  n_support --> __end__',
        '  n_escalate --> __end__',
        '  n_triage -. "simple" .-> n_support',
        '  n_triage -. "urgent" .-> n_escalate',
        '  n_escalate -- "error" --> n_support',
        '',
      ].join('\n'),
    );
  });

  it("keeps Mermaid's keywords and the start marker out of node ids, and escapes labels", () => {
    const graph = new WorkflowGraph()
      .addNode('end', () => ({}))
      .addNode('graph', () => ({}))
      .addNode('__start__', () => ({}))
      .addNode('loop', () => ({}))
      .addConditionalEdges('end', () => 'x', { 'say "hi" <b>#1</b>': 'graph', stop: END })
      .addConditionalEdges('graph', () => END, ['__start__', END])
      .addConditionalEdges('__start__', () => 'loop')
      .addEdge('loop', END)
      .setEntryPoint('end');
    const text = toMermaid(graph.compile());
    expect(text).toContain('  n_end["end"]\n');
    expect(text).toContain('  __start__ --> n_end\n');
    expect(text).toContain('  n_end -. "say #34;hi#34; #60;b#62;#35;1#60;/b#62;" .-> n_graph\n');
    expect(text).toContain('  n_end -. "stop" .-> __end__\n');
    expect(text).toContain('  n_graph -. "__start__" .-> n___start__\n');
    expect(text).toContain('  n_graph -. "END" .-> __end__\n');
    // A route without a path map may go anywhere: drawn as a decision.
    expect(text).toContain('  n___start__ -. "route" .-> r___start__{{"route(state)"}}\n');
    // Every line is a statement, a node, or an edge between declared ids.
    const ids = new Set(['__start__', '__end__', 'r___start__']);
    for (const m of text.matchAll(/^ {2}(n_\w+)\[/gm)) ids.add(m[1] as string);
    for (const m of text.matchAll(/^ {2}(\S+) (?:-->|-\.|--) .*?(\S+?)(?:\{\{.*)?$/gm)) {
      expect(ids.has(m[1] as string), m[0]).toBe(true);
      expect(ids.has(m[2] as string), m[0]).toBe(true);
    }
  });

  it('gives every accepted name an id Mermaid reads as one id: no dashes, no two names alike', () => {
    const names = ['fetch--retry', 'a---b', 'a-b', 'a_b', 'x-', 'y-z'];
    const graph = new WorkflowGraph();
    for (const name of names) graph.addNode(name, () => ({}));
    for (const [i, name] of names.entries()) graph.addEdge(name, names[i + 1] ?? END);
    graph.setEntryPoint('fetch--retry');
    const text = toMermaid(graph.compile());
    const declared = [...text.matchAll(/^ {2}(\S+)\["([^"]+)"\]$/gm)].map((m) => [m[1], m[2]]);
    expect(declared.map(([, label]) => label)).toEqual(names);
    const ids = declared.map(([id]) => id as string);
    expect(new Set(ids).size).toBe(names.length);
    for (const id of ids) expect(id).toMatch(/^n_\w+$/);
    expect(text).toContain('  n_a___b --> n_a_b\n'); // a---b → a-b
    expect(text).toContain('  n_a_b --> n_a_b_2\n'); // a-b → a_b
    for (const m of text.matchAll(/^ {2}(\S+) --> (\S+)$/gm)) {
      expect([...ids, '__start__', '__end__']).toContain(m[1]);
      expect([...ids, '__end__']).toContain(m[2]);
    }
  });
});
