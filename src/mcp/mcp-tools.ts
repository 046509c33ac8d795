import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import type { ToolGuardrails } from '../llm/guardrails.js';
import type { JsonSchema } from '../llm/json-schema.js';
import { type Tool, tool } from '../llm/tool.js';
import { importOptional } from '../utils/optional-package.js';

/** An MCP server started as a child process, spoken to over stdio. */
export interface McpStdioServer {
  command: string;
  args?: string[];
  /** The child's environment (only these variables, as the SDK does). */
  env?: Record<string, string>;
  cwd?: string;
}

/** An MCP server at a URL: Streamable HTTP, falling back to the legacy SSE transport. */
export interface McpHttpServer {
  url: string;
  headers?: Record<string, string>;
}

/** What `mcpTools` takes. */
export type McpToolsOptions = (McpStdioServer | McpHttpServer) & {
  /** Put before each tool name (`github_`), so two servers' tools never collide. */
  prefix?: string;
  /** Time limit of connecting, and of each tool call. @default 30000 */
  timeoutMs?: number | undefined;
  /** Cancels connecting. */
  signal?: AbortSignal | undefined;
  /**
   * Which calls wait for a human's approval (see `tool()`'s `needsApproval`): all, or those a
   * rule picks by the server's tool name and the arguments.
   * @default none
   */
  needsApproval?: boolean | ((toolName: string, args: unknown) => boolean | Promise<boolean>);
  /** Guardrails on every tool of the server (on the arguments, and on the results). */
  guardrails?: ToolGuardrails;
};

/** The tools of a connected MCP server, and the connection. */
export interface McpTools {
  /**
   * The server's tools, ready for `tools` / `regularFunctions`. The same object is updated in
   * place when the server says its tool list changed.
   */
  tools: Record<string, Tool>;
  /** Closes the connection (and stops a stdio server). */
  close(): Promise<void>;
}

/** The MCP connection failed: connecting, or the server went away during a call. */
export class McpConnectionError extends ArshaiError {
  static override readonly code: string = 'McpConnectionError';
}

type Content = {
  type: string;
  text?: string;
  data?: string;
  mimeType?: string;
  resource?: unknown;
};

/**
 * Connects to an MCP server and returns its tools as arshai tools: each tool's JSON Schema
 * is its parameter schema (arguments are validated before the call), its result content
 * becomes the tool output (text as text; structured content, images and resources as JSON),
 * an MCP tool error goes back to the model as the tool's error, and a server that dies
 * mid-call fails the call at once with `McpConnectionError`. Needs the optional peer
 * `@modelcontextprotocol/sdk`.
 *
 * @example
 * ```ts no-run
 * const mcp = await mcpTools({ command: 'npx', args: ['@modelcontextprotocol/server-everything'] });
 * const result = await llm.chat({ systemPrompt, userMessage, tools: mcp.tools });
 * await mcp.close();
 * ```
 */
export async function mcpTools(options: McpToolsOptions): Promise<McpTools> {
  const timeoutMs = options?.timeoutMs ?? 30_000;
  if (!(timeoutMs > 0)) throw new InvalidInputError('timeoutMs', 'must be a positive number');
  const prefix = options.prefix ?? '';
  if (!/^[A-Za-z0-9_-]{0,32}$/.test(prefix))
    throw new InvalidInputError('prefix', 'up to 32 letters, digits, _ or -');
  const approval = options.needsApproval;
  if (approval !== undefined && typeof approval !== 'boolean' && typeof approval !== 'function')
    throw new InvalidInputError('needsApproval', 'must be a boolean or a function');
  const sdk = await loadSdk();
  const client = new sdk.Client({ name: 'arshai', version: '0.1.0' });
  const request = (signal?: AbortSignal) => ({ timeout: timeoutMs, ...(signal ? { signal } : {}) });
  let closed = false;
  // Calls in flight: a transport that fails or closes fails them at once (never a hang).
  const inFlight = new Set<AbortController>();
  const failAll = (cause: unknown) => {
    const error = new McpConnectionError('The MCP server went away during the call', {
      cause,
      retryable: true,
    });
    for (const c of inFlight) c.abort(error);
  };
  await connect(sdk, client, options, request(options.signal));
  // Watched once connected: a Streamable HTTP attempt that fell back to SSE closed on the way.
  client.onclose = () => {
    closed = true;
    failAll(undefined);
  };
  client.onerror = (error) => failAll(error);
  const tools: Record<string, Tool> = {};
  const refresh = async () => {
    const listed = await client.listTools(undefined, request());
    for (const name of Object.keys(tools)) delete tools[name];
    for (const t of listed.tools) {
      tools[`${prefix}${t.name}`] = tool({
        description: t.description ?? t.title ?? t.name,
        parameters: t.inputSchema as JsonSchema,
        timeoutMs,
        ...(approval === undefined ? {} : { needsApproval: approvalOf(approval, t.name) }),
        ...(options.guardrails ? { guardrails: options.guardrails } : {}),
        execute: async (args, ctx) => {
          if (closed)
            throw new McpConnectionError(`MCP server closed before "${t.name}" was called`);
          let result: { isError?: boolean; content?: unknown; structuredContent?: unknown };
          const call = new AbortController();
          const stop = () => call.abort(ctx.signal.reason);
          ctx.signal.addEventListener('abort', stop, { once: true });
          inFlight.add(call);
          try {
            result = (await client.callTool(
              { name: t.name, arguments: args as Record<string, unknown> },
              undefined,
              request(call.signal),
            )) as typeof result;
          } catch (error) {
            if (ctx.signal.aborted) throw error;
            const reason: unknown = call.signal.reason;
            if (McpConnectionError.isInstance(reason)) throw reason;
            if (closed)
              throw new McpConnectionError(`MCP server went away during "${t.name}"`, {
                cause: error,
                retryable: true,
              });
            throw error;
          } finally {
            inFlight.delete(call);
            ctx.signal.removeEventListener('abort', stop);
          }
          return outputOf(t.name, result);
        },
      });
    }
  };
  await refresh();
  client.setNotificationHandler(sdk.ToolListChangedNotificationSchema, async () => {
    await refresh().catch(() => {}); // the old list stays until a refresh succeeds
  });
  return { tools, close: () => client.close() };
}

