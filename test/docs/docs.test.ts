import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type FakeServer, startFakeServer } from '../providers/fake-server.js';
import { webSearchAnswer, webSearchStream } from '../providers/openai-responses-wire.js';
import { extractBlocks, outDir } from './doc-blocks.js';
import { type OtlpReceiver, startOtlpReceiver } from './otlp-receiver.js';

const blocks = extractBlocks();
const root = join(import.meta.dirname, '../..');

// Examples that talk to "a local OpenAI-compatible server" reach this one.
let local: FakeServer;
let responses: FakeServer;
let receiver: OtlpReceiver;
beforeAll(async () => {
  local = await startFakeServer([], {
    json: {
      id: 'chatcmpl-docs',
      object: 'chat.completion',
      created: 0,
      model: 'llama3.2',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hello from a local model.' },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 5, completion_tokens: 5, total_tokens: 10 },
    },
  });
  process.env.LOCAL_LLM_URL = `${local.url}/v1`;
  // The Responses example (docs/providers.md) reaches a server speaking the Responses API.
  responses = await startFakeServer([], (request) =>
    (request.body as { stream?: boolean }).stream ? webSearchStream() : { json: webSearchAnswer() },
  );
  process.env.OPENAI_BASE_URL = `${responses.url}/v1`;
  // Examples that need Redis (docs/distributed.md) reach the tests' redis-server.
  process.env.REDIS_URL = inject('redisUrl');
  process.env.POSTGRES_URL = inject('postgresUrl'); // docs/postgres.md
  // The OTLP example (docs/observability.md) exports to a local receiver.
  receiver = await startOtlpReceiver();
  process.env.OTLP_TRACES_URL = `${receiver.url}/v1/traces`;
});
afterAll(async () => {
  delete process.env.LOCAL_LLM_URL;
  delete process.env.OPENAI_BASE_URL;
  await responses.close();
  delete process.env.REDIS_URL;
  delete process.env.POSTGRES_URL;
  delete process.env.OTLP_TRACES_URL;
  await receiver.close();
  await local.close();
});

describe('README and docs code', () => {
  it('has code blocks', () => {
    expect(blocks.length).toBeGreaterThan(0);
  });

  it('type-checks', () => {
    const tsconfig = join(outDir, 'tsconfig.json');
    writeFileSync(
      tsconfig,
      JSON.stringify({
        extends: join(root, 'tsconfig.json'),
        compilerOptions: { noEmit: true, noUnusedLocals: false },
        include: [join(outDir, '*.ts')],
        exclude: [],
      }),
    );
    try {
      execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', tsconfig], { encoding: 'utf8' });
    } catch (error) {
      throw new Error(`Doc code does not type-check:\n${(error as { stdout?: string }).stdout}`);
    }
  }, 120_000);

  for (const block of blocks) {
    it(`runs ${block.source}`, async () => {
      await import(block.file);
    });
  }

  it('the OTLP example’s span reached the receiver', () => {
    expect(receiver.spanNames()).toContain('chat scripted-model');
  });
});
