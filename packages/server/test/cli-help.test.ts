import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { helpText } from '../src/options-help.js';

// The built CLI, as users run it (npm run build first).
const cli = new URL('../dist/cli.js', import.meta.url).pathname;

function datafirst(...args: string[]) {
  return spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', env: { PATH: process.env.PATH } });
}

describe('the datafirst command', () => {
  it.each(['start', 'worker'] as const)('prints the help of %s made from the options table', (command) => {
    const run = datafirst(command, '--help');
    expect([run.status, run.stdout, run.stderr]).toEqual([0, helpText(command), '']);
  });

  it('refuses the admin token as a flag before starting anything', () => {
    const run = datafirst('start', '--admin-token', 'visible-in-ps');
    expect([run.status, run.stdout, run.stderr]).toEqual([
      1,
      '',
      'datafirst: --admin-token is not accepted: a flag shows its secret in the process list (ps); set DATAFIRST_ADMIN_TOKEN instead\n',
    ]);
  });
});
