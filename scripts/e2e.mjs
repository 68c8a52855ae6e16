#!/usr/bin/env node
// Runs the Playwright end-to-end tests in Debian's Chromium. Playwright cannot download its own
// browser here, so this checks for a system Chromium first and says how to get one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
if (!candidates.some((path) => existsSync(path))) {
  console.error(
    'End-to-end tests need Chromium. Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu) ' +
      'or point CHROMIUM_PATH at a Chromium or Chrome binary. .ci/run installs it automatically.',
  );
  process.exit(1);
}
const result = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
