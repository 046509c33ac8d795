/**
 * OpenAI Responses API wire format. Fixtures follow the API reference:
 * - response object: https://platform.openai.com/docs/api-reference/responses/object
 *   (`output` items: `message` with `output_text` parts and their `annotations`,
 *   `function_call`, `reasoning` with `summary` and `encrypted_content`, `web_search_call`;
 *   `status` `completed` / `incomplete` with `incomplete_details.reason` / `failed` with `error`)
 * - streaming events: https://platform.openai.com/docs/api-reference/responses-streaming
 *   (`event: <type>` + `data: {"type": <type>, "sequence_number": n, ...}`:
 *   `response.created`, `response.output_item.added` / `.done`, `response.output_text.delta`,
 *   `response.function_call_arguments.delta` / `.done`, `response.reasoning_summary_part.added`,
 *   `response.reasoning_summary_text.delta`, `response.output_text.annotation.added`,
 *   `response.completed` / `.incomplete` / `.failed`, `error`)
 * - reasoning across tool calls with `store: false`:
 *   https://platform.openai.com/docs/guides/reasoning#keeping-reasoning-items-in-context
 *   (`include: ["reasoning.encrypted_content"]`, the reasoning items passed back as input)
 * - web search: https://platform.openai.com/docs/guides/tools-web-search (`web_search_call`
 *   with `action.sources` when `include: ["web_search_call.action.sources"]`; `url_citation`)
 * - errors: https://platform.openai.com/docs/guides/error-codes (`{ error: { message, type } }`)
 */
import { type SseStep, sse } from './fake-server.js';
import type { Json } from './provider-fixture.js';

export const usage = {
  input_tokens: 19,
  input_tokens_details: { cached_tokens: 4 },
  output_tokens: 10,
  output_tokens_details: { reasoning_tokens: 3 },
  total_tokens: 29,
};

export const headers = { 'x-request-id': 'req_resp_123' };

/** A whole response object, `completed` unless `extra` says otherwise. */
export const response = (output: Json[], extra: Json = {}) => ({
  id: 'resp_123',
  object: 'response',
  created_at: 1741476777,
  status: 'completed',
  error: null,
  incomplete_details: null,
  instructions: null,
  max_output_tokens: null,
  model: 'gpt-4.1-2025-04-14',
  output,
  parallel_tool_calls: true,
  previous_response_id: null,
  reasoning: { effort: null, summary: null },
  store: false,
  temperature: 1,
  text: { format: { type: 'text' } },
  tool_choice: 'auto',
  tools: [],
  top_p: 1,
  truncation: 'disabled',
  usage,
  user: null,
  metadata: {},
  ...extra,
});

export const message = (text: string, annotations: Json[] = []) => ({
  type: 'message',
  id: 'msg_1',
  status: 'completed',
  role: 'assistant',
  content: [{ type: 'output_text', text, annotations }],
});

export const functionCall = (id: string, callId: string, name: string, args: string) => ({
  type: 'function_call',
  id,
  call_id: callId,
  name,
  arguments: args,
  status: 'completed',
});

export const reasoning = (id: string, encrypted: string, summary: string[] = []) => ({
  type: 'reasoning',
  id,
  summary: summary.map((text) => ({ type: 'summary_text', text })),
  encrypted_content: encrypted,
});

/** SSE events with their `event:` line and running `sequence_number`s. */
export function events(...list: Array<[string, Json] | SseStep>): SseStep[] {
  let n = 0;
  return list.map((e) =>
    Array.isArray(e) ? sse({ type: e[0], sequence_number: n++, ...e[1] }, e[0]) : e,
  );
}

const inProgress = (id = 'resp_123') => response([], { id, status: 'in_progress', usage: null });

export const created = (id = 'resp_123'): [string, Json] => [
  'response.created',
  { response: inProgress(id) },
];

export const completed = (output: Json[], extra: Json = {}): [string, Json] => [
  'response.completed',
  { response: response(output, extra) },
];

/** The events of one streamed message item at `index`, its text in `chunks`. */
export function textItem(chunks: string[], index = 0): Array<[string, Json]> {
  const item = message(chunks.join(''));
  return [
    [
      'response.output_item.added',
      { output_index: index, item: { ...item, status: 'in_progress', content: [] } },
    ],
    [
      'response.content_part.added',
      {
        item_id: 'msg_1',
        output_index: index,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      },
    ],
    ...chunks.map((delta): [string, Json] => [
      'response.output_text.delta',
      { item_id: 'msg_1', output_index: index, content_index: 0, delta, logprobs: [] },
    ]),
    [
      'response.output_text.done',
      {
        item_id: 'msg_1',
        output_index: index,
        content_index: 0,
        text: chunks.join(''),
        logprobs: [],
      },
    ],
    ['response.output_item.done', { output_index: index, item }],
  ];
}

export const itemAdded = (index: number, item: Json): [string, Json] => [
  'response.output_item.added',
  { output_index: index, item },
];

export const itemDone = (index: number, item: Json): [string, Json] => [
  'response.output_item.done',
  { output_index: index, item },
];

export const argsDelta = (index: number, itemId: string, delta: string): [string, Json] => [
  'response.function_call_arguments.delta',
  { item_id: itemId, output_index: index, delta },
];

export const argsDone = (index: number, itemId: string, args: string): [string, Json] => [
  'response.function_call_arguments.done',
  { item_id: itemId, output_index: index, arguments: args },
];

/** A web search answer with a URL citation (the docs' Responses example). */
export function webSearchAnswer() {
  const text = 'Oslo is 4 °C and cloudy today.';
  return response([
    {
      type: 'web_search_call',
      id: 'ws_1',
      status: 'completed',
      action: {
        type: 'search',
        query: 'Oslo weather',
        sources: [{ type: 'url', url: 'https://www.yr.no/en/forecast/Oslo' }],
      },
    },
    message(text, [
      {
        type: 'url_citation',
        start_index: 0,
        end_index: text.length,
        url: 'https://www.yr.no/en/forecast/Oslo',
        title: 'Yr: Oslo',
      },
    ]),
  ]);
}

/** The same answer, streamed. */
export function webSearchStream() {
  const answer = webSearchAnswer();
  const [search, cited] = answer.output as [Json, Json];
  return {
    sse: events(
      created(),
      itemDone(0, search),
      ...textItem([cited.content[0].text], 1).slice(0, -1),
      [
        'response.output_text.annotation.added',
        {
          item_id: 'msg_1',
          output_index: 1,
          content_index: 0,
          annotation_index: 0,
          annotation: cited.content[0].annotations[0],
        },
      ],
      itemDone(1, cited),
      completed(answer.output),
    ),
  };
}
