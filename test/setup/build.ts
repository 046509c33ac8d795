/** Vitest global setup: builds dist/ once, for the tests that use the built package or CLI. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export function setup(): void {
  execFileSync('npm', ['run', 'build'], { cwd: join(import.meta.dirname, '../..'), stdio: 'pipe' });
}
