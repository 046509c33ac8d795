/**
 * A loopback HTTP server that records requests and replays scripted provider responses
 * (JSON bodies, raw bodies or SSE streams), for testing clients through their official SDKs.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The JSON body parsed, or the raw text when it is not JSON. */
  body: unknown;
  /** performance.now() when the request arrived. */
  at: number;
  /** performance.now() when the connection closed before the reply was complete. */
  closedEarlyAt?: number;
}

/** A step of a scripted SSE stream: an event's text, or a wait before the next event. */
export type SseStep = string | (() => Promise<unknown>);

export type Reply =
  | { status?: number; headers?: Record<string, string>; json: unknown }
  /** A body sent as it is (e.g. invalid JSON). */
  | { status?: number; headers?: Record<string, string>; raw: string }
  | {
      status?: number;
      headers?: Record<string, string>;
      /** Raw SSE events, each written followed by a blank line; functions are awaited. */
      sse: SseStep[];
      /** Destroy the connection after this many events (a stream cut mid-way). */
      cutAfter?: number;
    }
  /** Never answers (until the client gives up or the server closes). */
  | { hang: true };

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  push(...replies: Reply[]): void;
  /** Resolves when request `index` has arrived. */
  requestArrived(index: number): Promise<RecordedRequest>;
  close(): Promise<void>;
}

/** `data: <json>` for an SSE event, with an optional `event:` line. */
export function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}`;
}

/** The URL of a loopback port nothing listens on (a server started and closed). */
export async function closedPortUrl(): Promise<string> {
  const server = await startFakeServer();
  await server.close();
  return server.url;
}

export async function startFakeServer(
  replies: Reply[] = [],
  /** The reply once `replies` are used up; a function picks it by the request. */
  fallback?: Reply | ((request: RecordedRequest) => Reply),
): Promise<FakeServer> {
  const queue = [...replies];
  const requests: RecordedRequest[] = [];
  const waiters: Array<() => void> = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        at: performance.now(),
      };
      requests.push(recorded);
      res.on('close', () => {
        if (!res.writableFinished) recorded.closedEarlyAt = performance.now();
      });
      for (const wake of waiters.splice(0)) wake();
      void answer(
        queue.shift() ?? (typeof fallback === 'function' ? fallback(recorded) : fallback),
        res,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    push: (...more) => queue.push(...more),
    requestArrived: async (index) => {
      while (requests.length <= index) await new Promise<void>((wake) => waiters.push(wake));
      return requests[index] as RecordedRequest;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

type Response = import('node:http').ServerResponse;

async function answer(reply: Reply | undefined, res: Response): Promise<void> {
  if (!reply) {
    res.writeHead(500, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'fake server: no reply scripted' } }));
    return;
  }
  if ('hang' in reply) return;
  if ('json' in reply || 'raw' in reply) {
    res.writeHead(reply.status ?? 200, { 'content-type': 'application/json', ...reply.headers });
    res.end('json' in reply ? JSON.stringify(reply.json) : reply.raw);
    return;
  }
  res.writeHead(reply.status ?? 200, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    ...reply.headers,
  });
  let written = 0;
  for (const step of reply.sse) {
    if (reply.cutAfter !== undefined && written >= reply.cutAfter) break;
    if (typeof step === 'function') {
      await step();
      continue;
    }
    if (res.destroyed) return;
    res.write(`${step}\n\n`);
    written++;
  }
  if (reply.cutAfter !== undefined) setTimeout(() => res.socket?.destroy(), 5);
  else res.end();
}
