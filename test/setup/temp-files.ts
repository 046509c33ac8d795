/**
 * Vitest global setup: the suite leaves nothing in the temp folder, and two runs on one
 * machine (two clones, CI beside a developer) never touch each other's files. The run gets a
 * temp folder of its own (`TMPDIR`, which the test workers and every process they start
 * inherit). Folders and files the tests, examples, doc samples and benchmarks make there
 * (`arshai-*`, `bench-*`, with their SQLite `-wal` / `-shm` files) must be removed by whoever
 * made them; any left at the end fail the run, named. The folder goes with the run.
 */
import { chmodSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OURS = /^(arshai-|bench-)/;

export function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'arshai-test-run-'));
  // As /tmp is: servers running as their own user (PostgreSQL) make their folders in it too.
  chmodSync(root, 0o1777);
  const outer = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    const left = readdirSync(root).filter((name) => OURS.test(name));
    if (outer === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = outer;
    rmSync(root, { recursive: true, force: true });
    if (left.length > 0)
      throw new Error(`the tests left ${left.length} temp entries behind: ${left.join(', ')}`);
  };
}
