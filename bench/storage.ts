/**
 * Storage growth: SqliteMemoryManager append time with a small and a large table. The table
 * is filled with raw INSERTs (many conversations), then store() is timed into one of them.
 * JSON on stdout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { SqliteMemoryManager } from 'arshai';
import { stats } from './harness.ts';

const quick = process.argv.includes('--quick');
const sizes = quick ? [1_000, 30_000] : [1_000, 300_000];
const appends = quick ? 200 : 1_000;

async function appendTime(rows: number): Promise<{ median: number; p95: number; rows: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'arshai-storage-bench-'));
  try {
    const db = new DatabaseSync(join(dir, 'memory.db'));
    db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL');
    const memory = new SqliteMemoryManager({ database: db });
    // Creates the schema through the manager, then fills it the fast way.
    await memory.store({ conversationId: 'warm', type: 'short-term', content: 'x' });
    const insert = db.prepare(
      `INSERT INTO arshai_memory (namespace, conversation_id, type, id, seq, content, metadata, created_at, updated_at, expires_at)
       VALUES ('default', ?, 'short-term', ?, ?, '"filler"', '{}', 0, 0, NULL)`,
    );
    db.exec('BEGIN');
    for (let i = 0; i < rows; i++) insert.run(`c${i % 1000}`, `e${i}`, Math.floor(i / 1000) + 1);
    db.exec('COMMIT');
    const samples: number[] = [];
    for (let i = 0; i < appends; i++) {
      const start = performance.now();
      await memory.store({ conversationId: 'c7', type: 'short-term', content: { i } });
      samples.push((performance.now() - start) * 1000);
    }
    const count = (db.prepare('SELECT COUNT(*) AS n FROM arshai_memory').get() as { n: number }).n;
    if (count < rows + appends) throw new Error(`expected ${rows + appends} rows, found ${count}`);
    // The appended entries come back in order.
    const back = await memory.retrieve<{ i?: number }>({ conversationId: 'c7' });
    const order = back.flatMap((e) => (typeof e.content === 'object' ? [e.content.i] : []));
    if (order.join() !== Array.from({ length: appends }, (_, i) => i).join()) {
      throw new Error('appended entries came back out of order');
    }
    await memory.close();
    db.close();
    return { ...stats(samples), rows };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const results = [];
for (const rows of sizes) results.push(await appendTime(rows));
process.stdout.write(JSON.stringify({ appends, results }));
