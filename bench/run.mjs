#!/usr/bin/env node
// `npm run bench`: Datafirst's throughput, latency and memory, each measured in this run on this
// machine beside a baseline, with the same load generator (autocannon). Servers run as child
// processes; the load generator runs here.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import Database from 'better-sqlite3';
import pg from 'pg';
// The tests' PostgreSQL, built to JavaScript by `npm run build`: DATAFIRST_TEST_DATABASE_URL, or a
// private throwaway server started from the installed binaries.
import { postgresServer, uniqueName } from '../packages/store/test/dist/databases.js';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
// Events waiting when the worker starts, for figures 3 and 6.
const BACKLOG = Number(process.env.BENCH_BACKLOG ?? 1_000_000);
// BENCH_ONLY=8 (or 2,8): only those figures, and only what they need (3 and 6 need 2's backlog).
const ONLY = process.env.BENCH_ONLY ? new Set(process.env.BENCH_ONLY.split(',').map(Number)) : undefined;
const wanted = (...figures) => ONLY === undefined || figures.some((figure) => ONLY.has(figure));
// BENCH_ENGINES=postgres (or sqlite): only that engine's figures; default both.
const ENGINES = new Set((process.env.BENCH_ENGINES ?? 'sqlite,postgres').split(','));
const wantedOn = (engine, ...figures) => ENGINES.has(engine) && wanted(...figures);
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const CLI = here('../packages/server/dist/cli.js');
const MOCK = here('../packages/snapchat/dist/mock-cli.js');
const WRITE_KEY = 'wk_bench';
const ADMIN_TOKEN = 'bench-admin-token-of-24-characters';
const PIXEL = '6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8a';
const dir = mkdtempSync(join(tmpdir(), 'datafirst-bench-'));
const children = [];

// As `npm start` and the `datafirst` command run it: V8 keeps the heap bounded instead of growing lazily.
const HEAP = '--max-old-space-size=160';
// BENCH_NODE_ARGS: more Node options for the Datafirst processes, e.g. `--cpu-prof --cpu-prof-dir=prof`.
const NODE_ARGS = process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [];

/**
 * Starts a child process and resolves with its URL once it prints one; with `withAdmin`, also
 * with the admin listener's URL (`adminUrl`), which Datafirst prints on a line of its own.
 */
