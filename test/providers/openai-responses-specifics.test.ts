/**
 * What the Responses API has beyond the shared suite: reasoning items kept across tool turns
 * (encrypted with `store: false`), built-in tools with citations, `response.failed` /
 * `response.incomplete`, chaining by `previous_response_id`, Azure. Fixtures and their
 * references: openai-responses-wire.ts.
 */
import { InvalidInputError, ProviderError, tool } from 'arshai';
import { AzureOpenAIClient, OpenAIClient, OpenAIResponsesClient } from 'arshai/openai';
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type FakeServer, type Reply, startFakeServer } from './fake-server.js';
import {
  argsDelta,
  completed,
  created,
  events,
  functionCall,
  itemAdded,
  itemDone,
  message,
  reasoning,
  response,
  textItem,
} from './openai-responses-wire.js';
import { collect, input } from './provider-fixture.js';

let server: FakeServer;
afterEach(async () => server?.close());
const start = async (...replies: Reply[]) => {
  server = await startFakeServer(replies);
  return server;
};
const body = (i: number) =>
  server.requests[i]?.body as Record<string, unknown> & { input: unknown[] };

const client = (extra: Partial<ConstructorParameters<typeof OpenAIResponsesClient>[0]> = {}) =>
  new OpenAIResponsesClient({
    model: 'gpt-5-mini',
    apiKey: 'test-key',
    baseURL: `${server.url}/v1`,
    retry: { initialDelayMs: 1 },
    ...extra,
  });

const step = tool({
  description: 'One step of a plan',
  parameters: z.object({ n: z.number() }),
  execute: async ({ n }) => `step ${n} done`,
});

/** Turn `n` of a reasoning model: its reasoning item (encrypted), then a call of `step`. */
const reasoned = (n: number) => [
  reasoning(`rs_${n}`, `gAAAA-encrypted-${n}`, [`Thinking about step ${n}.`]),
  functionCall(`fc_${n}`, `call_${n}`, 'step', `{"n":${n}}`),
];

