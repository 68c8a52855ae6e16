import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url));

// Unit and integration tests import each package's TypeScript source directly, so they never
// run against a stale build. End-to-end tests (e2e/) run under Playwright instead.
export default defineConfig({
  resolve: {
    alias: {
      '@datafirst/protocol': src('protocol'),
      '@datafirst/destination': src('destination'),
      '@datafirst/snapchat': src('snapchat'),
      '@datafirst/store': src('store'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
