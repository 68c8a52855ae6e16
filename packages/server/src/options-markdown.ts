// The README's table of options, written from the options table: `npm run docs:options` prints it,
// and a test fails when the README's copy differs.
import { flagName, OPTION_LIST, type Option } from './options.js';

/** The comments the README's table sits between. */
export const TABLE_START = '<!-- options:start -->';
export const TABLE_END = '<!-- options:end -->';

/** The Markdown table of every option, one row each, ending in a newline. */
export function optionsMarkdown(): string {
  const rows = OPTION_LIST.map(
    (option) => `| \`${option.env}\` | ${flagCell(option)} | ${defaultCell(option)} | ${cell(option.help)} |`,
  );
  return ['| Variable | Flag | Default | Meaning |', '|---|---|---|---|', ...rows].join('\n') + '\n';
}

/** The table between the README's markers, or undefined when the markers are missing. */
export function tableInReadme(readme: string): string | undefined {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end < start) return undefined;
  return readme.slice(start + TABLE_START.length, end).replace(/^\n/, '');
}

/** The README with `table` put between its markers. Throws when the markers are missing. */
export function withOptionsTable(readme: string, table: string): string {
  const start = readme.indexOf(TABLE_START);
  const end = readme.indexOf(TABLE_END);
  if (start === -1 || end < start) throw new Error(`README.md has no ${TABLE_START} … ${TABLE_END} markers`);
  return `${readme.slice(0, start + TABLE_START.length)}\n${table}${readme.slice(end)}`;
}

/** The flag column: the flag with its value, or why a secret has none. */
function flagCell(option: Option<unknown>): string {
  switch (option.flag.kind) {
    case 'value':
      return `\`${flagName(option)} ${option.flag.arg}\``;
    case 'switch':
      return `\`${flagName(option)}\``;
    case 'deprecated':
      return `none: secret (\`${flagName(option)}\` still works, with a warning)`;
    case 'none':
    case 'retired':
      return 'none: secret';
  }
}

/** The default column: a fixed default as code, else how the default comes about. */
function defaultCell(option: Option<unknown>): string {
  if (option.default !== undefined) return `\`${option.default}\``;
  return option.defaultText === undefined ? '—' : cell(option.defaultText);
}

/** Text safe inside a table cell. */
function cell(text: string): string {
  return text.replaceAll('|', '\\|');
}
