// Runs the code blocks of docs/client.md as one program against a listening server: the SPA login flow it shows works as shown.
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFences } from '../literate/parse.ts';
import { startListeningApp } from './listening-app.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const docFile = path.join(root, 'docs', 'client.md');
const importedUrl = (file: string) => pathToFileURL(path.join(root, file)).href;

describe('docs/client.md', () => {
  it('runs as shown against a real server', async () => {
    const blocks = readFences(await readFile(docFile, 'utf8'), 'docs/client.md').filter((fence) => fence.info === 'ts');
    assert.ok(blocks.length >= 5, 'the program is in ts blocks');
    const server = await startListeningApp();
    const directory = await mkdtemp(path.join(os.tmpdir(), 'client-doc-'));
    try {
      // The package name stands for the sources, and the example's address for the server's own.
      const program = [
        `import { render, expectRendered, localStorage } from ${JSON.stringify(importedUrl('test/client/doc-page.ts'))};`,
        ...blocks.map((block) => block.content.join('\n')),
      ]
        .join('\n')
        .replaceAll("'adhocracy-ts/client'", JSON.stringify(importedUrl('src/client/index.ts')))
        .replaceAll("'https://api.example.org'", JSON.stringify(server.baseUrl));
      const file = path.join(directory, 'client-doc.mts');
      await writeFile(file, program);
      await import(pathToFileURL(file).href);
    } finally {
      await server.close();
      await rm(directory, { recursive: true, force: true });
    }
  });
});
