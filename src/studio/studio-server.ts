import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { ArshaiError } from '../errors/arshai-error.js';
import { InvalidInputError } from '../errors/invalid-input-error.js';
import { type Logger, silentLogger } from '../utils/logger.js';
import type { HumanAnswer } from '../workflows/interrupt-answer.js';
import { RunConflictError, RunNotFoundError } from '../workflows/workflow-errors.js';
import { StudioApi, type StudioApiOptions } from './studio-api.js';
import { STUDIO_CSS, STUDIO_PAGE } from './studio-page.js';
import { STUDIO_SCRIPT } from './studio-script.js';

/** What `createStudio` takes. */
export interface StudioOptions extends StudioApiOptions {
  /**
   * Required on every request when set (`?token=` once — it is then kept in a cookie — or
   * `Authorization: Bearer`); `listen` on a host that is not loopback refuses to start without one.
   */
  token?: string;
  /** How often a live page's run is checked for new steps. @default 500 */
  pollMs?: number;
  /** Where failures of the runs the studio continues are reported. @default silent */
  logger?: Logger;
}

/** A running studio: an HTTP handler, and the server `listen` made. */
export interface Studio {
  /** Serves one request (mount it in your own server, or use `listen`). */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Listens on `host:port` (@default 127.0.0.1, a free port) and resolves with the page's URL. */
  listen(options?: { port?: number; host?: string }): Promise<{ url: string; port: number }>;
  /** Ends live pages, stops the runs the studio continues, closes the server. */
  close(): Promise<void>;
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|\[::1\]|::1)(:\d+)?$/;
const MAX_BODY = 64 * 1024;
const COOKIE = 'arshai_studio';

/**
 * The arshai studio: a local page (no CDN, nothing downloaded) that lists runs, draws their
 * workflow with the path taken, shows each step's state changes, answers interrupts and forks
 * runs — over any `Checkpointer`, behind a small JSON API (`/api/runs`, `/api/runs/:id`, …).
 *
 * @example
 * ```ts no-run
 * const studio = createStudio({ checkpointer, runners: [new WorkflowRunner(workflow, { checkpointer })] });
 * const { url } = await studio.listen({ port: 4400 });
 * ```
 */
export function createStudio(options: StudioOptions): Studio {
  const api = new StudioApi(options);
  const logger = options.logger ?? silentLogger;
  const pollMs = options.pollMs ?? 500;
  const token = options.token;
  if (token !== undefined && token.length < 8)
    throw new InvalidInputError('token', 'must be at least 8 characters');
  const live = new Set<ServerResponse>();
  let server: Server | undefined;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? '/', 'http://studio');
      if (!allowed(req, url, res)) return;
      await route(req, res, url);
    } catch (error) {
      sendError(res, error, logger);
    }
  }

  function allowed(req: IncomingMessage, url: URL, res: ServerResponse): boolean {
    if (token === undefined) {
      // Only pages of this machine: a name that resolves here (DNS rebinding) is refused.
      if (LOOPBACK.test(req.headers.host ?? '')) return true;
      send(res, 403, {
        error: { name: 'Forbidden', message: 'the studio answers loopback hosts only' },
      });
      return false;
    }
    const given =
      url.searchParams.get('token') ??
      /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1] ??
      cookie(req.headers.cookie, COOKIE);
    if (given !== undefined && same(given, token)) {
      if (url.searchParams.has('token'))
        res.setHeader(
          'set-cookie',
          `${COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`,
        );
      return true;
    }
    send(res, 401, {
      error: { name: 'Unauthorized', message: 'a valid studio token is required' },
    });
    return false;
  }

  async function route(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const parts = url.pathname.split('/').slice(1).map(segment);
    const method = req.method ?? 'GET';
    if (method === 'GET' && url.pathname === '/') return asset(res, 'text/html', STUDIO_PAGE);
    if (method === 'GET' && url.pathname === '/studio.js')
      return asset(res, 'text/javascript', STUDIO_SCRIPT);
    if (method === 'GET' && url.pathname === '/studio.css')
      return asset(res, 'text/css', STUDIO_CSS);
    if (parts[0] !== 'api' || parts[1] !== 'runs') return notFound(res);
    const [runId, action] = [parts[2], parts[3]];
    if (method === 'GET' && runId === undefined) {
      const q = url.searchParams;
      const number = (name: string) => (q.has(name) ? Number(q.get(name)) : undefined);
      const list = await api.listRuns({
        ...(q.get('status') ? { status: q.get('status') as string } : {}),
        ...(q.get('workflow') ? { workflow: q.get('workflow') as string } : {}),
        ...(number('offset') !== undefined ? { offset: number('offset') as number } : {}),
        ...(number('limit') !== undefined ? { limit: number('limit') as number } : {}),
      });
      return send(res, 200, list);
    }
    if (runId === undefined || parts.length > 4) return notFound(res);
    if (method === 'GET' && action === undefined) return send(res, 200, await api.runView(runId));
    if (method === 'GET' && action === 'events') return watch(req, res, runId);
    if (method === 'POST' && action === 'resume') {
      await api.resume(runId, answerOf(await body(req)));
      return send(res, 202, { runId, status: 'resumed' });
    }
    if (method === 'POST' && action === 'fork') {
      const step = (await body(req)).step;
      return send(res, 201, { runId: await api.fork(runId, Number(step ?? Number.NaN)) });
    }
    return notFound(res);
  }

  /** Server-sent events: `{ version, status }` each time the run has a new checkpoint. */
  async function watch(req: IncomingMessage, res: ServerResponse, runId: string): Promise<void> {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      ...SECURITY_HEADERS,
    });
    live.add(res);
    let seen = -1;
    let beats = 0;
    const stop = () => {
      clearInterval(timer);
      live.delete(res);
    };
    const tick = async () => {
      try {
        const now = await api.version(runId);
        if (now && now.version !== seen) {
          seen = now.version;
          res.write(`data: ${JSON.stringify(now)}\n\n`);
        } else if (++beats % 30 === 0) res.write(': still here\n\n');
      } catch (error) {
        logger.warn('arshai studio: watching a run failed', { error: String(error) });
      }
    };
    const timer = setInterval(tick, pollMs);
    req.on('close', stop);
    await tick();
  }

  return {
    handle,
    async listen({ port = 0, host = '127.0.0.1' } = {}) {
      if (token === undefined && !LOOPBACK.test(host))
        throw new InvalidInputError('token', `listening on "${host}" (not loopback) needs a token`);
      server = createServer((req, res) => void handle(req, res));
      await new Promise<void>((resolve, reject) => {
        server?.once('error', reject);
        server?.listen(port, host, () => resolve());
      });
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : port;
      const shown = host.includes(':') ? `[${host}]` : host;
      return { url: `http://${shown}:${bound}/`, port: bound };
    },
    async close() {
      for (const res of live) res.end();
      live.clear();
      await api.close();
      if (!server) return;
      const closing = new Promise<void>((resolve) => server?.close(() => resolve()));
      server.closeAllConnections();
      await closing;
    },
  };
}

