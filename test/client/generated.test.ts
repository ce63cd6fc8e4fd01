// src/client/generated.ts is what the generator makes of today's /openapi.json: a stale file fails here (UPDATE_GENERATED=1 renews it).
import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startTestApp } from '../support/test-app.ts';
import { renderClientTypes } from './typescript-from-openapi.ts';

const generatedFile = path.resolve(import.meta.dirname, '..', '..', 'src', 'client', 'generated.ts');

describe('client/generated', () => {
  it('is what the generator makes of /openapi.json', async () => {
    const test = await startTestApp();
    try {
      const document = (await test.http.get('/openapi.json').expect(200)).body;
      const expected = renderClientTypes(document);
      if (process.env.UPDATE_GENERATED === '1') await writeFile(generatedFile, expected);
      const actual = await readFile(generatedFile, 'utf8').catch(() => '');
      assert.ok(actual === expected, 'src/client/generated.ts is stale: run `npm run generate:client` and commit the result');
    } finally {
      await test.close();
    }
  });
});
