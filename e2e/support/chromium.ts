import { existsSync } from 'node:fs';

/** The Chromium to drive: CHROMIUM_PATH, else Debian's package at /usr/bin/chromium. */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean) as string[];
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      `No Chromium found (looked at ${candidates.join(', ')}). Install Debian's package: apt-get install -y chromium, or set CHROMIUM_PATH.`,
    );
  }
  return found;
}