function start(args, env = {}, withAdmin = false) {
  const child = spawn(process.execPath, args, {
    env: { ...process.env, LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = /(http:\/\/[\w.:-]+)/.exec(output);
      const admin = /Admin listener on (http:\/\/[\w.:-]+)/.exec(output);
      if (match && (!withAdmin || admin)) resolve({ child, url: match[1], adminUrl: admin?.[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${output}`)));
    setTimeout(() => reject(new Error(`${args.join(' ')} did not start:\n${output}`)), 20_000);
  });
}

async function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** CPU time (user and system) a live process has used, in seconds: what a busy machine does not distort. */
function cpuSeconds(child) {
  const fields = readFileSync(`/proc/${child.pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds of a process by its pid (0 once it is gone): PostgreSQL's backends are not our children. */
function pidCpuSeconds(pid) {
  try {
    return cpuSeconds({ pid });
  } catch {
    return 0;
  }
}

/** CPU seconds per 1,000 deliveries, as the figures print it. */
const per1000 = (seconds, deliveries) => ((seconds * 1000) / deliveries).toFixed(3);

/** Peak resident memory (VmHWM) of a live process, in MB. */
function peakRssMb(child) {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

function message(id = '[<id>]') {
  return {
    type: 'track',
    event: 'Product Viewed',
    messageId: id,
    anonymousId: 'anon-[<id>]',
    properties: { product_id: 'SKU-1', price: 19.99, currency: 'USD' },
    context: {
      page: { url: 'https://shop.example.com/p/1?ScCid=bench-click' },
      traits: { email: 'Jane.Doe@Example.com' },
      ip: '203.0.113.7',
      userAgent:
        'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
    },
  };
}

const batchBody = (size, writeKey = WRITE_KEY) =>
  JSON.stringify({ writeKey, batch: Array.from({ length: size }, (_, i) => message(`[<id>]-${i}`)) });

let nextId = 0;

/**
 * Loads `url` with `template`, each request with fresh ids (the collector stores a repeat once),
 * for SECONDS or, with `amount`, for that many requests.
 */
function load(url, template, { amount } = {}) {
  const parts = template.split('[<id>]');
  return autocannon({
    url: `${url}/v1/batch`,
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    connections: CONNECTIONS,
    ...(amount ? { amount } : { duration: SECONDS }),
    requests: [{ setupRequest: (request) => ({ ...request, body: parts.join(`r${nextId++}`) }) }],
  });
}

function checkOk(result, label) {
  if (result.non2xx > 0 || result.errors > 0) {
    throw new Error(`${label}: ${result.non2xx} non-2xx answers and ${result.errors} errors`);
  }
}

async function datafirst(db, env = {}) {
  return start(
    [HEAP, ...NODE_ARGS, CLI, 'start', '--port', '0', '--host', '127.0.0.1', '--admin-port', '0', '--db', db],
    { DATAFIRST_ADMIN_TOKEN: ADMIN_TOKEN, DATAFIRST_WRITE_KEY: WRITE_KEY, ...env },
    true,
  );
}

function pendingCount(db) {
  const sqlite = new Database(db, { readonly: true, fileMustExist: true });
  try {
    return sqlite.prepare("SELECT count(*) AS n FROM deliveries WHERE status = 'pending'").get().n;
  } finally {
    sqlite.close();
  }
}

// Set once the benchmark has a PostgreSQL server and database of its own: undone at the end.
let stopPostgres = async () => undefined;
let dropDatabase = async () => undefined;

const rows = [];
const row = (name, figure, target, met) => {
  if (wanted(parseInt(name))) rows.push({ name, figure, target, met });
};
let ingestPeak = 0;
let workerPeak = 0;
let e2ePeak = 0;

try {
  const ingestDb = join(dir, 'ingest.db');
  let ingestEventsPerSecond;
  if (wantedOn('sqlite', 1, 2, 3, 5, 6, 7)) {
    // The worker is off here: these figures are the collector's alone (validate, enrich, store).
    const mock = await start([MOCK, '--port', '0']);
    const ingest = await datafirst(ingestDb, {
      DATAFIRST_WORKER: '0',
      SNAPCHAT_API_URL: mock.url,
      SNAP_PIXEL_ID: PIXEL,
      SNAP_ACCESS_TOKEN: 'bench',
    });
    if (wanted(1, 5)) {
      // 1. One message per request, against a bare node:http server.
      const bare = await start([here('bare-server.mjs')]);
      const bareResult = await load(bare.url, batchBody(1));
      checkOk(bareResult, 'bare node:http');
      await stop(bare.child);
      const single = await load(ingest.url, batchBody(1));
      checkOk(single, 'ingest, 1 message per request');
      const ratio = single.requests.average / bareResult.requests.average;
      row(
        '1. ingest, 1 message/request',
        `${Math.round(single.requests.average)} req/s vs bare node:http ${Math.round(bareResult.requests.average)} req/s = ${ratio.toFixed(2)}x (p99 ${single.latency.p99} ms)`,
        '>= 0.5x bare',
        ratio >= 0.5,
      );
    }

    // 2. Twenty messages per request.
    const batch = await load(ingest.url, batchBody(20));
    checkOk(batch, 'ingest, 20 messages per request');
    ingestEventsPerSecond = batch.requests.average * 20;
    row(
      '2. ingest, 20 messages/request',
      `${Math.round(ingestEventsPerSecond)} events/s (p99 ${batch.latency.p99} ms)`,
      '>= 50,000 events/s',
      ingestEventsPerSecond >= 50_000,
    );
    // The same collector tops the backlog up to BACKLOG events, 20 a request, for figures 3 and 6.
    const missing = wanted(3, 5, 6) ? BACKLOG - pendingCount(ingestDb) : 0;
    if (missing > 0) checkOk(await load(ingest.url, batchBody(20), { amount: Math.ceil(missing / 20) }), 'backlog');
    ingestPeak = peakRssMb(ingest.child);
    await stop(ingest.child);
    await stop(mock.child);
  }

  if (wantedOn('sqlite', 7)) {
    // 7. Twenty messages per request again, on a collector that fsyncs every commit.
    const full = await datafirst(join(dir, 'full.db'), { DATAFIRST_WORKER: '0', DATAFIRST_DURABILITY: 'full' });
    const fullBatch = await load(full.url, batchBody(20));
    checkOk(fullBatch, 'ingest with DATAFIRST_DURABILITY=full');
    await stop(full.child);
    const fullEventsPerSecond = fullBatch.requests.average * 20;
    row(
      '7. ingest, 20 messages/request, DATAFIRST_DURABILITY=full',
      `${Math.round(fullEventsPerSecond)} events/s = ${(fullEventsPerSecond / ingestEventsPerSecond).toFixed(2)}x figure 2 (p99 ${fullBatch.latency.p99} ms)`,
      'a ratio to figure 2',
      true,
    );
  }

  if (wantedOn('sqlite', 3, 5, 6)) {
    // 3 and 6. Drain the backlog, with a worker on its own, to the mock. The mock forgets what it
    // received as it goes: a million events kept in its memory would measure the mock.
    const backlog = pendingCount(ingestDb);
    const mock = await start([MOCK, '--port', '0']);
    const mockCpuBefore = cpuSeconds(mock.child);
    const drainStarted = performance.now();
    const worker = spawn(process.execPath, [HEAP, ...NODE_ARGS, CLI, 'worker', '--db', ingestDb], {
      env: { ...process.env, LOG_LEVEL: 'warn', SNAPCHAT_API_URL: mock.url, SNAP_PIXEL_ID: PIXEL, SNAP_ACCESS_TOKEN: 'bench' },
      stdio: 'ignore',
    });
    children.push(worker);
    let left = backlog;
    while (left > 0) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      await Promise.all(['requests', 'events'].map((what) => fetch(`${mock.url}/__mock/${what}`, { method: 'DELETE' })));
      left = pendingCount(ingestDb);
    }
    const drainSeconds = (performance.now() - drainStarted) / 1000;
    const deliveredPerSecond = backlog / drainSeconds;
    workerPeak = peakRssMb(worker);
    const cpu = `CPU s per 1,000: worker ${per1000(cpuSeconds(worker), backlog)}, mock ${per1000(cpuSeconds(mock.child) - mockCpuBefore, backlog)}`;
    await stop(worker);
    await stop(mock.child);
    row(
      '3. delivery from a backlog',
      `${Math.round(deliveredPerSecond)} events/s (${backlog} events in ${drainSeconds.toFixed(1)} s; ${cpu})`,
      '> figure 2',
      deliveredPerSecond > ingestEventsPerSecond,
    );
    row(
      `6. a ${BACKLOG.toLocaleString('en')}-event backlog drained`,
      `worker peak RSS ${workerPeak.toFixed(0)} MB (${backlog} events)`,
      'RSS < 200 MB',
      backlog >= BACKLOG && workerPeak < 200,
    );
  }

  if (wantedOn('sqlite', 4, 5)) {
    // 4. End to end at a steady 1,000 events/s: from the request leaving here to the mock's receipt.
    const e2eMock = await start([MOCK, '--port', '0']);
    const e2e = await datafirst(join(dir, 'e2e.db'), {
      SNAPCHAT_API_URL: e2eMock.url,
      SNAP_PIXEL_ID: PIXEL,
      SNAP_ACCESS_TOKEN: 'bench',
    });
    let sequence = 0;
    const steady = await autocannon({
      url: `${e2e.url}/v1/batch`,
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      connections: 20,
      overallRate: 1000,
      duration: SECONDS,
      requests: [
        {
          setupRequest: (request) => ({
            ...request,
            body: JSON.stringify({ writeKey: WRITE_KEY, batch: [message(`steady-${Date.now()}-${sequence++}`)] }),
          }),
        },
      ],
    });
    checkOk(steady, 'steady 1,000 events/s');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    // Each event_id carries the time its request left here: steady-<ms>-<n>.
    const received = (await (await fetch(`${e2eMock.url}/__mock/events`)).json()).events;
    const e2eLatencies = received
      .map((e) => Date.parse(e.receivedAt) - Number(e.event.event_id.split('-')[1]))
      .sort((a, b) => a - b);
    e2ePeak = peakRssMb(e2e.child);
    await stop(e2e.child);
    await stop(e2eMock.child);
    const pct = (p) => e2eLatencies[Math.min(e2eLatencies.length - 1, Math.floor((p / 100) * e2eLatencies.length))];
    row(
      '4. end to end at 1,000 events/s',
      `p50 ${pct(50)} ms, p99 ${pct(99)} ms over ${e2eLatencies.length} events (of ${steady.requests.total} sent)`,
      'p99 < 250 ms',
      e2eLatencies.length >= steady.requests.total && pct(99) < 250,
    );
  }

  if (wantedOn('sqlite', 8)) {
    // 8. A 1,000,000-row warehouse model (a SQLite file) synced into the store, worker off.
    const SYNC_ROWS = Number(process.env.BENCH_SYNC_ROWS ?? 1_000_000);
    const warehousePath = join(dir, 'warehouse.sqlite');
    const warehouse = new Database(warehousePath);
    warehouse.exec('CREATE TABLE sales (sale_id INTEGER PRIMARY KEY, email TEXT, amount REAL, currency TEXT, sold_at INTEGER)');
    const insertSale = warehouse.prepare('INSERT INTO sales VALUES (?, ?, ?, ?, ?)');
    const soldAt = Math.floor(Date.now() / 1000) - 3600;
    warehouse.transaction(() => {
      for (let i = 1; i <= SYNC_ROWS; i++) insertSale.run(i, `buyer${i}@example.com`, 10 + (i % 90), 'USD', soldAt);
    })();
    warehouse.close();
    const syncServer = await datafirst(join(dir, 'sync.db'), {
      DATAFIRST_WORKER: '0',
      SNAPCHAT_API_URL: 'http://127.0.0.1:9',
      SNAP_PIXEL_ID: PIXEL,
      SNAP_ACCESS_TOKEN: 'bench',
    });
    const adminCall = async (method, path, body) =>
      (
        await fetch(`${syncServer.adminUrl}/v1/admin${path}`, {
          method,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: body && JSON.stringify(body),
        })
      ).json();
    const [source] = (await adminCall('GET', '/sources')).sources;
    const wh = await adminCall('POST', '/warehouses', {
      name: 'bench',
      kind: 'sqlite',
      config: { url: `file:${warehousePath}` },
    });
    const sync = await adminCall('POST', '/syncs', {
      name: 'bench',
      warehouse_id: wh.id,
      source_id: source.id,
      query: 'select * from sales',
      primary_key: 'sale_id',
      mapping: {
        event: { value: 'Order Completed' },
        timestamp: 'sold_at',
        email: 'email',
        value: 'amount',
        currency: 'currency',
      },
    });
    const cpuBefore = cpuSeconds(syncServer.child);
    const syncStarted = performance.now();
    const { run_id: runId } = await adminCall('POST', `/syncs/${sync.id}/run`);
    let syncRun;
    do {
      await new Promise((resolve) => setTimeout(resolve, 250));
      syncRun = await adminCall('GET', `/syncs/${sync.id}/runs/${runId}`);
    } while (syncRun.status !== 'succeeded' && syncRun.status !== 'failed');
    const syncSeconds = (performance.now() - syncStarted) / 1000;
    const syncPeak = peakRssMb(syncServer.child);
    const syncCpu = cpuSeconds(syncServer.child) - cpuBefore;
    await stop(syncServer.child);
    const rowsPerSecond = syncRun.counts.sent / syncSeconds;
    row(
      '8. warehouse sync of a 1,000,000-row model',
      `${Math.round(rowsPerSecond).toLocaleString('en')} rows/s (${syncRun.counts.sent} of ${SYNC_ROWS} rows stored in ${syncSeconds.toFixed(1)} s using ${syncCpu.toFixed(1)} CPU s, ${syncRun.status}), peak RSS ${syncPeak.toFixed(0)} MB`,
      '>= 20,000 rows/s, RSS < 200 MB',
      syncRun.status === 'succeeded' && syncRun.counts.sent === SYNC_ROWS && rowsPerSecond >= 20_000 && syncPeak < 200,
    );
  }

  if (wantedOn('postgres', 2, 3)) {
    // 2 and 3 on PostgreSQL: collectors and workers as separate processes on one fresh database.
    // A lane has one owner, so the delivery rows use a source with PG_PIXELS pixels, which two
    // workers can share; each delivery is one event for one pixel.
    const PG_PIXELS = 4;
    const pgServer = await postgresServer();
    stopPostgres = () => pgServer.stop();
    const pgDatabase = uniqueName('df_bench');
    const pgAdmin = new pg.Client({ connectionString: pgServer.url });
    await pgAdmin.connect();
    await pgAdmin.query(`CREATE DATABASE ${pgDatabase}`);
    dropDatabase = async () => {
      await pgAdmin.query(`DROP DATABASE IF EXISTS ${pgDatabase} WITH (FORCE)`);
      await pgAdmin.end();
    };
    const pgUrlObject = new URL(pgServer.url);
    pgUrlObject.pathname = `/${pgDatabase}`;
    const pgUrl = pgUrlObject.toString();
    const pgMock = await start([MOCK, '--port', '0']);
    const pgEnv = {
      DATAFIRST_DATABASE_URL: pgUrl,
      SNAPCHAT_API_URL: pgMock.url,
      SNAP_PIXEL_ID: PIXEL,
      SNAP_ACCESS_TOKEN: 'bench',
    };
    const pgCollector = await start(
      [HEAP, ...NODE_ARGS, CLI, 'start', '--no-worker', '--port', '0', '--host', '127.0.0.1', '--admin-port', '0'],
      { DATAFIRST_ADMIN_TOKEN: ADMIN_TOKEN, DATAFIRST_WRITE_KEY: WRITE_KEY, ...pgEnv },
      true,
    );
    const pgCall = async (method, path, body) =>
      (
        await fetch(`${pgCollector.adminUrl}/v1/admin${path}`, {
          method,
          headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
          body: body && JSON.stringify(body),
        })
      ).json();
    const pgCpuBefore = cpuSeconds(pgCollector.child);
    const pgBatch = await load(pgCollector.url, batchBody(20));
    checkOk(pgBatch, 'ingest on PostgreSQL, 20 messages per request');
    const pgIngestPerSecond = pgBatch.requests.average * 20;
    // The collector's CPU per event, which a machine busy with other work distorts far less than the rate.
    const pgCpuPerThousand = ((cpuSeconds(pgCollector.child) - pgCpuBefore) * 1000 * 1000) / (pgBatch.requests.total * 20);
    row(
      '2. ingest, 20 messages/request, PostgreSQL',
      `${Math.round(pgIngestPerSecond)} events/s${ingestEventsPerSecond ? ` = ${(pgIngestPerSecond / ingestEventsPerSecond).toFixed(2)}x SQLite` : ''} ` +
        `(p99 ${pgBatch.latency.p99} ms, collector ${pgCpuPerThousand.toFixed(0)} ms CPU per 1,000 events)`,
      '>= 25,000 events/s',
      pgIngestPerSecond >= 25_000,
    );
    // What figure 2 stored is delivered to the one pixel (a lane of its own): the delivery rows
    // measure the PG_PIXELS-pixel source's backlog alone.
    const pgPixelSource = await pgCall('POST', '/sources', { name: `Bench, ${PG_PIXELS} pixels` });
    for (let i = 0; i < PG_PIXELS; i++) {
      await pgCall('POST', '/integrations', {
        source_id: pgPixelSource.id,
        vendor: 'snapchat',
        name: `Pixel ${i + 1}`,
        enabled: true,
        config: { pixel_id: `6f0c3d2a-9b1e-4c7d-8a5f-3e2b1c0d9f8${i}`, access_token: 'bench' },
      });
    }
    const pgPool = new pg.Pool({ connectionString: pgUrl, max: 1 });
    const pgPending = async (sourceId) =>
      Number(
        (
          await pgPool.query(
            `SELECT count(*) AS n FROM deliveries d JOIN integrations i ON i.id = d.integration_id
           WHERE d.status = 'pending' AND i.source_id = $1`,
            [sourceId],
          )
        ).rows[0].n,
      );
    const pgBacklogEvents = Math.ceil(BACKLOG / PG_PIXELS);
    /** Fills the backlog, stops the collector's view of it there, drains it with `workers` workers: deliveries a second. */
    const pgDrain = async (workers) => {
      checkOk(
        await load(pgCollector.url, batchBody(20, pgPixelSource.write_key), { amount: Math.ceil(pgBacklogEvents / 20) }),
        'PostgreSQL backlog',
      );
      const backlog = await pgPending(pgPixelSource.id);
      // The worker also sends what is left of figure 2's deliveries: CPU is counted per delivery sent.
      const allPending = async () =>
        Number((await pgPool.query(`SELECT count(*) AS n FROM deliveries WHERE status = 'pending'`)).rows[0].n);
      const pendingBefore = await allPending();
      // The database's CPU: its backends serving this database (the count below excepted), as sampled.
      const own = (await pgPool.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
      const backendCpu = new Map();
      const sampleBackends = async () => {
        const { rows } = await pgPool.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> $1`, [
          own,
        ]);
        for (const { pid } of rows) {
          const seen = backendCpu.get(pid);
          const now = pidCpuSeconds(pid);
          if (seen) seen.last = Math.max(seen.last, now);
          else backendCpu.set(pid, { first: now, last: now });
        }
      };
      await sampleBackends();
      for (const seen of backendCpu.values()) seen.first = seen.last;
      const mockCpuBefore = cpuSeconds(pgMock.child);
      const started = performance.now();
      const processes = Array.from({ length: workers }, () => {
        const child = spawn(process.execPath, [HEAP, ...NODE_ARGS, CLI, 'worker'], {
          env: { ...process.env, LOG_LEVEL: 'warn', ...pgEnv },
          stdio: 'ignore',
        });
        children.push(child);
        return child;
      });
      let left = backlog;
      while (left > 0) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        await Promise.all(['requests', 'events'].map((what) => fetch(`${pgMock.url}/__mock/${what}`, { method: 'DELETE' })));
        left = await pgPending(pgPixelSource.id);
        await sampleBackends();
      }
      const seconds = (performance.now() - started) / 1000;
      const peak = Math.max(...processes.map(peakRssMb));
      const workerCpu = processes.reduce((sum, child) => sum + cpuSeconds(child), 0);
      const sent = pendingBefore - (await allPending());
      const databaseCpu = [...backendCpu.values()].reduce((sum, { first, last }) => sum + last - first, 0);
      const cpu =
        `${sent} sent, CPU s per 1,000: worker ${per1000(workerCpu, sent)}, database ${per1000(databaseCpu, sent)}, ` +
        `mock ${per1000(cpuSeconds(pgMock.child) - mockCpuBefore, sent)}`;
      await Promise.all(processes.map(stop));
      return { backlog, seconds, perSecond: backlog / seconds, peak, cpu };
    };
    for (const workers of [1, 2]) {
      const drained = await pgDrain(workers);
      row(
        `3. delivery from a backlog, PostgreSQL, ${PG_PIXELS} pixels, ${workers} worker${workers > 1 ? 's' : ''}`,
        `${Math.round(drained.perSecond)} deliveries/s (${drained.backlog} in ${drained.seconds.toFixed(1)} s, ` +
          `worker peak RSS ${drained.peak.toFixed(0)} MB; ${drained.cpu})`,
        '> PostgreSQL figure 2',
        drained.perSecond > pgIngestPerSecond,
      );
    }
    await pgPool.end();
    await stop(pgCollector.child);
    await stop(pgMock.child);
  }

  // 5. Memory.
  if (ENGINES.has('sqlite')) {
    const peak = Math.max(ingestPeak, workerPeak, e2ePeak);
    row(
      '5. peak resident memory',
      `${peak.toFixed(0)} MB (collector ${ingestPeak.toFixed(0)}, worker ${workerPeak.toFixed(0)}, both in one process ${e2ePeak.toFixed(0)})`,
      '< 200 MB',
      peak < 200,
    );
  }
} finally {
  await Promise.all(children.map(stop));
  await dropDatabase();
  await stopPostgres();
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `\nDatafirst benchmark: ${SECONDS} s per load, ${CONNECTIONS} connections, Node ${process.version}, ${(await import('node:os')).cpus().length} cores\n`,
);
const width = Math.max(...rows.map((r) => r.name.length));
// Figures print in their order, whatever order they were measured in.
rows.sort((a, b) => parseInt(a.name) - parseInt(b.name));
for (const r of rows) console.log(`${r.met ? 'met ' : 'MISS'}  ${r.name.padEnd(width)}  ${r.figure}   (target ${r.target})`);
