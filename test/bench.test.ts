/** The benchmark keeps working: quick mode for the baseline and arshai (no time is asserted). */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

it('npm run bench -- --quick checks and times the scenarios', () => {
  const root = join(import.meta.dirname, '..');
  const out = join(root, '.tmp/bench-test.md');
  execFileSync(
    process.execPath,
    ['bench/run.ts', '--quick', '--only=baseline,arshai', `--out=${out}`],
    {
      cwd: root,
      stdio: 'pipe',
    },
  );
  const doc = readFileSync(out, 'utf8');
  for (const section of [
    'S1 pipeline',
    'S2 fan-out',
    'S3 tool loop',
    'S4 concurrency',
    'S5 graph',
    'Scale-out: arshai/bullmq on worker processes',
    'Telemetry: a traced tool loop (arshai)',
    'Checkpoint retention: SQLite with many runs (arshai)',
    'Import time',
  ]) {
    expect(doc).toContain(section);
  }
  expect(doc).toMatch(/\| arshai \| \d+\.\d \/ \d+\.\d \(\d+\.\d×\) \|/);
  expect(doc).not.toContain('check failed');
  expect(doc).toMatch(/\| 2 worker processes \| \d+ \| \d+\.\d \|/);
  expect(doc).toMatch(/Queue overhead per step .*\n\s+\d+\.\d\d ms/);
  expect(doc).toMatch(/\| on \(SDK tracer\) \| \d+\.\d \/ \d+\.\d \|/);
  expect(doc).toMatch(/\| 1000 \(21000\) \| \d+\.\d\d \/ \d+\.\d\d \|/);
}, 180_000);
