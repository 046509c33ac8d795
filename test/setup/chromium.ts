/**
 * Vitest global setup: installs Debian's Chromium if missing (scripts/ensure-chromium.sh)
 * and provides its path as `inject('chromiumPath')` for the studio's page tests.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';

declare module 'vitest' {
  export interface ProvidedContext {
    chromiumPath: string;
  }
}

export function setup(project: TestProject): void {
  try {
    execFileSync('bash', [join(import.meta.dirname, '../../scripts/ensure-chromium.sh')], {
      stdio: 'inherit',
    });
  } catch {
    throw new Error(
      'The studio tests need Chromium, and scripts/ensure-chromium.sh could not install it (its message is above).',
    );
  }
  const path = execFileSync('bash', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
  project.provide('chromiumPath', path);
}
