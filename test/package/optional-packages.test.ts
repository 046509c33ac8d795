import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A user's project with arshai and zod only: every integration subpath imports, and its first
// use says which package to install, as a typed MissingPackageError.
const root = join(import.meta.dirname, '../..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'arshai-bare-'));
  const pkg = join(dir, 'node_modules/arshai');
  mkdirSync(pkg, { recursive: true });
  cpSync(join(root, 'dist'), join(pkg, 'dist'), { recursive: true });
  cpSync(join(root, 'package.json'), join(pkg, 'package.json'));
  symlinkSync(join(root, 'node_modules/zod'), join(dir, 'node_modules/zod'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const script = `import { MissingPackageError } from 'arshai';
import { AnthropicClient } from 'arshai/anthropic';
import { GeminiClient } from 'arshai/gemini';
import { mcpTools } from 'arshai/mcp';
import { AzureOpenAIClient, OpenAIClient, OpenAIResponsesClient } from 'arshai/openai';
import { PostgresCheckpointer } from 'arshai/postgres';
import { RedisCheckpointer } from 'arshai/redis';

const input = { systemPrompt: 's', userMessage: 'hi' };
const uses = {
  openai: () => new OpenAIClient({ model: 'gpt-4o-mini', apiKey: 'k' }).chat(input),
  responses: async () => {
    for await (const _ of new OpenAIResponsesClient({ model: 'gpt-5-mini', apiKey: 'k' }).stream(input));
  },
  azure: () =>
    new AzureOpenAIClient({ model: 'gpt-4o', endpoint: 'https://r.openai.azure.com', apiVersion: '2024-10-21', apiKey: 'k' }).chat(input),
  anthropic: () => new AnthropicClient({ model: 'claude-sonnet-4-5', apiKey: 'k' }).chat(input),
  gemini: () => new GeminiClient({ model: 'gemini-2.5-flash', apiKey: 'k' }).chat(input),
  redis: () => new RedisCheckpointer({ url: 'redis://127.0.0.1:1' }).getLatest('run'),
  postgres: () => new PostgresCheckpointer({ connectionString: 'postgres://127.0.0.1:1/db' }).getLatest('run'),
  mcp: () => mcpTools({ url: 'http://127.0.0.1:1/mcp' }),
};
const out = {};
for (const [name, use] of Object.entries(uses)) {
  try {
    await use();
    out[name] = 'no error';
  } catch (error) {
    out[name] = MissingPackageError.isInstance(error)
      ? { packageName: error.packageName, message: error.message, retryable: error.retryable }
      : String(error);
  }
}
console.log(JSON.stringify(out));
`;

describe('a project without the optional packages', () => {
  it('imports every subpath, and the first use names the package to install', () => {
    writeFileSync(join(dir, 'use.mjs'), script);
    const out = JSON.parse(
      execFileSync(process.execPath, [join(dir, 'use.mjs')], { encoding: 'utf8', cwd: dir }),
    ) as Record<string, unknown>;
    const missing = (packageName: string, subpath: string) => ({
      packageName,
      message: `arshai/${subpath} needs the ${packageName} package: npm install ${packageName}`,
      retryable: false,
    });
    expect(out).toEqual({
      openai: missing('openai', 'openai'),
      responses: missing('openai', 'openai'),
      azure: missing('openai', 'openai'),
      anthropic: missing('@anthropic-ai/sdk', 'anthropic'),
      gemini: missing('@google/genai', 'gemini'),
      redis: missing('ioredis', 'redis'),
      postgres: missing('pg', 'postgres'),
      mcp: missing('@modelcontextprotocol/sdk', 'mcp'),
    });
  });

  it('importing arshai/bullmq says which package is missing: ioredis first, then bullmq', () => {
    const probe = `import { MissingPackageError } from 'arshai';
try {
  await import('arshai/bullmq');
  console.log('no error');
} catch (error) {
  console.log(MissingPackageError.isInstance(error) ? error.message : String(error));
}`;
    writeFileSync(join(dir, 'queue.mjs'), probe);
    const run = () =>
      execFileSync(process.execPath, [join(dir, 'queue.mjs')], { encoding: 'utf8', cwd: dir });
    expect(run()).toBe('arshai/bullmq needs the ioredis package: npm install ioredis\n');
    symlinkSync(join(root, 'node_modules/ioredis'), join(dir, 'node_modules/ioredis'), 'dir');
    try {
      expect(run()).toBe('arshai/bullmq needs the bullmq package: npm install bullmq\n');
    } finally {
      rmSync(join(dir, 'node_modules/ioredis'));
    }
  });
});
