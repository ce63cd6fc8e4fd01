// The import layers of STYLE.md, checked on every run: which folder may import which, and no cycles.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

function sourceFiles(directory: string): string[] {
  return readdirSync(path.join(root, directory), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(directory, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

/** Import specifiers of a file, relative ones resolved to paths from the project root. */
function importsOf(file: string): string[] {
  const text = readFileSync(path.join(root, file), 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'/gms)].map((match) => match[1] as string);
  return specifiers.map((specifier) => (specifier.startsWith('.') ? path.join(path.dirname(file), specifier) : specifier));
}

const files = [...sourceFiles('src'), ...sourceFiles('sheets')];

function violations(folder: string, isForbidden: (target: string) => boolean): string[] {
  return files
    .filter((file) => file.startsWith(folder))
    .flatMap((file) => importsOf(file).filter(isForbidden).map((target) => `${file} imports ${target}`));
}

describe('architecture', () => {
  it('lets sheets import only src/sheet.ts', () => {
    assert.deepEqual(violations('sheets/', (target) => target !== 'src/sheet.ts'), []);
  });

  it('keeps pouchdb inside src/storage/pouchdb.ts', () => {
    const outside = files.filter((file) => file !== 'src/storage/pouchdb.ts');
    const offenders = outside.flatMap((file) => importsOf(file).filter((target) => target.startsWith('pouchdb')).map((target) => `${file} imports ${target}`));
    assert.deepEqual(offenders, []);
  });

  it('keeps express, rest/ and auth/ out of storage', () => {
    assert.deepEqual(violations('src/storage/', (target) => target === 'express' || target.startsWith('src/rest/') || target.startsWith('src/auth/')), []);
  });

  it('keeps express and rest/ out of tree/, auth/, model/ and live/', () => {
    for (const folder of ['src/tree/', 'src/auth/', 'src/model/', 'src/live/']) {
      assert.deepEqual(violations(folder, (target) => target === 'express' || target.startsWith('src/rest/')), [], folder);
    }
  });

  it('keeps live/ out of everything but app.ts: nothing below the transports depends on it', () => {
    const outside = files.filter((file) => !file.startsWith('src/live/') && file !== 'src/app.ts');
    const offenders = outside.flatMap((file) => importsOf(file).filter((target) => target.startsWith('src/live/')).map((target) => `${file} imports ${target}`));
    assert.deepEqual(offenders, []);
  });

  it('keeps mail/ below the model: it imports neither express, rest/, auth/ nor model/', () => {
    assert.deepEqual(
      violations('src/mail/', (target) => target === 'express' || ['src/rest/', 'src/auth/', 'src/model/'].some((folder) => target.startsWith(folder))),
      [],
    );
  });

  it('keeps storage free of what its queues and records are for', () => {
    const offenders = files.filter((file) => file.startsWith('src/storage/') && /\bmail|nodemailer|smtp/i.test(readFileSync(path.join(root, file), 'utf8')));
    assert.deepEqual(offenders, []);
  });

  it('keeps the client to itself and the header names, with nothing of node, so that it runs in browsers', () => {
    assert.deepEqual(violations('src/client/', (target) => !target.startsWith('src/client/') && target !== 'src/headers.ts'), []);
    const nodeGlobals = files.filter((file) => file.startsWith('src/client/') && /\b(process|Buffer|require)\b[.(]/.test(readFileSync(path.join(root, file), 'utf8')));
    assert.deepEqual(nodeGlobals, []);
  });

  it('keeps individual sheets out of src/', () => {
    assert.deepEqual(violations('src/', (target) => target.startsWith('sheets/')), []);
  });

  it('has no import cycles', () => {
    const graph = new Map(files.map((file) => [file, importsOf(file).filter((target) => files.includes(target))]));
    const cycles: string[] = [];
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (file: string, trail: string[]) => {
      if (state.get(file) === 'done') return;
      if (state.get(file) === 'visiting') {
        cycles.push([...trail.slice(trail.indexOf(file)), file].join(' -> '));
        return;
      }
      state.set(file, 'visiting');
      for (const target of graph.get(file) ?? []) visit(target, [...trail, file]);
      state.set(file, 'done');
    };
    for (const file of files) visit(file, []);
    assert.deepEqual(cycles, []);
  });

  it('opens every file with a one-line comment saying what it is for', () => {
    const missing = [...files, ...sourceFiles('test')].filter((file) => !readFileSync(path.join(root, file), 'utf8').startsWith('// '));
    assert.deepEqual(missing, []);
  });
});