describe('OpenAIResponsesClient: reasoning across tool turns', () => {
  it('sends each turn’s encrypted reasoning items back, in place, over three tool turns', async () => {
    await start(
      { json: response(reasoned(1), { id: 'resp_1' }) },
      { json: response(reasoned(2), { id: 'resp_2' }) },
      { json: response(reasoned(3), { id: 'resp_3' }) },
      { json: response([reasoning('rs_4', 'gAAAA-encrypted-4'), message('All three done.')]) },
    );
    const result = await client({ reasoningSummary: 'auto' }).chat({
      ...input,
      tools: { step },
    });
    expect(result.llmResponse).toBe('All three done.');
    expect(result.turns).toBe(4);
    expect(result.reasoning).toBe(
      'Thinking about step 1.\n\nThinking about step 2.\n\nThinking about step 3.',
    );
    // Every request: nothing stored at OpenAI, the encrypted content asked for, summaries too.
    for (let i = 0; i < 4; i++) {
      expect(body(i)).toMatchObject({
        store: false,
        include: ['reasoning.encrypted_content'],
        reasoning: { summary: 'auto' },
      });
      expect(body(i).previous_response_id).toBeUndefined();
    }
    const turn = (n: number) => [
      reasoning(`rs_${n}`, `gAAAA-encrypted-${n}`, [`Thinking about step ${n}.`]),
      {
        type: 'function_call',
        id: `fc_${n}`,
        call_id: `call_${n}`,
        name: 'step',
        arguments: `{"n":${n}}`,
      },
      { type: 'function_call_output', call_id: `call_${n}`, output: `step ${n} done` },
    ];
    expect(body(1).input).toEqual([{ role: 'user', content: 'Hello' }, ...turn(1)]);
    expect(body(3).input).toEqual([
      { role: 'user', content: 'Hello' },
      ...turn(1),
      ...turn(2),
      ...turn(3),
    ]);
    // Usage summed over the four turns.
    expect(result.usage).toMatchObject({ inputTokens: 76, outputTokens: 40, reasoningTokens: 12 });
  });

  it('streams reasoning summaries as deltas and keeps the streamed reasoning items', async () => {
    const call = functionCall('fc_1', 'call_1', 'step', '{"n":1}');
    const thought = reasoning('rs_1', 'gAAAA-encrypted-1', ['Plan first.', 'Then act.']);
    await start(
      {
        sse: events(
          created('resp_1'),
          itemAdded(0, { type: 'reasoning', id: 'rs_1', summary: [] }),
          [
            'response.reasoning_summary_part.added',
            {
              item_id: 'rs_1',
              output_index: 0,
              summary_index: 0,
              part: { type: 'summary_text', text: '' },
            },
          ],
          [
            'response.reasoning_summary_text.delta',
            { item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'Plan ' },
          ],
          [
            'response.reasoning_summary_text.delta',
            { item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'first.' },
          ],
          [
            'response.reasoning_summary_part.added',
            {
              item_id: 'rs_1',
              output_index: 0,
              summary_index: 1,
              part: { type: 'summary_text', text: '' },
            },
          ],
          [
            'response.reasoning_summary_text.delta',
            { item_id: 'rs_1', output_index: 0, summary_index: 1, delta: 'Then act.' },
          ],
          itemDone(0, thought),
          itemAdded(1, { ...call, arguments: '', status: 'in_progress' }),
          argsDelta(1, 'fc_1', '{"n":1}'),
          itemDone(1, call),
          completed([thought, call], { id: 'resp_1' }),
        ),
      },
      { sse: events(created('resp_2'), ...textItem(['Done.']), completed([message('Done.')])) },
    );
    const streamed = await collect(
      client({ reasoningSummary: 'auto' }).stream({ ...input, tools: { step } }),
    );
    const deltas = streamed.flatMap((e) => (e.type === 'reasoning-delta' ? [e.text] : []));
    expect(deltas.join('')).toBe('Plan first.\n\nThen act.');
    const finish = streamed.at(-1);
    expect(finish?.type === 'finish' && finish.result.reasoning).toBe('Plan first.\n\nThen act.');
    expect(body(1).input).toEqual([
      { role: 'user', content: 'Hello' },
      thought,
      { type: 'function_call', id: 'fc_1', call_id: 'call_1', name: 'step', arguments: '{"n":1}' },
      { type: 'function_call_output', call_id: 'call_1', output: 'step 1 done' },
    ]);
  });

  it('asks for encrypted reasoning only of models that reason, unless told', async () => {
    await start(...Array.from({ length: 4 }, () => ({ json: response([message('ok')]) })));
    await client({ model: 'gpt-4.1' }).chat(input);
    await client({ model: 'gpt-4.1', reasoningEffort: 'low' }).chat(input);
    await client({ model: 'o4-mini', encryptedReasoning: false }).chat(input);
    await client({ model: 'o4-mini', store: true }).chat(input);
    expect(body(0).include).toBeUndefined();
    expect(body(1)).toMatchObject({
      include: ['reasoning.encrypted_content'],
      reasoning: { effort: 'low' },
    });
    expect(body(2).include).toBeUndefined();
    expect(body(3)).toMatchObject({ store: true });
    expect(body(3).include).toBeUndefined();
  });

  it('with store and chainResponses, continues tool turns by previous_response_id', async () => {
    await start(
      { json: response(reasoned(1), { id: 'resp_1', store: true }) },
      { json: response([message('Done.')], { id: 'resp_2', store: true }) },
    );
    const result = await client({ store: true, chainResponses: true }).chat({
      ...input,
      tools: { step },
    });
    expect(result.llmResponse).toBe('Done.');
    expect(body(1)).toMatchObject({
      store: true,
      previous_response_id: 'resp_1',
      instructions: 'SYS',
    });
    expect(body(1).input).toEqual([
      { type: 'function_call_output', call_id: 'call_1', output: 'step 1 done' },
    ]);
  });
});

