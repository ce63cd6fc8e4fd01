// Runs the code blocks of docs/client.md as one program against a listening server: the SPA login flow it shows works as shown.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { readFences } from '../literate/parse.ts';
import { startListeningApp } from './listening-app.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const docFile = path.join(root, 'docs', 'client.md');
const absolute = (file: string) => path.join(root, file);

/** The program's type errors, by the compiler with the project's strictness: the doc's code is typed as shown. */
function typeErrors(file: string): string[] {
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    types: ['node'],
  });
  return ts.getPreEmitDiagnostics(program).map((diagnostic) => {
    const where = diagnostic.file && diagnostic.start !== undefined ? diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start) : undefined;
    return `${where ? `line ${where.line + 1}: ` : ''}${ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n')}`;
  });
}

describe('docs/client.md', () => {
  it('type-checks, and runs as shown against a real server', async () => {
    const blocks = readFences(await readFile(docFile, 'utf8'), 'docs/client.md').filter((fence) => fence.info === 'ts');
    assert.ok(blocks.length >= 5, 'the program is in ts blocks');
    const server = await startListeningApp();
    const directory = await mkdtemp(path.join(os.tmpdir(), 'client-doc-'));
    try {
      // The package name stands for the sources, and the example's address for the server's own.
      const program = [
        `import { render, expectRendered, localStorage } from ${JSON.stringify(absolute('test/client/doc-page.ts'))};`,
        ...blocks.map((block) => block.content.join('\n')),
      ]
        .join('\n')
        .replaceAll("'adhocracy-ts/client'", JSON.stringify(absolute('src/client/index.ts')))
        .replaceAll("'https://api.example.org'", JSON.stringify(server.baseUrl));
      const file = path.join(directory, 'client-doc.mts');
      await writeFile(file, program);
      const errors = typeErrors(file);
      const numbered = program.split('\n').map((line, index) => `${String(index + 1).padStart(4)}  ${line}`).join('\n');
      assert.deepEqual(errors, [], `the code of docs/client.md does not type-check:\n${errors.join('\n')}\n\n${numbered}`);
      await import(pathToFileURL(file).href);
    } finally {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
