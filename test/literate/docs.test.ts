// Runs every docs/*.md as an executable spec, one test per file, so that the documentation cannot drift from the API.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createContractChecker, type ContractChecker, type Exchange } from '../support/contract.ts';
import type { TestApp } from '../support/test-app.ts';
import { runSpecFile } from './run.ts';

const docsDirectory = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'docs');

// Discovered at load time so that mocha lists one test per file, and a new file is a new test without registration.
const specFiles = readdirSync(docsDirectory)
  .filter((name) => name.endsWith('.md'))
  .sort();

/** One checker per distinct document (a spec that configures the server, say password lengths, gets its own), found once per app. */
const checkers = new Map<string, ContractChecker>();
const checkerOfApp = new WeakMap<TestApp, ContractChecker>();

/** Every exchange of every spec is held against the app's own /openapi.json, so that contract and behaviour cannot drift apart. */
async function checkAgainstOpenApi(exchange: Exchange, test: TestApp): Promise<string[]> {
  let checker = checkerOfApp.get(test);
  if (!checker) {
    const answer = await test.http.get('/openapi.json');
    checker = checkers.get(answer.text) ?? createContractChecker(answer.body);
    checkers.set(answer.text, checker);
    checkerOfApp.set(test, checker);
  }
  return checker.check(exchange);
}

describe('docs/*.md', () => {
  for (const name of specFiles) {
    it(`docs/${name} answers as documented, within /openapi.json`, async () => {
      await runSpecFile(path.join(docsDirectory, name), { onExchange: checkAgainstOpenApi });
    });
  }
});
