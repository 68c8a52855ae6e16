// Test helper: the built files in dist/, for the tests that check what ships.
import { readFileSync } from 'node:fs';

/** A file of packages/tag/dist, or an error that says how to build it. */
export function distFile(name: string): string {
  try {
    return readFileSync(new URL(`../../dist/${name}`, import.meta.url), 'utf8');
  } catch {
    throw new Error(`packages/tag/dist/${name} is missing: run \`npm run build\` first`);
  }
}
