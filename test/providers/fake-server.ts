/**
 * A loopback HTTP server that records requests and replays scripted provider responses
 * (JSON bodies or SSE streams), for testing clients through their official SDKs.
 */
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
  /** performance.now() when the request arrived. */
  at: number;
}

export type Reply =
  | { status?: number; headers?: Record<string, string>; json: unknown }
  | {
      status?: number;
      headers?: Record<string, string>;
      /** Raw SSE events, each written followed by a blank line. */
      sse: string[];
      /** Destroy the connection after this many events (a stream cut mid-way). */
      cutAfter?: number;
    };

export interface FakeServer {
  url: string;
  requests: RecordedRequest[];
  push(...replies: Reply[]): void;
  close(): Promise<void>;
}

/** `data: <json>` for an SSE event, with an optional `event:` line. */
export function sse(data: unknown, event?: string): string {
  return `${event ? `event: ${event}\n` : ''}data: ${typeof data === 'string' ? data : JSON.stringify(data)}`;
}

export async function startFakeServer(
  replies: Reply[] = [],
  fallback?: Reply,
): Promise<FakeServer> {
  const queue = [...replies];
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      let body: unknown = text;
      try {
        body = text ? JSON.parse(text) : undefined;
      } catch {}
      requests.push({
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body,
        at: performance.now(),
      });
      const reply = queue.shift() ?? fallback;
      if (!reply) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { message: 'fake server: no reply scripted' } }));
        return;
      }
      if ('json' in reply) {
        res.writeHead(reply.status ?? 200, {
          'content-type': 'application/json',
          ...reply.headers,
        });
        res.end(JSON.stringify(reply.json));
        return;
      }
      res.writeHead(reply.status ?? 200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-cache',
        ...reply.headers,
      });
      reply.sse.forEach((event, i) => {
        if (reply.cutAfter !== undefined && i >= reply.cutAfter) return;
        res.write(`${event}\n\n`);
      });
      if (reply.cutAfter !== undefined) setTimeout(() => res.socket?.destroy(), 5);
      else res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    push: (...more) => queue.push(...more),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
