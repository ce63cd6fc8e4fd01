// Runs every docs/*.md as an executable spec, one test per file, so that the documentation cannot drift from the API.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runSpecFile } from './run.ts';

const docsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');

// Discovered at load time so that mocha lists one test per file, and a new file is a new test without registration.
const specFiles = readdirSync(docsDirectory)
  .filter((name) => name.endsWith('.md'))
  .sort();

describe('docs/*.md', () => {
  for (const name of specFiles) {
    it(`docs/${name} answers as documented`, async () => {
      await runSpecFile(path.join(docsDirectory, name));
    });
  }
});
