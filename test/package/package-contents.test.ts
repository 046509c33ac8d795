/** What a user installs: the packed files, the package fields bundlers and Node read. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  sideEffects?: unknown;
  license: string;
  keywords?: string[];
  exports: Record<string, string | Record<string, string>>;
};

describe('the package', () => {
  it('packs its license and changelog, and no source maps that point at sources it does not ship', () => {
    const [packed] = JSON.parse(
      execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
        cwd: root,
        encoding: 'utf8',
      }),
    ) as Array<{ files: Array<{ path: string }> }>;
    const files = (packed?.files ?? []).map((f) => f.path);
    expect(files).toContain('LICENSE');
    expect(files).toContain('CHANGELOG.md');
    expect(files).toContain('dist/index.js');
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('src/'))).toEqual([]);
    expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License/);
    expect(pkg.license).toBe('MIT');
  });

  it('says it has no side effects, and every entry has a default condition', () => {
    expect(pkg.sideEffects).toBe(false);
    expect(pkg.keywords?.length).toBeGreaterThan(3);
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target === 'string') continue;
      expect(target.default, entry).toBe(target.import);
    }
  });

  it("Node's require() of the ESM entries works", () => {
    const out = execFileSync(
      process.execPath,
      [
        '-e',
        "const a = require('arshai'); const t = require('arshai/testing'); console.log(typeof a.WorkflowGraph, typeof t.ScriptedLLMClient)",
      ],
      { cwd: root, encoding: 'utf8' },
    );
    expect(out.trim()).toBe('function function');
  });
});