describe('OpenAIResponsesClient: built-in tools', () => {
  const search = {
    type: 'web_search_call',
    id: 'ws_1',
    status: 'completed',
    action: {
      type: 'search',
      query: 'oslo weather today',
      sources: [{ type: 'url', url: 'https://yr.no/oslo' }],
    },
  };
  const cited = message('Oslo is 4 °C today.', [
    {
      type: 'url_citation',
      start_index: 0,
      end_index: 19,
      url: 'https://yr.no/oslo',
      title: 'Yr: Oslo',
    },
  ]);

  it('answers with a web search: the call, its sources and the URL citations are in the result', async () => {
    await start({ json: response([search, cited]) });
    const result = await client({ builtinTools: [{ type: 'web_search' }] }).chat(input);
    expect(result.llmResponse).toBe('Oslo is 4 °C today.');
    expect(result.builtinToolCalls).toEqual([
      {
        id: 'ws_1',
        type: 'web_search_call',
        status: 'completed',
        sources: [{ url: 'https://yr.no/oslo' }],
        item: search,
        turn: 1,
      },
    ]);
    expect(result.citations).toEqual([
      { type: 'url', url: 'https://yr.no/oslo', title: 'Yr: Oslo', startIndex: 0, endIndex: 19 },
    ]);
    expect(body(0).tools).toEqual([{ type: 'web_search' }]);
    expect(body(0).include).toEqual([
      'reasoning.encrypted_content',
      'web_search_call.action.sources',
    ]);
  });

  it('streams the search call and the citations; per-call built-in tools join the client’s', async () => {
    await start({
      sse: events(
        created(),
        itemAdded(0, { ...search, status: 'in_progress' }),
        ['response.web_search_call.searching', { item_id: 'ws_1', output_index: 0 }],
        itemDone(0, search),
        ...textItem(['Oslo is ', '4 °C today.'], 1).slice(0, -1),
        [
          'response.output_text.annotation.added',
          {
            item_id: 'msg_1',
            output_index: 1,
            content_index: 0,
            annotation_index: 0,
            annotation: cited.content[0]?.annotations[0],
          },
        ],
        itemDone(1, cited),
        completed([search, cited]),
      ),
    });
    const fileSearch = { type: 'file_search', vector_store_ids: ['vs_1'] };
    const streamed = await collect(
      client({ model: 'gpt-4.1', builtinTools: [{ type: 'web_search' }] }).stream({
        ...input,
        builtinTools: [fileSearch],
      }),
    );
    const kinds = streamed
      .map((e) => e.type)
      .filter((t) => t === 'builtin-tool-call' || t === 'citation' || t === 'text-delta');
    expect(kinds).toEqual(['builtin-tool-call', 'text-delta', 'text-delta', 'citation']);
    const finish = streamed.at(-1);
    expect(finish?.type === 'finish' && finish.result.citations?.[0]).toMatchObject({
      url: 'https://yr.no/oslo',
    });
    expect(finish?.type === 'finish' && finish.result.builtinToolCalls?.[0]?.sources).toEqual([
      { url: 'https://yr.no/oslo' },
    ]);
    expect(body(0).tools).toEqual([{ type: 'web_search' }, fileSearch]);
  });

  it('a client without built-in tools refuses them, before any request', async () => {
    await start();
    const chat = new OpenAIClient({ model: 'gpt-4o', apiKey: 'k', baseURL: `${server.url}/v1` });
    const error = await chat
      .chat({ ...input, builtinTools: [{ type: 'web_search' }] })
      .catch((e: unknown) => e);
    expect(InvalidInputError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ field: 'builtinTools' });
    expect(server.requests).toHaveLength(0);
  });
});

