import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { transaction } from '../src/storage/sqlite.js';

describe('transaction()', () => {
  it('reports the original failure when SQLite already rolled the transaction back (a full disk)', () => {
    const db = new DatabaseSync(':memory:');
    db.exec('CREATE TABLE t (v TEXT)');
    const original = new Error('database or disk is full');
    expect(() =>
      transaction(db, () => {
        db.exec("INSERT INTO t VALUES ('x')");
        db.exec('ROLLBACK'); // what SQLite does by itself on SQLITE_FULL
        throw original;
      }),
    ).toThrow(original);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    // A failure inside an open transaction still rolls it back.
    expect(() =>
      transaction(db, () => {
        db.exec("INSERT INTO t VALUES ('y')");
        throw new Error('boom');
      }),
    ).toThrow('boom');
    expect(db.isTransaction).toBe(false);
    expect(db.prepare('SELECT COUNT(*) AS n FROM t').get()).toEqual({ n: 0 });
    db.close();
  });
});
