#!/usr/bin/env node
// `npm run docs:options`: prints the README's table of options, made from the options table of the
// built server package (packages/server/src/options.ts). With --write it puts the table into
// README.md between its markers instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { optionsMarkdown, withOptionsTable } from '../packages/server/dist/options-markdown.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const table = optionsMarkdown();

if (process.argv.includes('--write')) {
  writeFileSync(readmePath, withOptionsTable(readFileSync(readmePath, 'utf8'), table));
  console.log('README.md: options table updated');
} else {
  process.stdout.write(table);
}
