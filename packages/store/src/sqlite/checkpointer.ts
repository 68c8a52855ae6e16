import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/** How often the checkpointer copies the WAL into the database file. */
const CHECKPOINT_EVERY_MS = 100;

/**
 * The WAL pages past which the store's own connection checkpoints after a commit, as SQLite does
 * at 1,000 by default. The checkpointer does that work first; this is the backstop that lets the
 * WAL start over under a steady load (the checkpointer, racing the writes, never sees it all
 * copied), and the limit of the WAL while the checkpointer lags: 10,000 pages are 40 MB.
 */
export const WRITER_CHECKPOINT_PAGES = 10_000;

// A string, not a module file: the tests run the TypeScript sources, which a worker cannot load.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('synchronous = ' + workerData.synchronous);
const timer = setInterval(() => {
  try {
    db.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A failed checkpoint loses nothing: the pages stay in the WAL, and the store's own
    // connection checkpoints them once the WAL passes its limit.
  }
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** A thread that checkpoints a WAL database; `close` stops it. */
export interface Checkpointer {
  close(): Promise<void>;
}

/**
 * Starts a thread that copies the WAL of the database at `path` into the database file every
 * CHECKPOINT_EVERY_MS, with a connection of its own. A checkpoint writes every page a commit
 * wrote a second time and syncs the file: as long as the commits themselves. The committing
 * connection would otherwise do it on the event loop, stalling every request for it; a PASSIVE
 * checkpoint never blocks a writer. Durability is unchanged: a commit is in the WAL when it returns.
 */
export function startCheckpointer(path: string, synchronous: 'NORMAL' | 'FULL'): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(SOURCE, {
    eval: true,
    workerData: { path, driver, synchronous, everyMs: CHECKPOINT_EVERY_MS },
    // It runs a pragma on a timer: a small heap keeps the process's resident memory down.
    resourceLimits: { maxYoungGenerationSizeMb: 1, maxOldGenerationSizeMb: 16 },
  });
  // It never keeps the process alive: a process that ends without closing the store just stops it.
  worker.unref();
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => {
    // Nothing to do: the store's own connection checkpoints once the WAL passes its limit.
  });
  return {
    async close() {
      worker.ref(); // until it has closed its connection
      worker.postMessage('close');
      await exited;
    },
  };
}
