/** A local OTLP/HTTP receiver (JSON), for the docs' export example. */
import { createServer } from 'node:http';

export interface OtlpReceiver {
  url: string;
  spanNames(): string[];
  close(): Promise<void>;
}

interface ExportRequest {
  resourceSpans?: Array<{ scopeSpans?: Array<{ spans?: Array<{ name: string }> }> }>;
}

export function startOtlpReceiver(): Promise<OtlpReceiver> {
  const names: string[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      if (req.method === 'POST' && req.url === '/v1/traces') {
        const parsed = JSON.parse(body) as ExportRequest;
        for (const r of parsed.resourceSpans ?? [])
          for (const scope of r.scopeSpans ?? [])
            for (const s of scope.spans ?? []) names.push(s.name);
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else res.writeHead(404).end();
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        spanNames: () => [...names],
        close: () => new Promise((done) => server.close(() => done())),
      });
    });
  });
}
