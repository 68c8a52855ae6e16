// `datafirst start --help` and `datafirst worker --help`, printed from the options table.
import { flagName, OPTION_LIST, type Option } from './options.js';

/** The commands of the `datafirst` CLI that take options. */
export type Command = 'start' | 'worker';

// A terminal of 100 columns; flags in the first column, variables in the second, then the text.
const WIDTH = 100;
const FLAG_WIDTH = 22;
const TEXT_COLUMN = 48;

// Said in both helps: what running more than one worker does.
const SEVERAL_WORKERS =
  'start several on one database to deliver faster; leases keep them from sending the same event twice at once.';

const INTRO: Record<Command, string> = {
  start: 'Runs the Datafirst collector and delivery worker in one process.',
  worker: `Runs only the delivery worker, with the same options as \`datafirst start\`: ${SEVERAL_WORKERS}`,
};

const OPTIONS_HEADING =
  'Options (each also read from the environment variable shown; a flag wins over its variable, and an ' +
  'empty value counts as unset. Secrets have no flag, as flags show in the process list):';

const OUTRO: Record<Command, string[]> = {
  start: [
    `\`datafirst worker\` takes the same options and runs only the delivery worker: ${SEVERAL_WORKERS}`,
    'With no Snapchat credentials Datafirst runs in demo mode: the demo shop at /, and deliveries go to ' +
      'the built-in Snapchat mock at /snapchat-mock, so the whole flow runs on one machine.',
  ],
  worker: [],
};

/** The help text of a command, every option in the table's order. */
export function helpText(command: Command): string {
  const lines = [`Usage: datafirst ${command} [options]`, '', ...wrap(terminal(INTRO[command]), WIDTH), ''];
  lines.push(...wrap(OPTIONS_HEADING, WIDTH));
  for (const option of OPTION_LIST) lines.push(...optionLines(option));
  lines.push(...columns('-h, --help', '', 'show this help'));
  for (const paragraph of OUTRO[command]) lines.push('', ...wrap(terminal(paragraph), WIDTH));
  return lines.join('\n') + '\n';
}

/** One option: its flag (a secret shows none, even a deprecated one), its variable, and what it does. */
function optionLines(option: Option<unknown>): string[] {
  const advertised = option.flag.kind === 'value' || option.flag.kind === 'switch';
  const flag = advertised ? `${flagName(option)}${option.flag.kind === 'value' ? ` ${option.flag.arg}` : ''}` : '';
  const notes = [];
  const shownDefault = option.default ?? option.defaultText;
  if (shownDefault !== undefined) notes.push(`default: ${shownDefault}`);
  if (option.secret) notes.push('secret: environment only');
  const text = notes.length > 0 ? `${option.help} (${notes.join('; ')})` : option.help;
  return columns(flag, option.env, terminal(text));
}

/** Lays out the three columns; text that does not fit after the variable starts on the next line. */
function columns(flag: string, variable: string, text: string): string[] {
  const head = `  ${flag.padEnd(FLAG_WIDTH)} ${variable}`;
  const body = wrap(text, WIDTH - TEXT_COLUMN).map((line) => ' '.repeat(TEXT_COLUMN) + line);
  if (head.length >= TEXT_COLUMN - 1) return [head, ...body];
  return [head.padEnd(TEXT_COLUMN) + body[0]!.trimStart(), ...body.slice(1)];
}

/** Markdown code spans read as plain words in a terminal. */
function terminal(markdown: string): string {
  return markdown.replaceAll('`', '');
}

/** Breaks text into lines of at most `width` characters, at spaces. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line !== '' && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  return [...lines, line];
}
