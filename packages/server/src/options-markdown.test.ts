import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { optionsMarkdown, TABLE_END, TABLE_START, tableInReadme, withOptionsTable } from './options-markdown.js';
import { OPTION_LIST } from './options.js';

const README = new URL('../../../README.md', import.meta.url);

describe("the README's table of options", () => {
  it('is the one the options table makes', () => {
    const readme = readFileSync(README, 'utf8');
    expect(tableInReadme(readme), 'README.md is out of step with options.ts: run `npm run docs:options -- --write`').toBe(
      optionsMarkdown(),
    );
  });

  it('has a row per option, secrets marked as such', () => {
    const rows = optionsMarkdown().trimEnd().split('\n').slice(2);
    expect(rows).toHaveLength(OPTION_LIST.length);
    expect(rows).toContain(
      '| `PORT` | `--port <n>` | `8080` | port of the public listener (ingest, the tag, smart links, postbacks, `/healthz`); `0` takes any free port |',
    );
    expect(rows).toContain('| `DATAFIRST_WORKER` | `--no-worker` | `1` | `0` runs the collector without the delivery worker |');
    expect(rows).toContain("| `SNAP_ACCESS_TOKEN` | none: secret | — | the Conversions API token of `SNAP_PIXEL_ID`'s pixel |");
  });

  it('replaces only what is between the markers', () => {
    const readme = `# Title\n\n${TABLE_START}\nold table\n${TABLE_END}\n\nAfter.\n`;
    const updated = withOptionsTable(readme, '| new |\n');
    expect(updated).toBe(`# Title\n\n${TABLE_START}\n| new |\n${TABLE_END}\n\nAfter.\n`);
    expect(tableInReadme(updated)).toBe('| new |\n');
  });

  it('says so when the markers are missing', () => {
    expect(tableInReadme('# Title\n')).toBeUndefined();
    expect(() => withOptionsTable('# Title\n', '| new |\n')).toThrow(`README.md has no ${TABLE_START} … ${TABLE_END} markers`);
  });
});
