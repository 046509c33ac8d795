/**
 * Vitest global setup: installs the PostgreSQL server if missing, starts a private one on a
 * free loopback port in a temporary directory, and provides its URL as `inject('postgresUrl')`.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type PostgresProcess, startPostgres } from './postgres-process.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}

let postgres: PostgresProcess | undefined;

export async function setup(project: TestProject): Promise<void> {
  try {
    execFileSync('bash', [join(import.meta.dirname, '../../scripts/ensure-postgres.sh')], {
      stdio: 'inherit',
    });
  } catch {
    throw new Error(
      'The tests need PostgreSQL, and scripts/ensure-postgres.sh could not install it (its message is above).',
    );
  }
  postgres = await startPostgres();
  project.provide('postgresUrl', postgres.url);
}

export async function teardown(): Promise<void> {
  await postgres?.dispose();
}