describe('OpenAIResponsesClient: how responses end', () => {
  it('a response cut by max_output_tokens says length, and its unfinished call never runs', async () => {
    let ran = 0;
    const cancel = tool({
      description: 'Cancel orders',
      parameters: z.object({ ids: z.array(z.string()) }),
      execute: async () => {
        ran++;
        return 'cancelled';
      },
    });
    const cut = {
      ...functionCall('fc_1', 'call_1', 'cancel', '{"ids":["A1'),
      status: 'incomplete',
    };
    const incomplete = {
      status: 'incomplete',
      incomplete_details: { reason: 'max_output_tokens' },
    };
    await start(
      { json: response([message('Cancelling'), cut], incomplete) },
      {
        sse: events(
          created(),
          ...textItem(['Cancelling']),
          itemAdded(1, { ...cut, arguments: '', status: 'in_progress' }),
          argsDelta(1, 'fc_1', '{"ids":["A1'),
          ['response.incomplete', { response: response([message('Cancelling'), cut], incomplete) }],
        ),
      },
    );
    const c = client({ maxTokens: 20 });
    const result = await c.chat({ ...input, tools: { cancel } });
    expect(result).toMatchObject({
      llmResponse: 'Cancelling',
      finishReason: 'length',
      toolCalls: [],
    });
    const streamed = await collect(c.stream({ ...input, tools: { cancel } }));
    const finish = streamed.at(-1);
    expect(finish?.type === 'finish' && finish.result).toMatchObject({
      llmResponse: 'Cancelling',
      finishReason: 'length',
    });
    expect(streamed.some((e) => e.type === 'tool-call')).toBe(false);
    expect(ran).toBe(0);
    expect(body(0).max_output_tokens).toBe(20);
  });

  it('response.failed: a server error is retried, an invalid prompt is a typed error at once', async () => {
    const failed = (code: string) => ({
      sse: events(created(), [
        'response.failed',
        {
          response: response([], {
            status: 'failed',
            error: { code, message: `${code} happened` },
          }),
        },
      ]),
    });
    await start(
      failed('server_error'),
      { sse: events(created(), ...textItem(['ok']), completed([message('ok')])) },
      failed('invalid_prompt'),
    );
    const c = client();
    const ok = await collect(c.stream(input));
    expect(ok.at(-1)?.type).toBe('finish');
    expect(server.requests).toHaveLength(2);
    const error = await collect(c.stream(input)).catch((e: unknown) => e);
    expect(ProviderError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ retryable: false });
    expect((error as Error).message).toMatch(/invalid_prompt.*invalid_prompt happened/);
    expect(server.requests).toHaveLength(3);
  });

  it('a non-streamed failed response and an in-stream error event are typed errors', async () => {
    await start(
      {
        json: response([], {
          status: 'failed',
          error: { code: 'invalid_image', message: 'bad image' },
        }),
      },
      {
        sse: events(created(), [
          'error',
          { code: 'invalid_request_error', message: 'nope', param: null },
        ]),
      },
    );
    const c = client({ retry: false });
    const first = await c.chat(input).catch((e: unknown) => e);
    expect(first).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/invalid_image/),
    });
    const second = await collect(c.stream(input)).catch((e: unknown) => e);
    expect(ProviderError.isInstance(second)).toBe(true);
    expect(second).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/invalid_request_error/),
    });
  });

  it('a stream request answered with plain JSON says so and is not retried', async () => {
    await start({ json: response([message('not a stream')]) });
    const error = await collect(client().stream(input)).catch((e: unknown) => e);
    expect(error).toMatchObject({
      retryable: false,
      message: expect.stringMatching(/not an event stream/),
    });
    expect(server.requests).toHaveLength(1);
  });

  it('a completed stream with a call whose item never finished is a malformed turn, not a silent drop', async () => {
    const call = functionCall('fc_1', 'call_1', 'step', '{"n":1}');
    await start({
      sse: events(
        created(),
        itemAdded(0, { ...call, arguments: '', status: 'in_progress' }),
        argsDelta(0, 'fc_1', '{"n":1}'),
        completed([call]),
      ),
    });
    const error = await collect(
      client({ retry: false }).stream({ ...input, tools: { step } }),
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ retryable: true, message: expect.stringMatching(/malformed/) });
  });

  it('a refusal is the answer, with finishReason content-filter', async () => {
    const refusal = {
      type: 'message',
      id: 'msg_1',
      status: 'completed',
      role: 'assistant',
      content: [{ type: 'refusal', refusal: "I can't help with that." }],
    };
    await start({ json: response([refusal]) });
    const result = await client().chat(input);
    expect(result).toMatchObject({
      llmResponse: "I can't help with that.",
      finishReason: 'content-filter',
      finishDetails: { reason: 'refusal' },
    });
  });
});

describe('OpenAIResponsesClient: settings', () => {
  it('refuses options the Responses API does not have, and chaining without store', () => {
    const base = { model: 'gpt-5', apiKey: 'k' };
    expect(() => new OpenAIResponsesClient({ ...base, frequencyPenalty: 1 })).toThrow(
      InvalidInputError,
    );
    expect(() => new OpenAIResponsesClient({ ...base, topK: 3 })).toThrow(InvalidInputError);
    expect(() => new OpenAIResponsesClient({ ...base, chainResponses: true })).toThrow(
      /store: true/,
    );
    expect(
      () => new OpenAIResponsesClient({ ...base, builtinTools: [{} as { type: string }] }),
    ).toThrow(/builtinTools\[0\]\.type/);
  });

  it('Azure OpenAI: api "responses" calls the resource’s /openai/responses with the deployment', async () => {
    await start({ json: response([message('Hi from Azure')]) });
    const azure = new AzureOpenAIClient({
      model: 'gpt-5-mini',
      endpoint: server.url,
      apiVersion: '2025-04-01-preview',
      deployment: 'my-gpt5',
      apiKey: 'azure-key',
      api: 'responses',
    });
    const result = await azure.chat(input);
    expect(result.llmResponse).toBe('Hi from Azure');
    expect(result.usage.provider).toBe('azure-openai');
    const [req] = server.requests;
    expect(req?.path).toBe('/openai/responses?api-version=2025-04-01-preview');
    expect(req?.headers['api-key']).toBe('azure-key');
    expect(body(0)).toMatchObject({
      model: 'my-gpt5',
      store: false,
      include: ['reasoning.encrypted_content'],
    });
    expect(
      () =>
        new AzureOpenAIClient({
          model: 'x',
          endpoint: server.url,
          apiVersion: 'v',
          apiKey: 'k',
          store: true,
        }),
    ).toThrow(/api: "responses"/);
  });
});
