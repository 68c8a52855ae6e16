#!/usr/bin/env node
// `npm start` runs this first: it builds only when a source is newer than what was built, and says
// so, so a start after no change is immediate and a start after a change is never a silent wait.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const packages = ['protocol', 'destination', 'snapchat', 'store', 'tag', 'server'];
// A build ends with rollup writing the tag's bundle (tsc leaves unchanged files untouched), so the
// bundle's time is the time of the last complete build.
const cli = join(root, 'packages/server/dist/cli.js');
const bundle = join(root, 'packages/tag/dist/_df.js');

/** The newest modification time under `dir`, skipping build output and dependencies. */
function newest(dir) {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

const built = existsSync(cli) && existsSync(bundle) ? statSync(bundle).mtimeMs : 0;
const sources = Math.max(
  ...packages.map((name) => newest(join(root, 'packages', name, 'src'))),
  statSync(join(root, 'rollup.config.mjs')).mtimeMs,
);
if (built === 0 || sources > built) {
  console.log(built === 0 ? 'Building Datafirst (first start)…' : 'Building Datafirst (sources changed since the last build)…');
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
