// The throwaway instance for other projects' tests: startTestInstance() and `adhocracy-ts test-instance`, memory or a locked base directory, stopped cleanly.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, readConfig } from '../src/config.ts';
import { BaseDirectoryLockedError, insecureTestArgon2, startTestInstance, type TestInstance } from '../src/testing.ts';
import { trackChild } from './support/children.ts';
import { registrationBody } from './support/test-app.ts';

const root = path.resolve(import.meta.dirname, '..');

async function call(url: string, method: string, target: string, options: { token?: string; body?: unknown } = {}) {
  const answer = await fetch(`${url}${target}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(options.token ? { 'X-User-Token': options.token } : {}) },
    ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
  });
  return { status: answer.status, body: (await answer.json()) as Record<string, unknown> };
}

async function isRefused(url: string): Promise<boolean> {
  try {
    await fetch(url);
    return false;
  } catch {
    return true;
  }
}

describe('testing', function () {
  this.timeout(60_000);
  let directory: string;
  const started: TestInstance[] = [];
  beforeEach(async () => {
    directory = await mkdtemp(path.join(os.tmpdir(), 'test-instance-'));
  });
  afterEach(async () => {
    for (const instance of started.splice(0)) await instance.stop();
    await rm(directory, { recursive: true, force: true });
  });
  const start = async (...args: Parameters<typeof startTestInstance>) => {
    const instance = await startTestInstance(...args);
    started.push(instance);
    return instance;
  };

  describe('startTestInstance', () => {
    it('serves on a free port of 127.0.0.1 with an admin logged in, and stops listening when stopped', async () => {
      const instance = await start();
      assert.match(instance.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      const session = await call(instance.url, 'GET', '/session', { token: instance.admin.token });
      assert.equal(session.status, 200);
      const admin = await call(instance.url, 'GET', new URL(session.body.user_path as string).pathname, { token: instance.admin.token });
      assert.deepEqual((admin.body.data as Record<string, Record<string, unknown>>)['adhocracy_core.sheets.principal.IPermissions']?.roles, ['admin']);
      assert.equal(instance.admin.name, 'admin');
      assert.equal((await call(instance.url, 'POST', '/login_username', { body: { name: 'admin', password: instance.admin.password } })).status, 200);
      await instance.stop();
      await instance.stop();
      assert.ok(await isRefused(instance.url));
    });

    it('keeps its data in memory: the next instance starts empty, and two run side by side', async () => {
      const first = await start({ admin: { name: 'tester', email: 'tester@example.org', password: 'a test password' } });
      assert.equal((await call(first.url, 'POST', '/principals/users', { body: registrationBody('Anna', 'anna@example.org') })).status, 200);
      const second = await start();
      assert.notEqual(second.url, first.url);
      assert.equal((await call(second.url, 'POST', '/login_username', { body: { name: 'Anna', password: 'EckVocUbs3' } })).status, 400);
      assert.equal((await call(first.url, 'POST', '/login_username', { body: { name: 'Anna', password: 'EckVocUbs3' } })).status, 200);
      assert.equal(first.admin.name, 'tester');
    });

    it('takes server settings as environment variables, but not those it sets itself', async () => {
      const instance = await start({ env: { SERVICE_KEYS: `tests:${'k'.repeat(40)}` } });
      const answer = await fetch(`${instance.url}/lockout_settings`, { headers: { 'X-Service-Key': 'k'.repeat(40) } });
      assert.equal(answer.status, 200);
      await assert.rejects(startTestInstance({ env: { ARGON2_MEMORY_KIB: '65536', PORT: '8080' } }), /sets PORT, ARGON2_MEMORY_KIB itself/);
    });

    it('hashes with parameters that the server configuration refuses', () => {
      assert.throws(() => readConfig({ ARGON2_MEMORY_KIB: String(insecureTestArgon2.memoryCost) }), ConfigError);
      assert.throws(() => readConfig({ ARGON2_TIME_COST: String(insecureTestArgon2.timeCost) }), ConfigError);
    });

    it('keeps its data in a base directory for the next instance on it, whose admin logs in with the kept password', async () => {
      const baseDir = path.join(directory, 'base');
      const first = await start({ baseDir });
      assert.equal((await call(first.url, 'POST', '/principals/users', { body: registrationBody('Anna', 'anna@example.org') })).status, 200);
      await first.stop();
      const second = await start({ baseDir });
      assert.equal(second.admin.password, first.admin.password);
      assert.equal((await call(second.url, 'POST', '/login_username', { body: { name: 'Anna', password: 'EckVocUbs3' } })).status, 200);
      assert.ok((await readdir(baseDir)).includes('store'));
    });

    it('refuses a second instance on a base directory in use, naming it, and leaves the first serving', async () => {
      const baseDir = path.join(directory, 'base');
      const first = await start({ baseDir });
      await assert.rejects(startTestInstance({ baseDir }), (error: unknown) => {
        assert.ok(error instanceof BaseDirectoryLockedError, String(error));
        assert.equal(error.directory, baseDir);
        assert.match(error.message, new RegExp(`base directory ${baseDir} is in use by another instance`));
        return true;
      });
      assert.equal((await call(first.url, 'GET', '/session', { token: first.admin.token })).status, 200);
      await first.stop();
      await start({ baseDir });
    });
  });

  describe('adhocracy-ts test-instance', () => {
    interface Cli {
      child: ChildProcess;
      stderr(): string;
      exited: Promise<number | null>;
      /** The one line of JSON it prints once it serves. */
      line: Promise<{ url: string; admin: { name: string; password: string; token: string } }>;
    }

    /** The command from the sources, as the tests of this project run it; the build's `bin/adhocracy-ts.js` runs the same module compiled. */
    function runCli(args: string[]): Cli {
      const child = trackChild(spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, stdio: ['pipe', 'pipe', 'pipe'] }), `adhocracy-ts ${args.join(' ')}`);
      let stdout = '';
      let stderr = '';
      child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = once(child, 'exit').then(([code]) => code as number | null);
      const line = new Promise<Cli['line'] extends Promise<infer T> ? T : never>((resolve, reject) => {
        child.stdout?.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('\n')) resolve(JSON.parse(stdout.slice(0, stdout.indexOf('\n'))));
        });
        void exited.then((code) => reject(new Error(`exited with ${code} before printing: ${stderr}`)));
      });
      return { child, stderr: () => stderr, exited, line };
    }

    it('prints one JSON line with the url and the admin, serves, and stops when its standard input closes', async () => {
      const cli = runCli(['test-instance']);
      const { url, admin } = await cli.line;
      assert.deepEqual(Object.keys(admin).sort(), ['name', 'password', 'token']);
      assert.equal((await call(url, 'GET', '/session', { token: admin.token })).status, 200);
      cli.child.stdin?.end();
      assert.equal(await cli.exited, 0);
      assert.ok(await isRefused(url));
    });

    it('stops on SIGTERM with exit code 0', async () => {
      const cli = runCli(['test-instance', '--env', `SERVICE_KEYS=tests:${'k'.repeat(40)}`]);
      const { url } = await cli.line;
      assert.equal((await fetch(`${url}/lockout_settings`, { headers: { 'X-Service-Key': 'k'.repeat(40) } })).status, 200);
      cli.child.kill('SIGTERM');
      assert.equal(await cli.exited, 0);
    });

    it('refuses a base directory that another process serves, with a message naming it, and exit code 1', async () => {
      const baseDir = path.join(directory, 'base');
      const first = runCli(['test-instance', '--base-dir', baseDir]);
      const { url, admin } = await first.line;
      const second = runCli(['test-instance', '--base-dir', baseDir]);
      assert.equal(await second.exited, 1);
      assert.match(second.stderr(), new RegExp(`base directory ${baseDir} is in use by another instance`));
      assert.equal((await call(url, 'GET', '/session', { token: admin.token })).status, 200);
      first.child.stdin?.end();
      assert.equal(await first.exited, 0);
    });

    it('answers a wrong command line with the usage and exit code 2', async () => {
      for (const args of [['serve'], ['test-instance', '--env', 'NOVALUE']]) {
        const cli = runCli(args);
        cli.line.catch(() => undefined);
        assert.equal(await cli.exited, 2, args.join(' '));
        assert.match(cli.stderr(), /usage: adhocracy-ts test-instance/);
      }
    });
  });
});
