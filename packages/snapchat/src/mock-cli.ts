#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startSnapchatMock, type SnapchatMock } from './mock-server.js';

/** What the command line asks for. */
export interface MockCliOptions {
  port: number;
  host: string;
  basePath?: string;
  /** Omitted = demo mode. */
  tokens?: Record<string, string[]>;
}

/** The help text. */
export const MOCK_CLI_USAGE = `Usage: snapchat-mock [--port 9090] [--host 127.0.0.1] [--base-path /prefix] [--token TOKEN:asset1,asset2 ...]

Serves a Snapchat Conversions API look-alike (v3 and v2 paths, /__mock/* control routes).
  --port       port to listen on (default 9090; 0 picks a free one)
  --host       interface to bind (default 127.0.0.1)
  --base-path  serve every route under this prefix
  --token      allow TOKEN for the listed asset ids; repeat for more tokens.
               Without any --token the mock runs in demo mode and accepts any non-empty token.`;

const DEFAULT_PORT = 9090;

/** Reads the mock's command line; returns 'help' for --help and throws an Error for bad arguments. */
export function parseMockCliArgs(argv: readonly string[]): MockCliOptions | 'help' {
  const options: MockCliOptions = { port: DEFAULT_PORT, host: '127.0.0.1' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') return 'help';
    const equals = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const flag = equals > 0 ? arg.slice(0, equals) : arg;
    const inline = equals > 0 ? arg.slice(equals + 1) : undefined;
    const value = (): string => {
      const next = inline ?? argv[++i];
      if (next === undefined || next === '') throw new Error(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--port': {
        const raw = value();
        const port = Number(raw);
        if (!/^\d+$/.test(raw) || port > 65535) throw new Error(`--port must be 0-65535, not ${raw}`);
        options.port = port;
        break;
      }
      case '--host':
        options.host = value();
        break;
      case '--base-path':
        options.basePath = value();
        break;
      case '--token': {
        const [token, assets] = splitTokenSpec(value());
        options.tokens ??= {};
        options.tokens[token] = [...new Set([...(options.tokens[token] ?? []), ...assets])];
        break;
      }
      default:
        throw new Error(`unknown argument: ${arg}`);
    }
  }
  return options;
}

/** Starts the mock from parsed options and prints where it listens. */
export async function runMockCli(options: MockCliOptions, print: (line: string) => void = console.log): Promise<SnapchatMock> {
  const mock = await startSnapchatMock(options);
  const count = Object.keys(options.tokens ?? {}).length;
  const mode = options.tokens === undefined ? 'demo mode: any non-empty token' : `${count} token${count === 1 ? '' : 's'}`;
  print(`Snapchat mock listening on ${mock.url} (${mode})`);
  return mock;
}

// Asset ids (UUIDs, app ids) hold no colon, so the last one separates the token from its assets.
function splitTokenSpec(spec: string): [string, string[]] {
  const colon = spec.lastIndexOf(':');
  const token = colon > 0 ? spec.slice(0, colon) : '';
  const assets =
    colon > 0
      ? spec
          .slice(colon + 1)
          .split(',')
          .map((asset) => asset.trim())
          .filter(Boolean)
      : [];
  if (token === '' || assets.length === 0) throw new Error(`--token must look like TOKEN:asset1,asset2, not ${spec}`);
  return [token, assets];
}

async function main(): Promise<void> {
  let parsed: MockCliOptions | 'help';
  try {
    parsed = parseMockCliArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${MOCK_CLI_USAGE}`);
    process.exitCode = 2;
    return;
  }
  if (parsed === 'help') {
    console.log(MOCK_CLI_USAGE);
    return;
  }
  const mock = await runMockCli(parsed);
  const stop = (): void => {
    void mock.close();
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

function isEntryPoint(): boolean {
  const entry = process.argv[1];
  if (entry === undefined) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
