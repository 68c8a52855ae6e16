import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

// The real databases the tests use: the PostgreSQL store's, and the warehouses syncs read from. Each comes from an environment variable when
// it is set (DATAFIRST_TEST_DATABASE_URL, DATAFIRST_TEST_MYSQL_URL); else a private throwaway
// server is started from the installed binaries (initdb + pg_ctl, mariadb-install-db + mariadbd)
// on a free port in a temporary directory. Without either the tests fail, saying what to install:
// they are never skipped.

/** A database server for the tests, and how to stop it when it is a private one. */
export interface TestDatabaseServer {
  url: string;
  stop(): Promise<void>;
}

/** A name no other test run uses, for schemas and tables: runs in parallel never collide. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

function missing(what: string, variable: string, binaries: string, packages: string): Error {
  return new Error(
    `The ${what} tests need a real ${what}: set ${variable}, or install ${binaries} (Debian: apt-get install ${packages}; .ci/run does it).`,
  );
}

function which(names: readonly string[], dirs: readonly string[] = []): string | undefined {
  for (const name of names) {
    for (const dir of dirs) if (existsSync(join(dir, name))) return join(dir, name);
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim() || undefined;
    } catch {
      // not on the PATH: try the next name
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** As root, database servers refuse to run: they run as an unprivileged user owning their directory. */
function unprivileged(dir: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  for (const user of ['postgres', 'mysql', 'nobody']) {
    try {
      const uid = Number(execFileSync('id', ['-u', user], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', user], { encoding: 'utf8' }).trim());
      execFileSync('chown', ['-R', `${uid}:${gid}`, dir]);
      chownSync(dir, uid, gid);
      return { uid, gid };
    } catch {
      // no such user: try the next
    }
  }
  return {};
}

async function waitFor(check: () => Promise<unknown>, what: string, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${what} did not start: ${(error as Error).message}\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
}

function run(command: string, args: string[], user: { uid?: number; gid?: number }): void {
  execFileSync(command, args, { stdio: 'pipe', ...user });
}

/** PostgreSQL: DATAFIRST_TEST_DATABASE_URL, or a private server. */
export async function postgresServer(): Promise<TestDatabaseServer> {
  const given = process.env.DATAFIRST_TEST_DATABASE_URL;
  if (given) return { url: given, stop: async () => undefined };
  const pgDirs = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
  const initdb = which(['initdb'], pgDirs);
  const postgres = which(['postgres'], pgDirs);
  if (!initdb || !postgres) throw missing('PostgreSQL', 'DATAFIRST_TEST_DATABASE_URL', 'initdb and postgres', 'postgresql');
  const dir = mkdtempSync(join(tmpdir(), 'datafirst-pg-'));
  const user = unprivileged(dir);
  const data = join(dir, 'data');
  run(initdb, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync'], user);
  const port = await freePort();
  let output = '';
  const child: ChildProcess = spawn(postgres, ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-F'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...user,
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
  const url = `postgres://postgres@127.0.0.1:${port}/postgres`;
  await waitFor(
    async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
    },
    'PostgreSQL',
    () => output,
  );
  return { url, stop: () => stopServer(child, dir) };
}

/** A fresh schema of its own on a PostgreSQL server: its URL (which selects it) and how to drop it. */
export interface TestSchema {
  /** The server's URL with `options=-c search_path=<schema>`: every connection made from it uses the schema. */
  url: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty schema with a unique name on `serverUrl`. A schema is made and dropped in
 * milliseconds where a database takes a checkpoint, so each test can have one, in parallel.
 */
export async function postgresSchema(serverUrl: string): Promise<TestSchema> {
  const schema = uniqueName('df');
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE SCHEMA ${schema}`);
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.searchParams.set('options', `-c search_path=${schema}`);
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** MySQL or MariaDB: DATAFIRST_TEST_MYSQL_URL, or a private MariaDB server. */
export async function mysqlServer(): Promise<TestDatabaseServer> {
  const given = process.env.DATAFIRST_TEST_MYSQL_URL;
  if (given) return { url: given, stop: async () => undefined };
  const install = which(['mariadb-install-db', 'mysql_install_db']);
  const server = which(['mariadbd', 'mysqld'], ['/usr/sbin']);
  if (!install || !server)
    throw missing('MySQL', 'DATAFIRST_TEST_MYSQL_URL', 'mariadb-install-db and mariadbd', 'mariadb-server');
  const dir = mkdtempSync(join(tmpdir(), 'datafirst-mysql-'));
  const user = unprivileged(dir);
  const data = join(dir, 'data');
  run(install, ['--no-defaults', `--datadir=${data}`, '--auth-root-authentication-method=normal', '--skip-test-db'], user);
  const port = await freePort();
  let output = '';
  const child = spawn(
    server,
    ['--no-defaults', `--datadir=${data}`, `--port=${port}`, '--bind-address=127.0.0.1', `--socket=${join(dir, 'mysql.sock')}`],
    { stdio: ['ignore', 'pipe', 'pipe'], ...user },
  );
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const url = `mysql://root@127.0.0.1:${port}/mysql`;
  await waitFor(
    async () => {
      const connection = await mysql.createConnection({ uri: url });
      await connection.query('CREATE DATABASE IF NOT EXISTS test');
      await connection.end();
    },
    'MariaDB',
    () => output,
  );
  return { url: url.replace(/\/mysql$/, '/test'), stop: () => stopServer(child, dir) };
}

async function stopServer(child: ChildProcess, dir: string): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
}
