// The project's own files agree: one Node version in package.json's engines, the lock file and the README.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const readJson = (file: string) => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;

describe('package', () => {
  it('names one Node version in engines, the lock file and the README', () => {
    const engines = (readJson('package.json').engines as { node: string }).node;
    const minimum = /^>=(\d+\.\d+)$/.exec(engines)?.[1];
    assert.ok(minimum, `engines.node should read ">=major.minor", not ${engines}`);
    // npm copies engines into the lock file's root entry; an install rewrites the lock when the two differ.
    const lockRoot = (readJson('package-lock.json').packages as Record<string, { engines?: { node?: string } }>)[''];
    assert.equal(lockRoot?.engines?.node, engines);
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    assert.deepEqual([...readme.matchAll(/Node\.js (\d+(?:\.\d+)*) or later/g)].map((match) => match[1]), [minimum]);
  });
});
