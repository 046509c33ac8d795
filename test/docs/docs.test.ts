import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractBlocks, outDir } from './doc-blocks.js';

const blocks = extractBlocks();
const root = join(import.meta.dirname, '../..');

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
});