const SECURITY_HEADERS = {
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function asset(res: ServerResponse, type: string, text: string): void {
  res.writeHead(200, {
    'content-type': `${type}; charset=utf-8`,
    'cache-control': 'no-store',
    ...SECURITY_HEADERS,
  });
  res.end(text);
}

function send(res: ServerResponse, status: number, value: unknown): void {
  if (res.headersSent) return;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'cache-control': 'no-store',
    ...SECURITY_HEADERS,
  });
  res.end(JSON.stringify(value));
}

function notFound(res: ServerResponse): void {
  send(res, 404, { error: { name: 'NotFound', message: 'no such page' } });
}

/** Typed refusals keep their name and message; anything else is logged and answered 500. */
function sendError(res: ServerResponse, error: unknown, logger: Logger): void {
  const status = InvalidInputError.isInstance(error)
    ? 400
    : RunNotFoundError.isInstance(error)
      ? 404
      : RunConflictError.isInstance(error)
        ? 409
        : 500;
  const name = ArshaiError.isInstance(error) ? error.name : ((error as Error)?.name ?? 'Error');
  if (status === 500) logger.error('arshai studio: a request failed', { error: name });
  send(res, status, { error: { name, message: (error as Error)?.message ?? String(error) } });
}

/** A JSON request body (at most 64 KB), or `InvalidInputError`. Cross-site forms cannot send JSON. */
async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  if (!/^application\/json\b/.test(req.headers['content-type'] ?? ''))
    throw new InvalidInputError('content-type', 'must be application/json');
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > MAX_BODY) throw new InvalidInputError('body', 'is larger than 64 KB');
  }
  try {
    const value: unknown = text ? JSON.parse(text) : {};
    if (typeof value === 'object' && value !== null && !Array.isArray(value))
      return value as Record<string, unknown>;
  } catch {}
  throw new InvalidInputError('body', 'must be a JSON object');
}

function answerOf(b: Record<string, unknown>): HumanAnswer {
  const { decision, reason, value } = b;
  if (decision !== undefined && decision !== 'approve' && decision !== 'reject')
    throw new InvalidInputError('decision', 'must be "approve" or "reject"');
  if (reason !== undefined && typeof reason !== 'string')
    throw new InvalidInputError('reason', 'must be text');
  return {
    ...(decision ? { decision } : {}),
    ...(typeof reason === 'string' && reason ? { reason } : {}),
    ...(value !== undefined ? { value } : {}),
  };
}

function segment(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InvalidInputError('path', 'is not a valid URL path');
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return decodeURIComponent(rest.join('='));
  }
  return undefined;
}

function same(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}