/** One tool's `needsApproval` from the server-wide option. */
function approvalOf(
  approval: NonNullable<McpToolsOptions['needsApproval']>,
  name: string,
): boolean | ((args: unknown) => boolean | Promise<boolean>) {
  return typeof approval === 'boolean' ? approval : (args) => approval(name, args);
}

/** A call's result as the tool's output; an MCP tool error is thrown (the model sees it). */
function outputOf(
  name: string,
  result: { isError?: boolean; content?: unknown; structuredContent?: unknown },
) {
  const content = (Array.isArray(result.content) ? result.content : []) as Content[];
  const text = content.filter((c) => c.type === 'text').map((c) => c.text ?? '');
  if (result.isError) throw new Error(text.join('\n') || `MCP tool "${name}" failed`);
  if (result.structuredContent !== undefined) return result.structuredContent;
  if (content.length > 0 && text.length === content.length) return text.join('\n');
  return content;
}

type Sdk = Awaited<ReturnType<typeof loadSdk>>;

async function loadSdk() {
  const [client, stdio, http, sse, types] = await importOptional(
    '@modelcontextprotocol/sdk',
    'arshai/mcp',
    () =>
      Promise.all([
        import('@modelcontextprotocol/sdk/client/index.js'),
        import('@modelcontextprotocol/sdk/client/stdio.js'),
        import('@modelcontextprotocol/sdk/client/streamableHttp.js'),
        import('@modelcontextprotocol/sdk/client/sse.js'),
        import('@modelcontextprotocol/sdk/types.js'),
      ]),
  );
  return {
    Client: client.Client,
    StdioClientTransport: stdio.StdioClientTransport,
    StreamableHTTPClientTransport: http.StreamableHTTPClientTransport,
    SSEClientTransport: sse.SSEClientTransport,
    ToolListChangedNotificationSchema: types.ToolListChangedNotificationSchema,
  };
}

async function connect(
  sdk: Sdk,
  client: InstanceType<Sdk['Client']>,
  options: McpToolsOptions,
  request: { timeout: number; signal?: AbortSignal },
): Promise<void> {
  try {
    if ('command' in options) {
      if (typeof options.command !== 'string' || options.command === '')
        throw new InvalidInputError('command', 'must be the command that starts the server');
      const transport = new sdk.StdioClientTransport({
        command: options.command,
        ...(options.args ? { args: options.args } : {}),
        ...(options.env ? { env: options.env } : {}),
        ...(options.cwd ? { cwd: options.cwd } : {}),
        stderr: 'ignore', // the library never writes to the host's console
      });
      await client.connect(transport, request);
      return;
    }
    let url: URL;
    try {
      url = new URL(options.url);
    } catch {
      throw new InvalidInputError('url', 'must be an http(s) URL');
    }
    const init = options.headers ? { requestInit: { headers: options.headers } } : {};
    try {
      await client.connect(new sdk.StreamableHTTPClientTransport(url, init), request);
    } catch (error) {
      if (request.signal?.aborted) throw error;
      // An older server: the legacy HTTP+SSE transport.
      await client.connect(new sdk.SSEClientTransport(url, init), request);
    }
  } catch (error) {
    if (InvalidInputError.isInstance(error)) throw error;
    throw new McpConnectionError('Could not connect to the MCP server', {
      cause: error,
      retryable: true,
    });
  }
}
