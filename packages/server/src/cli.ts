#!/usr/bin/env -S node --max-old-space-size=160
import { adminTokenPath, withKeptAdminToken } from './admin-token-file.js';
import { maskUrl } from './admin/mask.js';
import { loadConfig } from './config.js';
import { helpText } from './options-help.js';
import { startDatafirst, startWorker } from './server.js';

const USAGE = 'Usage: datafirst start|worker [options]   (datafirst start --help for every option)';

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(command === undefined ? USAGE : helpText('start'));
    if (command === undefined) process.exitCode = 1;
    return;
  }
  if (command === 'worker') {
    if (wantsHelp(rest)) return void process.stdout.write(helpText('worker'));
    const worker = await startWorker(loadConfig(rest, process.env));
    console.log(`Datafirst worker started${worker.metricsUrl ? `; metrics on ${worker.metricsUrl}/metrics` : ''}`);
    onShutdown(() => worker.close());
    return;
  }
  if (command !== 'start') {
    console.error(`unknown command: ${command}\n${USAGE}`);
    process.exitCode = 1;
    return;
  }
  if (wantsHelp(rest)) {
    process.stdout.write(helpText('start'));
    return;
  }
  const config = withKeptAdminToken(loadConfig(rest, process.env));
  const running = await startDatafirst(config);

  const lines = [
    `Datafirst is listening on ${running.url}`,
    `Admin listener on ${running.adminUrl} (admin API and UI, metrics; keep it off the Internet)`,
  ];
  if (config.demo) {
    lines.push(`  Demo shop:        ${running.url}/?ScCid=test-click`);
    lines.push(
      `  Snapchat mock:    ${running.snapchatApiUrl} (demo mode: nothing reaches Snapchat; what it got: /__mock/requests)`,
    );
  } else {
    lines.push(`  Snapchat API:     ${running.snapchatApiUrl}`);
  }
  lines.push(`  Browser tag:      ${running.url}${config.tagPath}`);
  if (running.publicUrl !== running.url) lines.push(`  Public URL:       ${running.publicUrl} (links and postbacks)`);
  lines.push(`  Admin UI:         ${running.adminUrl}/admin/`);
  lines.push(`  Live debugger:    ${running.adminUrl}/admin/#/debugger`);
  lines.push(`  Admin API:        ${running.adminUrl}/v1/admin   Metrics: ${running.adminUrl}/metrics`);
  // Printed once, when it is made: a log that shows it at every start keeps a copy of it for ever.
  if (running.source && running.sourceCreated && !config.writeKey)
    lines.push(`  Write key:        ${running.source.writeKey} (source ${running.source.id}; shown only now)`);
  if (config.adminTokenGenerated) {
    lines.push(`  Admin token:      ${config.adminToken} (generated, kept in ${adminTokenPath(config)})`);
  } else if (config.adminTokenKept) {
    lines.push(`  Admin token:      kept in ${adminTokenPath(config)} (generated at the first start)`);
  }
  lines.push(`  Database:         ${config.databaseUrl ? `PostgreSQL ${maskUrl(config.databaseUrl)}` : config.dbPath}`);
  console.log(lines.join('\n'));

  onShutdown(() => running.close());
}

/** True when the arguments ask for help. */
function wantsHelp(argv: string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/** On SIGTERM or SIGINT: stop accepting, finish durable writes and in-flight sends, exit. */
function onShutdown(close: () => Promise<void>): void {
  const shutdown = (signal: string) => {
    console.log(`${signal}: finishing in-flight work…`);
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`datafirst: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
