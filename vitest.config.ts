import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (path: string) => fileURLToPath(new URL(`./src/${path}`, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^arshai$/, replacement: src('index.ts') },
      { find: /^arshai\/testing$/, replacement: src('testing/index.ts') },
      { find: /^arshai\/adapter-kit$/, replacement: src('adapter-kit/index.ts') },
      { find: /^arshai\/redis$/, replacement: src('redis/index.ts') },
      { find: /^arshai\/bullmq$/, replacement: src('bullmq/index.ts') },
      { find: /^arshai\/mcp$/, replacement: src('mcp/index.ts') },
      { find: /^arshai\/postgres$/, replacement: src('postgres/index.ts') },
      { find: /^arshai\/studio$/, replacement: src('studio/index.ts') },
      {
        find: /^arshai\/(openai|anthropic|gemini|ai-sdk)$/,
        replacement: src('providers/$1/index.ts'),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: [
      'test/setup/temp-files.ts',
      'test/setup/build.ts',
      'test/setup/redis-server.ts',
      'test/setup/postgres-server.ts',
      'test/setup/chromium.ts',
    ],
    testTimeout: 20_000,
    hookTimeout: 60_000,
  },
});
