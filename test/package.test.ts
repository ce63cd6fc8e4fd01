// The project's own files agree: one Node version in package.json's engines, the lock file and the README.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

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

  it('exports the client as adhocracy-ts/client, from what the build compiles of src/client/index.ts', () => {
    const exported = (readJson('package.json').exports as Record<string, { types: string; default: string }>)['./client'];
    assert.deepEqual(exported, { types: './dist/src/client/index.d.ts', default: './dist/src/client/index.js' });
    // Resolved by plain node, as a project that depends on this package would.
    const resolved = execFileSync(process.execPath, ['--input-type=module', '-e', "console.log(import.meta.resolve('adhocracy-ts/client'))"], { cwd: root, encoding: 'utf8' });
    assert.equal(resolved.trim(), pathToFileURL(path.join(root, 'dist/src/client/index.js')).href);
    const build = readJson('tsconfig.build.json') as { compilerOptions: { outDir: string; declaration: boolean }; include: string[] };
    assert.equal(build.compilerOptions.outDir, 'dist');
    assert.equal(build.compilerOptions.declaration, true);
    assert.ok(build.include.includes('src'));
    assert.ok(existsSync(path.join(root, 'src/client/index.ts')));
  });
});
