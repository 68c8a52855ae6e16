import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** A file shipped by another workspace package (the built tag, the demo shop). */
export function packageFile(pkg: string, ...path: string[]): string {
  return join(dirname(require.resolve(`${pkg}/package.json`)), ...path);
}
