/**
 * The Node.js versions we say work, work: the stores on the minimum Node (22.20.0, installed
 * from the npm `node` package by this test), and a typed error naming the Node needed on an
 * older one.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StoreError } from 'arshai';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSqliteNode } from '../../src/storage/sqlite.js';

const root = join(import.meta.dirname, '../..');
const MINIMUM = '22.20.0';
const dir = mkdtempSync(join(tmpdir(), 'arshai-node-min-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The `node` binary of the minimum release (installed once into .tmp/node-min). */
function minimumNode(): string {
  const prefix = join(root, '.tmp/node-min');
  const bin = join(prefix, 'node_modules/.bin/node');
  const installed = () =>
    existsSync(bin) &&
    execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim() === `v${MINIMUM}`;
  if (!installed()) {
    mkdirSync(prefix, { recursive: true });
    writeFileSync(join(prefix, 'package.json'), '{"name":"node-min","private":true}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', `node@${MINIMUM}`], {
      cwd: prefix,
      stdio: 'ignore',
    });
  }
  if (!installed())
    throw new Error(`could not install Node.js ${MINIMUM} from the npm "node" package`);
  return bin;
}

describe('the Node.js versions we state', () => {
  it(`the SQLite stores work on Node.js ${MINIMUM}`, () => {
    const out = JSON.parse(
      execFileSync(
        minimumNode(),
        [join(import.meta.dirname, 'fixtures/sqlite-on-node.mjs'), join(dir, 'min.db')],
        {
          encoding: 'utf8',
        },
      ),
    );
    expect(out).toEqual({
      node: MINIMUM,
      newest: [27, 28, 29],
      paused: 'interrupted',
      done: 'completed',
      answer: 'yes',
      runs: [['r1', 'completed']],
    });
  }, 180_000);

  it('an older Node is a typed error naming the Node needed; package.json says the same', () => {
    for (const old of ['20.19.0', '22.12.0', '22.19.0', '23.11.0']) {
      let error: unknown;
      try {
        checkSqliteNode(old);
      } catch (e) {
        error = e;
      }
      expect(StoreError.isInstance(error), old).toBe(true);
      expect((error as Error).message).toBe(
        `The SQLite store needs Node.js 22.20.0 (on the 22 line) or 24.0.0 or newer (node:sqlite); this is Node.js ${old}`,
      );
    }
    for (const fine of ['22.20.0', '22.21.1', '24.0.0', '25.2.0'])
      expect(() => checkSqliteNode(fine)).not.toThrow();
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toBe('>=22.20.0 <23 || >=24');
  });
});
