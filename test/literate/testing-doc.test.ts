// Runs docs/testing.md as a frontend would: a project of its own installs this package, gets the files the doc shows, and runs the doc's commands.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { trackChild } from '../support/children.ts';
import { readFences, type Fence } from './parse.ts';

const root = path.resolve(import.meta.dirname, '..', '..');
const docFile = path.join(root, 'docs', 'testing.md');

/** A block whose first line is a comment naming a file (`// test/api.test.mjs`, `# test/api_test.py`) is that file. */
function fileOf(fence: Fence): { name: string; text: string } | undefined {
  const match = /^(?:\/\/|#)\s+(\S+\.(?:mjs|js|ts|py))\s*$/.exec(fence.content[0] ?? '');
  return match ? { name: match[1] as string, text: `${fence.content.join('\n')}\n` } : undefined;
}

/** Runs a block of shell in the project; resolves to its output, rejects with it when the block fails. */
async function runShell(script: string, cwd: string): Promise<string> {
  const child = trackChild(
    spawn('bash', ['-e', '-c', script], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      // No registry: the package is installed from the checkout, which is built already.
      env: { ...process.env, npm_config_offline: 'true', npm_config_ignore_scripts: 'true', npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' },
    }),
    'a command of docs/testing.md',
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) throw new Error(`exited with ${code}:\n${script}\n\noutput:\n${output}`);
  return output;
}

// The doc installs the package as a frontend does, which runs the build in dist/: test/support/build.ts
// builds the sources as they are now before the tests run.
describe('docs/testing.md', function () {
  this.timeout(180_000);
  let directory: string;

  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'testing-doc-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('works as shown: the files it shows pass their tests with the commands it gives', async () => {
    // `../adhocracy-ts` beside the frontend, as the doc installs it.
    await symlink(root, path.join(directory, 'adhocracy-ts'), 'dir');
    const project = path.join(directory, 'frontend');
    await mkdir(project);
    await writeFile(path.join(project, 'package.json'), `${JSON.stringify({ name: 'frontend', private: true }, null, 2)}\n`);
    const fences = readFences(await readFile(docFile, 'utf8'), 'docs/testing.md');
    const files = fences.flatMap((fence) => {
      const file = fileOf(fence);
      return file ? [file] : [];
    });
    const commands = fences.filter((fence) => fence.info === 'sh');
    assert.deepEqual(files.map((file) => file.name), ['test/api.test.mjs', 'test/api_test.py']);
    assert.ok(commands.length >= 4, `${commands.length} sh blocks`);
    for (const file of files) {
      await mkdir(path.dirname(path.join(project, file.name)), { recursive: true });
      await writeFile(path.join(project, file.name), file.text);
    }
    const outputs: string[] = [];
    for (const fence of commands) {
      try {
        outputs.push(await runShell(fence.content.join('\n'), project));
      } catch (error) {
        throw new Error(`docs/testing.md:${fence.line}: ${(error as Error).message}`);
      }
    }
    const manifest = JSON.parse(await readFile(path.join(project, 'package.json'), 'utf8')) as { devDependencies?: Record<string, string> };
    assert.ok(manifest.devDependencies?.['adhocracy-ts'], 'the package is a development dependency');
    // Each test the files hold ran and passed: node's runner counts them, unittest names its total.
    const all = outputs.join('\n');
    assert.match(all, /# pass 2\n# fail 0/);
    assert.match(all, /Ran 2 tests[\s\S]*\nOK/);
  });
});
