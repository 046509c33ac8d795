/**
 * Vitest global setup: the suite leaves nothing in the temp folder. Folders and files the
 * tests, examples, doc samples and benchmarks make there (`arshai-*`, `bench-*`, with their
 * SQLite `-wal` / `-shm` files) must be removed by whoever made them; any left at the end
 * are removed here and fail the run, named.
 */
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const OURS = /^(arshai-|bench-)/;
let before: Set<string>;

function ours(): string[] {
  return readdirSync(tmpdir()).filter((name) => OURS.test(name));
}

export function setup(): () => void {
  before = new Set(ours());
  return () => {
    const left = ours().filter((name) => !before.has(name));
    for (const name of left) rmSync(join(tmpdir(), name), { recursive: true, force: true });
    if (left.length > 0)
      throw new Error(`the tests left ${left.length} temp entries behind: ${left.join(', ')}`);
  };
}
