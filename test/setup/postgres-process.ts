/**
 * Starts a private PostgreSQL server on a loopback port, in a temporary data directory (for
 * the global setup, and for tests that restart their own server to simulate an outage).
 * `initdb` and `postgres` refuse to run as root: as root they run as the `postgres` user the
 * Debian package creates (or `nobody`), owning the directory.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './redis-process.ts';

export interface PostgresProcess {
  /** `postgres://arshai@127.0.0.1:<port>/postgres` (trust authentication on loopback). */
  url: string;
  port: number;
  /** Stops the server (SIGKILL: an outage, not a shutdown) and waits for it to exit. */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

/** The directory of the newest installed server's binaries. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, 'bin/postgres')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions[0]) return join(root, versions[0], 'bin');
  throw new Error('PostgreSQL is not installed (scripts/ensure-postgres.sh installs it)');
}

/** Who runs the server: this user, or (as root) an unprivileged one. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  for (const name of ['postgres', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {}
  }
  throw new Error('running as root, and there is no postgres or nobody user to run PostgreSQL');
}

function launch(
  bin: string,
  data: string,
  port: number,
  user: { uid: number; gid: number } | undefined,
): Promise<ChildProcess> {
  const args = ['-D', data, '-p', String(port), '-k', data, '-h', '127.0.0.1'];
  // A test server: no fsync (the OS keeps what a killed server wrote; only a machine crash
  // would lose it), but commits reach the WAL before they return, so a kill -9 loses nothing.
  args.push('-c', 'fsync=off', '-c', 'full_page_writes=off');
  args.push('-c', 'max_connections=200', '-c', 'shared_buffers=32MB');
  const child = spawn(join(bin, 'postgres'), args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    ...(user ?? {}),
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => reject(new Error(`postgres did not start:\n${output}`)), 30_000);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('ready to accept connections')) {
        clearTimeout(timer);
        child.stderr?.removeAllListeners('data');
        child.stderr?.resume();
        child.removeAllListeners('exit');
        resolve(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`postgres exited with ${code}:\n${output}`));
    });
  });
}

export async function startPostgres(): Promise<PostgresProcess> {
  const bin = binDir();
  const user = runAs();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'arshai-pg-'));
  const data = join(dir, 'data');
  if (user) chownSync(dir, user.uid, user.gid);
  execFileSync(
    join(bin, 'initdb'),
    ['-D', data, '-U', 'arshai', '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'],
    { stdio: 'pipe', ...(user ?? {}) },
  );
  let child: ChildProcess | undefined = await launch(bin, data, port, user);
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once('exit', () => resolve());
      running.kill('SIGKILL');
    });
    // The postmaster's children go with it; its pid file stays, and postgres starts anyway.
  };
  return {
    url: `postgres://arshai@127.0.0.1:${port}/postgres`,
    port,
    stop,
    async start() {
      child ??= await launch(bin, data, port, user);
    },
    async dispose() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
