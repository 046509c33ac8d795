import type { MemoryManager } from '../memory/memory-types.js';
import type { Checkpointer } from '../workflows/checkpointer.js';
import { urlLabel } from './url-label.js';

/** The Postgres side of the CLI: runs and memory in one database, tables `arshai_*`. */
export interface PostgresStores {
  checkpointer: Checkpointer;
  memory: MemoryManager;
  /** The URL without its password, for messages. */
  label: string;
  close(): Promise<void>;
}

/** A Postgres URL without its password, or a usage error naming what is wrong with it. */
export function postgresLabel(url: string): string {
  return urlLabel(
    url,
    '--postgres',
    ['postgres:', 'postgresql:'],
    'postgres://user@127.0.0.1:5432/db',
  );
}

/** Opens the checkpointer and memory in Postgres (connections open on first use). */
export async function openPostgresStores(url: string): Promise<PostgresStores> {
  const label = postgresLabel(url);
  const { PostgresCheckpointer, PostgresMemoryManager } = await import('../postgres/index.js');
  const checkpointer = new PostgresCheckpointer({ connectionString: url });
  const memory = new PostgresMemoryManager({ connectionString: url });
  return {
    checkpointer,
    memory,
    label,
    close: async () => {
      await checkpointer.close();
      await memory.close();
    },
  };
}
