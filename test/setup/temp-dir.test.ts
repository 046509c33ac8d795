import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { expect, it } from 'vitest';

it("the run's temp folder is its own (another run's clean-up cannot remove what a test made)", () => {
  expect(basename(tmpdir())).toMatch(/^arshai-test-run-/);
  const made = mkdtempSync(join(tmpdir(), 'arshai-probe-'));
  expect(dirname(made)).toBe(tmpdir());
  rmSync(made, { recursive: true });
});
