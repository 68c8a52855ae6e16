import { defineConfig } from '@playwright/test';
import { chromiumPath } from './support/chromium.js';

// Real Chromium (Debian's, found by scripts/e2e.mjs), real collector, real Snapchat mock.
export default defineConfig({
  testDir: '.',
  testMatch: '**/*.spec.ts',
  fullyParallel: false,
  workers: 2,
  // One retry, reported as "flaky" in the output: _df.reset() in tag-identity.spec.ts loses an event
  // about one run in three since the tag stopped re-sending after page changes (a known bug, to fix).
  retries: 1,
  timeout: 60_000,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    headless: true,
    launchOptions: {
      executablePath: chromiumPath(),
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--disable-quic',
        '--no-first-run',
      ],
    },
  },
});
