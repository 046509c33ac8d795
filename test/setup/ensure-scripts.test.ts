/** The test set-up's install scripts on a machine without apt-get: one line saying what to do. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';

const root = join(import.meta.dirname, '../..');
// A PATH with the few tools the scripts use, and no apt-get, redis-server, postgres or chromium.
const bin = mkdtempSync(join(tmpdir(), 'arshai-nobrew-'));
for (const tool of ['id', 'uname']) {
  const found = spawnSync('bash', ['-c', `command -v ${tool}`], { encoding: 'utf8' }).stdout.trim();
  if (found) symlinkSync(found, join(bin, tool));
}
afterAll(() => rmSync(bin, { recursive: true, force: true }));

it.each([
  ['ensure-redis.sh', 'redis-server', 'brew install redis'],
  ['ensure-postgres.sh', 'the PostgreSQL server', 'brew install postgresql'],
  ['ensure-chromium.sh', 'Chromium', 'brew install --cask chromium'],
])('%s without apt-get says how to install, in one line, and fails', (script, what, brew) => {
  const r = spawnSync('/bin/bash', [join(root, 'scripts', script)], {
    encoding: 'utf8',
    env: { PATH: bin, HOME: bin },
  });
  expect(r.status).toBe(1);
  expect(r.stderr.trim().split('\n')).toEqual([
    `arshai tests: ${what} is missing and this machine has no apt-get: install it (${brew} on macOS), then run npm test again.`,
  ]);
});
