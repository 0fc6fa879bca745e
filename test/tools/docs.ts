// `npm run docs`: regenerate the rules table and rule docs in README.md from rule metadata.
import { readFileSync, writeFileSync } from 'node:fs';
import { allRules } from '../../src/index.js';
import { withGeneratedTable } from '../../src/docs/readme-table.js';

const path = new URL('../../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withGeneratedTable(before, allRules());
if (process.argv.includes('--check')) {
  if (before !== after) {
    console.error('README.md is stale: run `npm run docs`');
    process.exit(1);
  }
} else {
  writeFileSync(path, after);
}
